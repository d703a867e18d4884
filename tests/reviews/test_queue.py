"""The review queue: access per role, each filter, sorting, counts, pagination, saved views, the query budget."""

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).parent))

import test_queue_setup as setup  # noqa: E402
from test_queue_setup import ALES, ANDUZE, make_application, make_organisation, objective  # noqa: E402

# the shared fixtures, under their names
contract, funders, call, make_user, people = setup.contract, setup.funders, setup.call, setup.make_user, setup.people
fast_password_hasher = setup.fast_password_hasher

pytestmark = pytest.mark.django_db


def queue_url(call, query=""):
    return reverse("reviews:queue", args=[call.slug]) + (f"?{query}" if query else "")


def refs(response):
    return [row.reference for row in response.context["rows"]]


@pytest.fixture
def apps(call, funders, people):
    """Three applications of the call with distinct properties, a draft and another call's application."""
    from quartiers.calls.models import Call

    state, agglo = funders
    education, youth, employment = (objective(call, t) for t in ("education", "youth", "employment"))
    alpha = make_organisation("Association Alpha Savoirs", user=people["applicant"])
    beta = make_organisation("Beta Jeunesse")
    gamma = make_organisation("Gamma Emploi")
    a1 = make_application(call, alpha, status="submitted", title="Soutien scolaire du soir", codes=(ALES,),
                          requested="1000", blocking=1, claimed=[education], requests=[(state, "1000")])
    a2 = make_application(call, beta, status="admissible", title="Local jeunes", codes=(ANDUZE,), requested="5000",
                          renewal=True, warnings=2, claimed=[education], confirmed=youth,
                          requests=[(agglo, "5000")])
    a3 = make_application(call, gamma, status="reviewed", title="Femmes et emploi", codes=(ALES, ANDUZE),
                          requested="12000", claimed=[employment], requests=[(state, "7000"), (agglo, "5000")])
    make_application(call, gamma, status="draft", title="Brouillon caché", reference="BROUILLON-1")
    other = Call.objects.create(contract=call.contract, framework_version=call.framework_version, slug="ales-2026",
                                title="Appel 2026", year=2026, opens_at=call.opens_at.replace(year=2025),
                                closes_at=call.closes_at.replace(year=2026))
    make_application(other, gamma, status="submitted", title="Autre appel", reference="AAP-2026-0001")
    return a1, a2, a3


@pytest.fixture
def lead_client(client, people):
    client.force_login(people["project_lead"])
    return client


