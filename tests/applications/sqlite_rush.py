"""A deadline rush on a real SQLite file, through a real web server: N applicants each autosave their draft a few
times then deposit it, all at the same instant (used by test_sqlite_rush.py; runnable by hand to compare settings:

    python -m tests.applications.sqlite_rush prepare N          # in a process whose DATABASE_URL is the file
    python -m tests.applications.sqlite_rush rush URL PLAN.json  # prints the status codes

``prepare`` builds an open call and N drafts ready to deposit, each of its own organisation, and prints the plan:
each draft's pk, a logged-in session key and the form's POST."""

import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CSRF = "rushrushrushrushrushrushrushrush"  # any 32 letters: the cookie and the header only have to agree


def prepare(n: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tests.applications.factories import YOUTH, anduze_post, objective_value
    from tests.factories import ApplicationFactory, CallFactory, administrator_of

    call = CallFactory(slug="rush", title="Appel à projets de la ruée")
    post = anduze_post(call, objective=objective_value(call, YOUTH))
    drafts = []
    for _ in range(n):
        app = ApplicationFactory(call=call)
        user = administrator_of(app.organisation)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        drafts.append({"pk": app.pk, "session": session.session_key})
    return {"drafts": drafts, "post": post}


def rush(base_url: str, plan: dict, autosaves: int = 3, timeout: float = 120) -> list[tuple[str, int]]:
    """Every applicant at once: ``autosaves`` autosaves then the deposit. Returns (what, HTTP status) per request."""
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(plan["drafts"]))
    body = urllib.parse.urlencode(plan["post"], doseq=True).encode()

    def post(path: str, data: bytes, session: str, htmx: bool) -> int:
        headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF,
                   "Content-Type": "application/x-www-form-urlencoded"}
        if htmx:
            headers["HX-Request"] = "true"
        request = urllib.request.Request(base_url + path, data=data, headers=headers, method="POST")
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:
            exc.read()
            exc.close()
            return exc.code

    def applicant(draft: dict) -> None:
        barrier.wait()
        for _ in range(autosaves):
            status = post(f"/demandes/{draft['pk']}/enregistrer/", body, draft["session"], htmx=True)
            with lock:
                outcomes.append(("autosave", status))
        status = post(f"/demandes/{draft['pk']}/deposer/", b"", draft["session"], htmx=False)
        with lock:
            outcomes.append(("deposit", status))

    threads = [threading.Thread(target=applicant, args=(d,)) for d in plan["drafts"]]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    outcomes.append(("seconds", round(time.monotonic() - started)))
    return outcomes


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the deposit answers 302 to the receipt: keep the 302


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
    else:
        with open(sys.argv[3]) as f:
            results = rush(sys.argv[2], json.load(f), autosaves=int(sys.argv[4]) if len(sys.argv) > 4 else 3)
        print(json.dumps(results))
