"""Committee sessions: the agenda, the decisions per funder and the status that follows, the totals against the
envelopes, the convention flag, conflicts of interest, closing a session, and the pages' access."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from quartiers.applications.models import ApplicationTransition, Status
from quartiers.reviews.committee.selectors import session_totals
from quartiers.reviews.committee.services import (
    CommitteeError,
    agenda_add,
    agenda_move,
    agenda_remove,
    decision_record,
    session_close,
)
from quartiers.reviews.models import CommitteeSession, Decision, Outcome, ReviewEvent, SessionStatus
from tests.reviews.test_committee_data import fast_password_hasher, world  # noqa: F401

pytestmark = pytest.mark.django_db


def _order(session):
    return list(session.items.order_by("position").values_list("application__reference", "position"))


def grant(w, application, funder, amount, by=None, **extra):
    return decision_record(session=w.session, application=application, funder=funder, by=by or w.lead,
                           outcome=Outcome.GRANTED, amount=amount, **extra)


def refuse(w, application, funder, reason="Action hors des priorités du quartier.", by=None):
    return decision_record(session=w.session, application=application, funder=funder, by=by or w.lead,
                           outcome=Outcome.REFUSED, reason=reason)


@pytest.fixture
def on_agenda(world):  # noqa: F811
    agenda_add(session=world.session)
    agenda_add(session=world.session, application_ids=[world.late.pk])
    return world


# --- agenda ----------------------------------------------------------------------------------------------------


def test_agenda_takes_reviewed_applications_by_neighbourhood_then_reference(world):  # noqa: F811
    assert agenda_add(session=world.session) == 2
    assert _order(world.session) == [("ALES-2027-0001", 1), ("ALES-2027-0002", 2)]  # QN03001I before QN03002M
    assert agenda_add(session=world.session) == 0  # already there
    assert agenda_add(session=world.session, application_ids=[world.late.pk]) == 1  # admissible, added by hand
    assert _order(world.session)[-1] == ("ALES-2027-0003", 3)


def test_agenda_reorders_and_removes(on_agenda):
    w = on_agenda
    late_item = w.session.items.get(application=w.late)
    agenda_move(session=w.session, item_id=late_item.pk, offset=-1)
    assert _order(w.session) == [("ALES-2027-0001", 1), ("ALES-2027-0003", 2), ("ALES-2027-0002", 3)]
    agenda_move(session=w.session, item_id=late_item.pk, offset=-1)
    agenda_move(session=w.session, item_id=late_item.pk, offset=-1)  # already first: stays
    assert _order(w.session)[0] == ("ALES-2027-0003", 1)
    agenda_remove(session=w.session, item_id=late_item.pk)
    assert _order(w.session) == [("ALES-2027-0001", 1), ("ALES-2027-0002", 2)]


def test_agenda_keeps_an_application_with_decisions(on_agenda):
    w = on_agenda
    refuse(w, w.ales, w.etat)
    with pytest.raises(CommitteeError, match="déjà des décisions"):
        agenda_remove(session=w.session, item_id=w.session.items.get(application=w.ales).pk)


def test_agenda_page_actions(client, on_agenda):
    w = on_agenda
    client.force_login(w.lead)
    item = w.session.items.get(application=w.anduze)
    r = client.post(reverse("reviews:agenda", args=[w.session.pk]), {"action": "up", "item": item.pk})
    assert r.status_code == 302
    assert _order(w.session)[0] == ("ALES-2027-0002", 1)
    client.force_login(w.committee)  # reads, does not set the agenda
    r = client.post(reverse("reviews:agenda", args=[w.session.pk]), {"action": "down", "item": item.pk})
    assert r.status_code == 404
    assert _order(w.session)[0] == ("ALES-2027-0002", 1)


# --- decisions and the status that follows ---------------------------------------------------------------------


def test_status_follows_once_every_funder_asked_has_decided(on_agenda):
    w = on_agenda
    grant(w, w.anduze, w.etat, "6 000,00", conditions="Bilan intermédiaire en juin.")
    w.anduze.refresh_from_db()
    assert w.anduze.status == Status.REVIEWED  # the agglomération has not decided yet
    refuse(w, w.anduze, w.agglo, reason="Enveloppe jeunesse déjà engagée.")
    w.anduze.refresh_from_db()
    assert w.anduze.status == Status.DECIDED  # at least one grant → votée
    last = w.anduze.transitions.order_by("pk").last()
    assert (last.from_status, last.to_status, last.by) == (Status.REVIEWED, Status.DECIDED, w.lead)
    assert last.why == f"décision du comité « {w.session} »"
    d = Decision.objects.get(application=w.anduze, funder=w.etat)
    assert (d.amount, d.decided_on, d.session, d.conditions) == (Decimal("6000"), date(2027, 2, 12), w.session,
                                                                  "Bilan intermédiaire en juin.")
    refuse(w, w.ales, w.etat)
    w.ales.refresh_from_db()
    assert w.ales.status == Status.REFUSED  # every funder refused
    w.session.refresh_from_db()
    assert w.session.status == SessionStatus.OPEN


def test_correction_keeps_the_history(on_agenda):
    w = on_agenda
    grant(w, w.ales, w.etat, "25000")
    refuse(w, w.ales, w.etat, reason="Le cofinancement de la commune n'est pas acquis.")
    w.ales.refresh_from_db()
    assert w.ales.status == Status.REFUSED
    assert Decision.objects.filter(application=w.ales).count() == 1
    moves = list(w.ales.transitions.order_by("pk").values_list("from_status", "to_status", "why"))
    assert moves[-2] == (Status.DECIDED, Status.REVIEWED, "décision corrigée en séance")
    assert moves[-1] == (Status.REVIEWED, Status.REFUSED, "décision corrigée en séance")
    assert not any("€" in why or "accordée" in why for *_, why in moves)  # the applicant reads transitions
    events = list(ReviewEvent.objects.filter(application=w.ales).values_list("kind", "what", "by"))
    assert [k for k, *_ in events] == ["decision", "decision"]
    assert events[0][1] == f"décision du comité « {w.session} » — État – Préfecture du Gard (BOP 147) : " \
                           f"accordée 25\u202f000\xa0€"
    assert events[1][1].startswith(f"décision corrigée en séance « {w.session} » — avant : État – Préfecture du "
                                   f"Gard (BOP 147) : accordée 25\u202f000\xa0€ ; après : ")
    assert events[1][2] == w.lead.pk
    # a correction that keeps the status writes a review-history row, no transition
    count = w.ales.transitions.count()
    refuse(w, w.ales, w.etat, reason="Motif précisé : cofinancement non acquis.")
    assert w.ales.transitions.count() == count
    last = ReviewEvent.objects.filter(application=w.ales).last()
    assert last.kind == "decision" and "Motif précisé" in last.what


def test_refusal_needs_a_reason(on_agenda):
    w = on_agenda
    with pytest.raises(CommitteeError) as exc:
        refuse(w, w.ales, w.etat, reason="  ")
    assert exc.value.errors["reason"].startswith("Motif du refus :")
    assert not Decision.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-5", "", "mille euros", "12,345"])
def test_a_grant_needs_a_positive_amount(on_agenda, amount):
    with pytest.raises(CommitteeError) as exc:
        grant(on_agenda, on_agenda.ales, on_agenda.etat, amount)
    assert exc.value.errors["amount"].startswith("Montant accordé :")
    assert not Decision.objects.exists()


@pytest.mark.parametrize("value", ["01/03/2027", "2027-13-01", "2027-02-30", "2027-06-30/2027-03-01", "2027"])
def test_bad_payment_dates_name_the_field(on_agenda, value):
    with pytest.raises(CommitteeError) as exc:
        grant(on_agenda, on_agenda.ales, on_agenda.etat, "5000", payment_terms="échelonné", payment_dates=value)
    assert exc.value.errors["payment_dates"].startswith("Dates de versement :")
    assert not Decision.objects.exists()


def test_good_payment_dates(on_agenda):
    d = grant(on_agenda, on_agenda.ales, on_agenda.etat, "5000", payment_terms="échelonné",
              payment_dates="2027-03-01/2027-09-30")
    assert d.payment_dates == "2027-03-01/2027-09-30"


def test_convention_flag_above_23000(client, on_agenda):
    w = on_agenda
    at_threshold = grant(w, w.ales, w.etat, "23000.00")
    assert not at_threshold.needs_convention
    client.force_login(w.lead)
    assert "convention obligatoire" not in client.get(reverse("reviews:session", args=[w.session.pk])).content.decode()
    above = grant(w, w.ales, w.etat, "23 000,01")
    assert above.amount == Decimal("23000.01") and above.needs_convention
    page = client.get(reverse("reviews:session", args=[w.session.pk])).content.decode()
    assert "convention obligatoire (plus de 23 000 €)" in page
    letter = client.get(reverse("reviews:letter", args=[w.ales.pk])).content.decode()
    assert "Convention obligatoire (plus de 23 000 €)" in letter


def test_conflict_of_interest_blocks_the_decision(client, on_agenda):
    w = on_agenda
    with pytest.raises(CommitteeError, match="déporté"):
        grant(w, w.anduze, w.agglo, "4000", by=w.recused)
    client.force_login(w.recused)
    page = client.get(reverse("reviews:session", args=[w.session.pk])).content.decode()
    assert "déporté" in page
    assert f'name="d{w.anduze.pk}-{w.agglo.pk}-outcome"' not in page  # no form for that line
    assert "Action utile, budget de sorties à revoir." not in page  # nor the assessments
    r = client.post(reverse("reviews:decide", args=[w.session.pk, w.anduze.pk]),
                    {"funder": w.agglo.pk, f"d{w.anduze.pk}-{w.agglo.pk}-outcome": "granted",
                     f"d{w.anduze.pk}-{w.agglo.pk}-amount": "4000",
                     f"d{w.anduze.pk}-{w.agglo.pk}-payment_terms": "unique"})
    assert r.status_code == 400
    assert "déporté" in r.content.decode()
    assert not Decision.objects.exists()


def test_a_funder_decides_only_for_itself(on_agenda):
    w = on_agenda
    with pytest.raises(CommitteeError, match="Alès Agglomération"):
        grant(w, w.anduze, w.agglo, "4000", by=w.etat_rep)
    grant(w, w.anduze, w.etat, "6000", by=w.etat_rep)
    assert Decision.objects.get().decided_by == w.etat_rep


# --- totals ----------------------------------------------------------------------------------------------------


def test_totals_per_funder_neighbourhood_and_theme(on_agenda):
    w = on_agenda
    grant(w, w.anduze, w.etat, "6000")
    grant(w, w.anduze, w.agglo, "4000")
    grant(w, w.ales, w.etat, "30000")
    totals = session_totals(w.session)
    etat, = [f for f in totals.funders if f.funder == w.etat]
    assert (etat.envelope, etat.requested, etat.proposed, etat.granted) == (
        Decimal("35000"), Decimal("39500"), Decimal("31000"), Decimal("36000"))
    assert etat.left == Decimal("-1000") and etat.overrun == Decimal("1000")
    agglo, = [f for f in totals.funders if f.funder == w.agglo]
    assert (agglo.requested, agglo.granted, agglo.left, agglo.overrun) == (
        Decimal("4000"), Decimal("4000"), Decimal("6000"), Decimal("0"))
    assert totals.overruns == [etat]
    hoods = {g.label: (g.count, g.requested, g.granted) for g in totals.neighbourhoods}
    assert hoods == {"Alès (QN03001I)": (2, Decimal("33000"), Decimal("30000")),
                     "Anduze (QN03002M)": (1, Decimal("10500"), Decimal("10000"))}
    themes = {g.label: (g.count, g.granted) for g in totals.themes}
    assert themes == {"Jeunesse": (1, Decimal("10000")), "Objectif non confirmé": (2, Decimal("30000"))}


def test_page_warns_when_granted_exceeds_the_envelope(client, on_agenda):
    w = on_agenda
    grant(w, w.ales, w.etat, "30000")
    client.force_login(w.lead)
    assert "enveloppe dépassée" not in client.get(reverse("reviews:session", args=[w.session.pk])).content.decode()
    grant(w, w.anduze, w.etat, "6000")
    page = client.get(reverse("reviews:session", args=[w.session.pk])).content.decode()
    assert "Attention : enveloppe dépassée." in page
    assert "soit 1\u202f000,00\xa0€ de plus que l'enveloppe" in page


# --- the pages -------------------------------------------------------------------------------------------------


def test_session_page_shows_each_application(client, on_agenda, django_assert_max_num_queries):
    w = on_agenda
    client.force_login(w.lead)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("reviews:session", args=[w.session.pk]))
    page = r.content.decode()
    assert r.status_code == 200
    for text in ("Association Cévennes Jeunesse", "Les soirées et samedis du local jeunes", "QN03002M",
                 "pour les adolescents le soir et le week-end", "non confirmé", "favorable avec un montant modifié",
                 "3,25", "Les jeunes du centre ancien attendent ce lieu", "Enregistrer la décision de Alès Agglomération"):
        assert text in page, text
    assert page.index("ALES-2027-0001 — Coup de pouce") < page.index("ALES-2027-0002 — Les soirées")


def test_decide_without_javascript_then_with_htmx(client, on_agenda):
    w = on_agenda
    client.force_login(w.lead)
    url = reverse("reviews:decide", args=[w.session.pk, w.anduze.pk])
    p = f"d{w.anduze.pk}-{w.etat.pk}-"
    data = {"funder": w.etat.pk, p + "outcome": "granted", p + "amount": "6 000", p + "decided_on": "2027-02-12",
            p + "payment_terms": "unique", p + "payment_dates": "2027-03-15", p + "reference": "Arrêté 2027-041"}
    r = client.post(url, data)
    assert r.status_code == 302 and r.url.endswith(f"#dossier-{w.anduze.pk}")
    assert Decision.objects.get(funder=w.etat).reference == "Arrêté 2027-041"
    q = f"d{w.anduze.pk}-{w.agglo.pk}-"
    r = client.post(url, {"funder": w.agglo.pk, q + "outcome": "granted", q + "amount": "3500",
                          q + "payment_terms": "unique"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="totals"' in body and 'hx-swap-oob="true"' in body
    assert "3\u202f500,00\xa0€" in body
    assert "Décision de Alès Agglomération enregistrée" in body
    w.anduze.refresh_from_db()
    assert w.anduze.status == Status.DECIDED
    r = client.post(url, {"funder": w.agglo.pk, q + "outcome": "refused", q + "reason": "",
                          q + "payment_terms": "unique", q + "payment_dates": "15/03/2027"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "Motif du refus : un refus doit être motivé" in body
    assert "Dates de versement : écrivez une date AAAA-MM-JJ" in body
    assert Decision.objects.get(funder=w.agglo).outcome == Outcome.GRANTED


def test_closing_makes_decisions_read_only(client, on_agenda):
    w = on_agenda
    grant(w, w.ales, w.etat, "20000")
    client.force_login(w.committee)
    assert client.post(reverse("reviews:session_close", args=[w.session.pk])).status_code == 404
    client.force_login(w.lead)
    r = client.post(reverse("reviews:session_close", args=[w.session.pk]))
    assert r.status_code == 302
    w.session.refresh_from_db()
    assert w.session.status == SessionStatus.CLOSED
    with pytest.raises(CommitteeError, match="close"):
        grant(w, w.ales, w.etat, "25000")
    with pytest.raises(CommitteeError, match="close"):
        agenda_add(session=w.session, application_ids=[w.late.pk])
    with pytest.raises(CommitteeError):
        session_close(session=w.session, by=w.lead)
    page = client.get(reverse("reviews:session", args=[w.session.pk])).content.decode()
    assert "La séance est close : ses décisions ne se modifient plus." in page
    assert "Enregistrer la décision" not in page and "Clore la séance" not in page
    p = f"d{w.ales.pk}-{w.etat.pk}-"
    r = client.post(reverse("reviews:decide", args=[w.session.pk, w.ales.pk]),
                    {"funder": w.etat.pk, p + "outcome": "granted", p + "amount": "1", p + "payment_terms": "unique"})
    assert r.status_code == 400
    assert Decision.objects.get().amount == Decimal("20000")


def test_sessions_page_access_and_creation(client, world):  # noqa: F811
    url = reverse("reviews:sessions", args=[world.call.slug])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(world.outsider)
    assert client.get(url).status_code == 403
    client.force_login(world.applicant)
    assert client.get(url).status_code == 403
    client.force_login(world.committee)
    r = client.get(url)
    assert r.status_code == 200 and "Comité de programmation du 12 février 2027" in r.content.decode()
    assert client.post(url, {"title": "Autre", "date": "2027-03-01"}).status_code == 403
    client.force_login(world.lead)
    r = client.post(url, {"title": "", "date": "12/02"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "Intitulé de la séance : ce champ est obligatoire." in body
    assert "Date de la séance : écrivez une date" in body
    r = client.post(url, {"title": "Comité de rattrapage", "date": "2027-04-02", "place": "Anduze"})
    created = CommitteeSession.objects.get(title="Comité de rattrapage")
    assert r.status_code == 302 and r.url == reverse("reviews:session", args=[created.pk])
    assert created.status == SessionStatus.PLANNED


def test_session_pages_hide_from_outsiders(client, on_agenda):
    w = on_agenda
    for user in (w.outsider, w.applicant):
        client.force_login(user)
        assert client.get(reverse("reviews:session", args=[w.session.pk])).status_code == 404
        assert client.post(reverse("reviews:decide", args=[w.session.pk, w.ales.pk]),
                           {"funder": w.etat.pk}).status_code == 404
    client.force_login(w.committee)  # reads the session, decides nothing
    assert client.get(reverse("reviews:session", args=[w.session.pk])).status_code == 200
    assert client.post(reverse("reviews:decide", args=[w.session.pk, w.ales.pk]),
                       {"funder": w.etat.pk}).status_code == 404
    assert not ApplicationTransition.objects.filter(why__startswith="décision").exists()


def test_session_page_queries_do_not_grow_with_the_agenda(client, on_agenda, django_assert_max_num_queries):
    from tests.reviews.test_committee_data import _application

    w = on_agenda
    org = w.ales.organisation
    for i in range(30):
        _application(w.call, org, f"ALES-2027-{100 + i:04d}", f"Action {i}", ["QN03001I"], Status.REVIEWED,
                     [(w.etat, Decimal("1000")), (w.agglo, Decimal("500"))])
    agenda_add(session=w.session)
    grant(w, w.ales, w.etat, "1000")
    client.force_login(w.lead)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("reviews:session", args=[w.session.pk]))
    assert r.status_code == 200 and r.content.decode().count('class="q-agenda-item') == 33