# --- access ------------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, call):
    for name in ("queue", "queue_csv", "members"):
        response = client.get(reverse(f"reviews:{name}", args=[call.slug]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("who", ["outsider", "applicant"])
def test_people_without_a_role_get_403(client, call, people, apps, who):
    client.force_login(people[who])
    response = client.get(queue_url(call))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert client.get(reverse("reviews:queue_csv", args=[call.slug])).status_code == 403
    assert client.post(reverse("reviews:view_save", args=[call.slug]), {"name": "x"}).status_code == 403


def test_unknown_call_is_404(lead_client):
    assert lead_client.get("/gestion/appels/inconnu/instruction/").status_code == 404


@pytest.mark.parametrize("role", ["project_lead", "reviewer", "funder", "committee", "resident", "observer"])
def test_every_role_sees_the_queue(client, call, people, apps, role):
    client.force_login(people[role])
    response = client.get(queue_url(call))
    assert response.status_code == 200
    assert sorted(refs(response)) == sorted(a.reference for a in apps)  # no draft, no other call
    page = response.content.decode()
    assert "Brouillon caché" not in page and "Autre appel" not in page
    assert ("Télécharger le fichier CSV" in page) == (role != "resident")
    assert ("Personnes et rôles du contrat" in page) == (role == "project_lead")


def test_superuser_acts_as_project_lead(client, call, apps, make_user):
    client.force_login(make_user("admin.site@example.org", is_superuser=True))
    assert client.get(queue_url(call)).status_code == 200


def test_residents_do_not_see_the_funders_amounts(client, call, people, apps, funders):
    from quartiers.reviews.models import Assessment

    Assessment.objects.create(application=apps[2], funder=funders[0], opinion="favourable",
                              proposed_amount=Decimal("6543"))
    client.force_login(people["resident"])
    page = client.get(queue_url(call)).content.decode()
    assert "Avis des financeurs" not in page and "6\u202f543" not in page
    client.force_login(people["reviewer"])
    page = client.get(queue_url(call)).content.decode()
    assert "Avis des financeurs" in page and "proposé : 6\u202f543\u00a0€" in page


def test_conflict_is_shown_and_hides_the_opinions_of_that_application(client, call, people, apps, funders):
    from quartiers.reviews.models import Assessment, ConflictOfInterest

    Assessment.objects.create(application=apps[2], funder=funders[0], opinion="favourable",
                              proposed_amount=Decimal("6543"))
    ConflictOfInterest.objects.create(application=apps[2], user=people["reviewer"], reason="Trésorière")
    client.force_login(people["reviewer"])
    response = client.get(queue_url(call))
    rows = {r.reference: r for r in response.context["rows"]}
    assert rows[apps[2].reference].conflict and not rows[apps[0].reference].conflict
    page = response.content.decode()
    assert "conflit déclaré" in page and "6\u202f543" not in page


# --- filters -----------------------------------------------------------------------------------------------------


def test_each_filter_narrows(lead_client, call, apps, funders):
    a1, a2, a3 = (a.reference for a in apps)
    education = objective(call, "education")

    def got(query):
        response = lead_client.get(queue_url(call, query))
        assert response.status_code == 200
        assert not response.context["filter_errors"], response.context["filter_errors"]
        return sorted(refs(response))

    assert got(f"quartier={ANDUZE}") == [a2, a3]
    assert got(f"quartier={ALES}") == [a1, a3]
    # the confirmed match counts; without one, the claimed objectives (a2 claimed education, confirmed youth)
    assert got("theme=education") == [a1]
    assert got("theme=youth") == [a2]
    assert got("theme=employment") == [a3]
    assert got(f"objectif={education.key}") == [a1]
    assert got("statut=admissible") == [a2]
    assert got(f"financeur={funders[1].pk}") == [a2, a3]
    assert got(f"financeur={funders[0].pk}") == [a1, a3]
    assert got("constats=bloquants") == [a1]
    assert got("constats=avertissements") == [a2]
    assert got("constats=aucun") == [a3]
    assert got("type=renouvellement") == [a2]
    assert got("type=nouvelle") == [a1, a3]
    assert got("montant_min=5+000") == [a2, a3]
    assert got("montant_max=5000,00") == [a1, a2]
    assert got("montant_min=2000&montant_max=6000") == [a2]
    assert got("q=gamma") == [a3]
    assert got(f"q={a1}") == [a1]
    assert got("q=SCOLAIRE") == [a1]
    assert got(f"quartier={ANDUZE}&type=nouvelle") == [a3]


def test_bad_filters_are_named_in_french_and_left_out(lead_client, call, apps):
    response = lead_client.get(queue_url(call, "montant_min=beaucoup&statut=inconnu"))
    assert response.status_code == 200
    assert len(refs(response)) == 3
    page = response.content.decode()
    assert "Montant demandé minimum (€) : saisissez un nombre en euros" in page
    assert "Statut : " in page
    response = lead_client.get(queue_url(call, "montant_min=9000&montant_max=10"))
    assert "Montant demandé maximum : il doit être supérieur ou égal au minimum." in response.content.decode()


def test_counts_per_status_follow_the_other_filters(lead_client, call, apps):
    response = lead_client.get(queue_url(call, f"quartier={ANDUZE}&statut=reviewed"))
    counts = {c["status"]: c["count"] for c in response.context["counts"]}
    assert counts["admissible"] == 1 and counts["reviewed"] == 1 and counts["submitted"] == 0
    assert response.context["total"] == 1 and refs(response) == [apps[2].reference]
    assert "1 demande correspondant aux filtres" in response.content.decode()


# --- sorting and pages -------------------------------------------------------------------------------------------


def test_sorting(lead_client, call, apps):
    a1, a2, a3 = (a.reference for a in apps)
    assert refs(lead_client.get(queue_url(call, "tri=montant"))) == [a1, a2, a3]
    assert refs(lead_client.get(queue_url(call, "tri=montant&ordre=desc"))) == [a3, a2, a1]
    assert refs(lead_client.get(queue_url(call, "tri=structure"))) == [a1, a2, a3]
    assert refs(lead_client.get(queue_url(call, "tri=statut"))) == [a1, a2, a3]  # déposée, recevable, instruite
    assert refs(lead_client.get(queue_url(call, "tri=statut&ordre=desc"))) == [a3, a2, a1]
    assert refs(lead_client.get(queue_url(call, "tri=reference&ordre=desc"))) == [a3, a2, a1]


def test_sorting_breaks_ties_on_the_primary_key_and_links_toggle(lead_client, call, people):
    org = make_organisation("Même montant")
    same = [make_application(call, org, requested="500") for _ in range(3)]
    assert refs(lead_client.get(queue_url(call, "tri=montant"))) == [a.reference for a in same]
    response = lead_client.get(queue_url(call, "tri=montant&ordre=desc"))
    assert refs(response) == [a.reference for a in reversed(same)]
    sorts = response.context["sorts"]
    assert sorts["montant"]["aria"] == "descending" and "tri=montant&ordre=asc" in sorts["montant"]["url"]
    assert sorts["structure"]["aria"] == "none"


def many(call, funders, n=60):
    """``n`` applications across the review statuses, each with requests, claims, and some confirmed matches."""
    from quartiers.reviews.models import Assessment

    statuses = ["submitted", "admissible", "reviewed", "decided", "refused", "inadmissible", "withdrawn"]
    education, youth = objective(call, "education"), objective(call, "youth")
    org = make_organisation("Grande association")
    out = []
    for i in range(n):
        app = make_application(call, org, status=statuses[i % len(statuses)], requested=str(1000 + i),
                               codes=(ALES, ANDUZE) if i % 2 else (ALES,), claimed=[education],
                               confirmed=youth if i % 3 == 0 else None, blocking=i % 2, warnings=i % 3,
                               requests=[(funders[0], "500"), (funders[1], str(500 + i))])
        Assessment.objects.create(application=app, funder=funders[0], opinion="favourable",
                                  proposed_amount=Decimal(400))
        out.append(app)
    return out


def test_pages_of_fifty(lead_client, call, funders):
    many(call, funders)
    first = lead_client.get(queue_url(call, "tri=montant"))
    assert len(refs(first)) == 50 and first.context["total"] == 60
    second = lead_client.get(queue_url(call, "tri=montant&page=2"))
    assert len(refs(second)) == 10
    assert not set(refs(first)) & set(refs(second))
    assert 'href="?tri=montant&amp;page=2"' in first.content.decode()


def test_queue_query_budget(client, call, funders, people, django_assert_max_num_queries):
    """The spec: ≤ 20 SQL queries for the queue page, whatever the filters and the number of applications."""
    from quartiers.reviews.models import ConflictOfInterest, SavedView

    apps = many(call, funders)
    ConflictOfInterest.objects.create(application=apps[0], user=people["reviewer"])
    SavedView.objects.create(user=people["reviewer"], call=call, name="Anduze", query=f"quartier={ANDUZE}")
    client.force_login(people["reviewer"])
    query = (f"quartier={ANDUZE}&theme=youth&financeur={funders[1].pk}&constats=bloquants&montant_min=100"
             "&q=a&tri=statut&ordre=desc")
    with django_assert_max_num_queries(20):
        response = client.get(queue_url(call, query))
    assert response.status_code == 200 and response.context["total"] > 0
    with django_assert_max_num_queries(20):
        response = client.get(queue_url(call))
    assert len(refs(response)) == 50


# --- saved views -------------------------------------------------------------------------------------------------


def test_saved_views_are_per_user(client, call, people, apps):
    save = reverse("reviews:view_save", args=[call.slug])
    client.force_login(people["reviewer"])
    response = client.post(save, {"name": "Anduze à instruire", "query": f"quartier={ANDUZE}&page=3&pirate=1"})
    assert response.status_code == 302 and response["Location"].endswith(f"?quartier={ANDUZE}")
    from quartiers.reviews.models import SavedView

    view = SavedView.objects.get(user=people["reviewer"])
    assert view.query == f"quartier={ANDUZE}"  # the page and unknown parameters are not kept
    page = client.get(queue_url(call)).content.decode()
    assert "Anduze à instruire" in page
    # same name: replaced, not duplicated
    client.post(save, {"name": "Anduze à instruire", "query": "statut=submitted"})
    assert SavedView.objects.get(user=people["reviewer"]).query == "statut=submitted"

    client.force_login(people["observer"])
    assert list(client.get(queue_url(call)).context["saved_views"]) == []
    delete = reverse("reviews:view_delete", args=[call.slug, view.pk])
    assert client.post(delete).status_code == 404  # not theirs
    assert SavedView.objects.filter(pk=view.pk).exists()

    client.force_login(people["reviewer"])
    response = client.post(delete, follow=True)
    assert "Vue « Anduze à instruire » supprimée." in response.content.decode()
    assert not SavedView.objects.exists()


def test_saved_view_needs_a_name(client, call, people):
    client.force_login(people["reviewer"])
    response = client.post(reverse("reviews:view_save", args=[call.slug]), {"name": "  ", "query": ""}, follow=True)
    assert "Nom de la vue : donnez un nom à cette vue." in response.content.decode()
    assert client.get(reverse("reviews:view_save", args=[call.slug])).status_code == 405


def test_calls_staff_page_links_to_the_queue(client, call, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("calls:staff_call", args=[call.pk])).content.decode()
    assert f'href="{queue_url(call)}"' in page and "Instruire les demandes" in page

