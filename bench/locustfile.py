"""A deadline rush on the demo call, for ``bench/load_test.py`` (locust, headless; never against a remote host).

Applicants (four in five users) log in through the login form (CSRF), then type into their draft: the page's htmx
autosave posts the whole form every few seconds; now and then they reload the page, ask « Quelle priorité pour mon
projet ? », and deposit (the submit form), after which they start a new draft from « Nouvelle demande » and go on.
Visitors read the public pages (home, a QPV, the calls, the match page) and post the match form.

Accounts come from the file named by ``QUARTIERS_LOAD_ACCOUNTS`` (written by load_test.py): one account per
applicant user, with its organisation, the open call and a draft. A response that is not what the page answers on
success (an autosave without « X-Draft-Saved: 1 », a deposit not sent to the receipt) counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["QUARTIERS_LOAD_ACCOUNTS"], encoding="utf-8").read())
_NEXT = itertools.count()
_LOCK = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EDIT = re.compile(r"/demandes/(\d+)/$")
IDEAS = [
    ("Aide aux devoirs le soir", "Accompagnement à la scolarité des collégiens du quartier, trois soirs par semaine."),
    ("Tournoi de futsal des jeunes", "Un tournoi mensuel co-organisé par les adolescents, le samedi après-midi."),
    ("Atelier d'accès aux droits", "Une permanence pour aider les habitants dans leurs démarches administratives."),
    ("Jardin partagé", "Un jardin au pied des immeubles, entretenu par les habitants et les écoles voisines."),
]


def _csrf(response) -> str:
    found = CSRF.search(response.text)
    return found.group(1) if found else response.cookies.get("csrftoken", "")


class Applicant(HttpUser):
    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        with _LOCK:
            self.account = ACCOUNTS["applicants"][next(_NEXT) % len(ACCOUNTS["applicants"])]
        self.draft = self.account["draft"]
        page = self.client.get("/connexion/", name="/connexion/ (form)")
        with self.client.post("/connexion/", {"username": self.account["email"], "password": ACCOUNTS["password"],
                                              "csrfmiddlewaretoken": _csrf(page), "next": "/demandes/"},
                              headers={"Referer": self.host + "/connexion/"}, name="/connexion/ (POST)",
                              catch_response=True, allow_redirects=False) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self.open_edit()

    def token(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def open_edit(self) -> None:
        self.client.get(f"/demandes/{self.draft}/", name="/demandes/[pk]/ (edit page)")

    def form(self) -> dict:
        data = dict(ACCOUNTS["form"])
        data["title"] = f"{random.choice(IDEAS)[0]} — version {random.randrange(1000)}"
        data["csrfmiddlewaretoken"] = self.token()
        return data

    @task(12)
    def autosave(self) -> None:
        with self.client.post(f"/demandes/{self.draft}/enregistrer/", self.form(),
                              headers={"HX-Request": "true", "X-CSRFToken": self.token(),
                                       "Referer": f"{self.host}/demandes/{self.draft}/"},
                              name="/demandes/[pk]/enregistrer/ (autosave)", catch_response=True) as response:
            if response.status_code == 200 and response.headers.get("X-Draft-Saved") != "1":
                response.failure("autosave not saved")

    @task(2)
    def reload(self) -> None:
        self.open_edit()

    @task(2)
    def match(self) -> None:
        title, description = random.choice(IDEAS)
        self.client.post("/quelle-priorite/", {"contrat": "ales", "neighbourhood": random.choice(ACCOUNTS["qpv"]),
                                               "title": title, "description": description,
                                               "csrfmiddlewaretoken": self.token()},
                         headers={"HX-Request": "true", "X-CSRFToken": self.token(),
                                  "Referer": self.host + "/quelle-priorite/"}, name="/quelle-priorite/ (POST)")

    @task(1)
    def deposit(self) -> None:
        page = self.client.get(f"/demandes/{self.draft}/deposer/", name="/demandes/[pk]/deposer/ (page)")
        with self.client.post(f"/demandes/{self.draft}/deposer/", {"csrfmiddlewaretoken": _csrf(page)},
                              headers={"Referer": f"{self.host}/demandes/{self.draft}/deposer/"},
                              name="/demandes/[pk]/deposer/ (POST)", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302 or "/recepisse/" not in response.headers.get("Location", ""):
                response.failure(f"deposit refused: {response.status_code} → {response.headers.get('Location')}")
                return
        self.new_draft()

    def new_draft(self) -> None:
        page = self.client.get("/demandes/nouvelle/", name="/demandes/nouvelle/ (page)")
        with self.client.post("/demandes/nouvelle/", {"organisation": self.account["organisation"],
                                                      "call": ACCOUNTS["call"], "csrfmiddlewaretoken": _csrf(page)},
                              headers={"Referer": self.host + "/demandes/nouvelle/"},
                              name="/demandes/nouvelle/ (POST)", allow_redirects=False,
                              catch_response=True) as response:
            found = EDIT.search(response.headers.get("Location", ""))
            if response.status_code != 302 or not found:
                response.failure(f"new draft refused: {response.status_code}")
                return
            self.draft = int(found.group(1))
        self.autosave()


class Visitor(HttpUser):
    weight = 1
    wait_time = between(1, 4)

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="/ (home)")

    @task(3)
    def neighbourhood(self) -> None:
        self.client.get(f"/quartiers/{random.choice(ACCOUNTS['qpv'])}/", name="/quartiers/[code]/")

    @task(1)
    def calls(self) -> None:
        self.client.get("/appels/", name="/appels/")

    @task(2)
    def match(self) -> None:
        # The demo has two contracts: the page asks for one first (the match page's own link carries it).
        page = self.client.get("/quelle-priorite/?contrat=ales", name="/quelle-priorite/ (page)")
        title, description = random.choice(IDEAS)
        self.client.post("/quelle-priorite/", {"contrat": "ales", "neighbourhood": random.choice(ACCOUNTS["qpv"]),
                                               "title": title, "description": description,
                                               "csrfmiddlewaretoken": _csrf(page)},
                         headers={"Referer": self.host + "/quelle-priorite/"}, name="/quelle-priorite/ (POST)")
