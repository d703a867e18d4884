"""Demo data of the review side: an account for each role of the Alès contract, the call's scoring grid, and
applications of five more associations at every stage of the flow (irrecevable, recevable en instruction,
instruite, votée, refusée), written as the associations of the Cévennes would, with the first committee session.

The association demo account (Cévennes Jeunesse) also gets a voted application, so that it sees a decision.
Idempotent: accounts, organisations and applications are found by username, SIRET or title before being created.
Every step goes through the services the pages use (``reviews.review.services``, ``reviews.committee.services``), so the demo has
the same history, scores and notifications as real use; its e-mails are not sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings

from quartiers.applications.models import Application, Membership, Organisation, Role, StandingDocument, Status
from quartiers.applications.services import application_create, application_submit
from quartiers.calls.models import Call, Funder
from quartiers.demo.applications import DEMO_SIRET, STANDING, demo_pdf
from quartiers.demo.calls import DEMO_CALL_SLUG
from quartiers.frameworks.matching import matcher_for
from quartiers.frameworks.models import Objective
from quartiers.reviews.committee.services import agenda_add, decision_record, session_close
from quartiers.reviews.models import (
    CONVENTION_THRESHOLD,
    AdvisoryStance,
    CommitteeSession,
    ContractMember,
    ContractRole,
    Opinion,
    Outcome,
    PaymentTerms,
    ScoringCriterion,
    SessionStatus,
)
from quartiers.reviews.review.selectors import review_ranking
from quartiers.reviews.review.services import (
    admissibility_set,
    advice_save,
    application_mark_reviewed,
    assessment_save,
    info_answer,
    info_request_create,
    match_confirm,
)

PARIS = ZoneInfo("Europe/Paris")
SUBMITTED_AT = datetime(2026, 11, 6, 10, 30, tzinfo=PARIS)  # first wave of the call, before the first committee
SESSION_DATE = date(2026, 11, 24)

# username, full name, role, funder kind (or ""), what the account is for
ROLE_ACCOUNTS = [
    ("cheffe-de-projet", "Camille Martin", ContractRole.PROJECT_LEAD, "",
     "cheffe de projet du contrat : référentiel, instruction, comité, programmation"),
    ("charge-de-mission", "Karim Benali", ContractRole.REVIEWER, "",
     "chargé de mission du GIP : appels à projets, recevabilité, instruction"),
    ("delegue-prefet", "Sophie Arnaud", ContractRole.REVIEWER, "etat_bop147",
     "déléguée du préfet : instruit pour l'État (BOP 147)"),
    ("financeur-agglo", "Luc Fabre", ContractRole.FUNDER, "epci",
     "représentant d'Alès Agglomération : avis et décisions de l'agglomération"),
    ("financeur-caf", "Inès Roux", ContractRole.FUNDER, "caf", "représentante de la CAF du Gard"),
    ("membre-comite", "Jean Pellet", ContractRole.COMMITTEE, "", "membre du comité de programmation (lecture)"),
    ("conseil-citoyen", "Fatima Ould", ContractRole.RESIDENT, "",
     "membre du conseil citoyen de Rochebelle : avis consultatif"),
    ("observateur", "Paul Vidal", ContractRole.OBSERVER, "", "observateur (lecture seule)"),
]

GRID = [
    ("Capacité à faire du porteur", "Équipe, expérience, partenariats, santé financière.", Decimal(2)),
    ("Présence dans le quartier", "Implantation et connaissance du quartier, lien avec les habitants.", Decimal(1)),
    ("Faisabilité du calendrier", "Calendrier réaliste, moyens au regard des activités.", Decimal(1)),
    ("Publics visés et mobilisation", "Part d'habitants des QPV, manière d'aller vers les publics.", Decimal(2)),
    ("Inscription dans les priorités du quartier", "Lien avec un objectif du projet de quartier.", Decimal(3)),
]


@dataclass
class DemoCase:
    """One demo application and the stage it is brought to."""

    org: dict
    title: str
    code: str  # QPV
    objective: str  # start of the objective's text, in that QPV
    need: str
    description: str
    activities: list[str]
    audience: list[tuple[str, str, int, int]]  # sex, age band, count, of whom QPV
    places: list[str]
    schedule: list[dict]
    charges: dict[str, str]
    requests: dict[str, str]  # funder kind → amount
    stage: str  # a Status value
    renewal: bool = False
    other_income: dict[str, str] = field(default_factory=dict)
    inadmissible_reason: str = ""
    opinions: dict[str, tuple[str, str | None, str, list[int]]] = field(default_factory=dict)  # kind → opinion…
    decisions: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # kind → (outcome, amount, text)
    advice: tuple[str, str] | None = None
    question: tuple[str, str] | None = None  # a request for information and its answer


def _org(siret, name, acronym, rna, street, postcode, commune, representative, email) -> dict:
    return {"siret": siret, "legal_name": name, "acronym": acronym, "rna": rna, "legal_form": "association",
            "street": street, "postcode": postcode, "commune": commune, "representative_name": representative,
            "representative_role": "président·e", "representative_email": email, "username": email}


MOBILITE = _org("81234567600017", "Mission Mobilité Cévennes", "MMC", "W302001234", "12 rue de la Clède",
                "30110", "La Grand-Combe", "Hervé Castanier", "mobilite-cevennes@quartiers.localhost")
JARDINS = _org("82345678500018", "Les Jardins de la Cèze", "", "W302005678", "3 place de l'Église",
               "30500", "Saint-Ambroix", "Lucie Meynadier", "jardins-ceze@quartiers.localhost")
MANETTES = _org("83456789300013", "Génération Manettes", "", "W302009012", "27 avenue Carnot", "30100", "Alès",
                "Yanis Cherif", "generation-manettes@quartiers.localhost")
DROITS = _org("84567890300012", "Point Droits Cévennes", "PDC", "W302003456", "5 rue d'Avéjan", "30100", "Alès",
              "Martine Roux", "point-droits@quartiers.localhost")
MJ_ANDUZE = _org("85678901100017", "Maison des jeunes d'Anduze", "MJA", "W302007890", "8 plan de Brie", "30140",
                 "Anduze", "Thomas Guiraud", "mj-anduze@quartiers.localhost")
AMICALE = _org("86789012100017", "Amicale laïque de Saint-Ambroix", "", "W302002345", "1 rue du Collège",
               "30500", "Saint-Ambroix", "Odile Chabert", "amicale-st-ambroix@quartiers.localhost")
CEVENNES_JEUNESSE = {"siret": DEMO_SIRET}

OUT_OF_SCHOOL = [{"kind": "out_of_school_time", "weekday": "wednesday", "start": "14:00", "end": "17:30"}]

CASES = [
    DemoCase(
        org=MOBILITE, title="Permis solidaire et atelier mobilité du bassin grand-combien", code="QN03016M",
        objective="Promouvoir et développer les dispositifs d'aide à la mobilité",
        need=("Sans voiture ni permis, les demandeurs d'emploi de La Grand-Combe refusent des offres à Alès ; le bus "
              "ne dessert pas les horaires décalés des zones d'activité. Pôle emploi et la mission locale nous "
              "orientent une quarantaine de personnes par an."),
        description=("Auto-école associative : code en salle, 20 à 30 heures de conduite encadrées par un moniteur "
                     "diplômé, apprentissage du vélo et des transports en commun, prêt de scooters pour les "
                     "premières semaines d'un emploi ou d'une formation."),
        activities=["Code de la route en petits groupes", "Leçons de conduite à tarif solidaire",
                    "Atelier mobilité : bus, covoiturage, vélo", "Prêt de deux-roues pour la reprise d'emploi"],
        audience=[("female", "26-64", 22, 18), ("male", "26-64", 14, 11), ("female", "18-25", 10, 8),
                  ("male", "18-25", 8, 6)],
        places=["Local associatif, 12 rue de la Clède, La Grand-Combe"],
        schedule=[{"kind": "evening", "weekday": "tuesday", "start": "18:00", "end": "20:00"}],
        charges={"60": "6000.00", "61": "9000.00", "62": "4000.00", "64": "38000.00"},
        requests={"etat_bop147": "26000.00", "epci": "9000.00", "departement": "8000.00"},
        other_income={"70": "14000.00"}, stage=Status.DECIDED, renewal=True,
        opinions={"etat_bop147": (Opinion.FAVOURABLE, None, "Action structurante, bons résultats en 2026.",
                                  [4, 4, 3, 4, 4]),
                  "epci": (Opinion.FAVOURABLE_MODIFIED, "7000.00", "Enveloppe contrainte : 7 000 € proposés.",
                           [3, 3, 3, 3, 4])},
        decisions={"etat_bop147": (Outcome.GRANTED, "26000.00", "Bilan intermédiaire attendu au 30 juin 2027."),
                   "epci": (Outcome.GRANTED, "7000.00", ""),
                   "departement": (Outcome.GRANTED, "8000.00", "")},
        advice=(AdvisoryStance.SUPPORT, "Beaucoup d'habitants du quartier n'ont pas le permis : action utile."),
    ),
    DemoCase(
        org=JARDINS, title="Jardin partagé de l'Écusson", code="QN03014M",
        objective="Favoriser l'appropriation des espaces publics",
        need=("Le square de la rue du Collège est laissé à l'abandon ; les habitants de l'Écusson, en logements "
              "sans extérieur, demandent un lieu pour jardiner et se retrouver."),
        description=("Aménager avec les habitants un jardin partagé de douze parcelles dans le square, avec un "
                     "composteur collectif, des ateliers mensuels de jardinage au naturel et une fête des "
                     "récoltes ouverte au quartier."),
        activities=["Chantiers participatifs d'aménagement", "Ateliers mensuels de jardinage",
                    "Fête des récoltes"],
        audience=[("female", "26-64", 15, 13), ("male", "26-64", 10, 8), ("female", "65+", 8, 7)],
        places=["Square de la rue du Collège, Saint-Ambroix"],
        schedule=[{"kind": "weekend", "weekday": "saturday", "start": "09:30", "end": "12:00"}],
        charges={"60": "3500.00", "61": "1000.00", "62": "1500.00", "64": "4000.00"},
        requests={"etat_bop147": "6000.00", "departement": "2000.00"},
        other_income={"75": "2000.00"}, stage=Status.DECIDED,
        opinions={"etat_bop147": (Opinion.FAVOURABLE, None, "Projet porté par les habitants.", [3, 4, 4, 3, 4])},
        decisions={"etat_bop147": (Outcome.GRANTED, "6000.00", ""),
                   "departement": (Outcome.GRANTED, "2000.00", "")},
    ),
    DemoCase(
        org=CEVENNES_JEUNESSE, title="Été découverte des Cévennes pour les enfants de Rochebelle", code="QN03001I",
        objective="Favoriser l'ouverture culturelle, sportive et sociale des enfants",
        need=("L'été, les enfants de Rochebelle et des Prés Saint-Jean restent au quartier : les familles ne partent "
              "pas et les accueils de loisirs sont complets."),
        description=("Quatre semaines de sorties à la journée en juillet, hors temps scolaire : randonnée au mont "
                     "Aigoual, baignade surveillée au Gardon, visite du musée du Désert et de la mine témoin, "
                     "ateliers de pleine nature, avec un goûter partagé avec les parents à la fin de chaque semaine."),
        activities=["Sorties nature et patrimoine à la journée", "Baignade surveillée", "Goûters avec les parents"],
        audience=[("female", "6-10", 16, 14), ("male", "6-10", 18, 15), ("female", "11-14", 8, 7),
                  ("male", "11-14", 8, 6)],
        places=["Centre social de Rochebelle, Alès", "Sites des Cévennes (sorties)"],
        schedule=[{"kind": "school_holidays", "label": "du 5 au 30 juillet 2027"}],
        charges={"60": "2000.00", "61": "1500.00", "62": "5500.00", "64": "7000.00"},
        requests={"etat_bop147": "5000.00", "commune": "4000.00", "caf": "3000.00"},
        other_income={"70": "1500.00", "75": "2500.00"}, stage=Status.DECIDED,
        opinions={"etat_bop147": (Opinion.FAVOURABLE, None, "", [3, 4, 3, 4, 4]),
                  "caf": (Opinion.FAVOURABLE_MODIFIED, "2000.00", "Financement CAF plafonné à 2 000 €.",
                          [3, 4, 3, 4, 3])},
        decisions={"etat_bop147": (Outcome.GRANTED, "5000.00", ""),
                   "commune": (Outcome.GRANTED, "4000.00", ""),
                   "caf": (Outcome.GRANTED, "2000.00", "Attestation de fréquentation en fin d'action.")},
    ),
    DemoCase(
        org=MANETTES, title="Tournoi de jeux vidéo des quartiers", code="QN03001I",
        objective="Développer l'accès et la diversification des pratiques artistiques",
        need="Les jeunes passent beaucoup de temps sur les jeux vidéo ; un tournoi les ferait se rencontrer.",
        description=("Un tournoi de jeux vidéo sur une journée au complexe de la Prairie, avec des consoles louées "
                     "et des lots pour les gagnants, ouvert à tous les jeunes de l'agglomération."),
        activities=["Tournoi sur une journée", "Remise des lots"],
        audience=[("male", "15-17", 40, 22), ("male", "18-25", 40, 20), ("female", "15-17", 20, 12)],
        places=["Complexe de la Prairie, Alès"],
        schedule=[{"kind": "weekend", "weekday": "saturday", "start": "10:00", "end": "19:00"}],
        charges={"60": "6000.00", "61": "3000.00", "62": "1000.00"},
        requests={"epci": "4000.00", "commune": "3000.00"},
        other_income={"70": "3000.00"}, stage=Status.REFUSED,
        opinions={"epci": (Opinion.UNFAVOURABLE, None, "Événement ponctuel, sans projet éducatif ni suivi des jeunes.",
                           [2, 1, 3, 1, 1])},
        decisions={"epci": (Outcome.REFUSED, "0", "Événement d'une journée, ouvert à toute l'agglomération, sans "
                                                  "projet éducatif ni suivi des jeunes du quartier."),
                   "commune": (Outcome.REFUSED, "0", "Événement ponctuel sans lien avec les priorités du quartier.")},
    ),
    DemoCase(
        org=DROITS, title="Permanences d'accès aux droits aux Prés Saint-Jean", code="QN03001I",
        objective="Accompagner les habitants en matière d'accès aux droits",
        need=("Depuis la dématérialisation, beaucoup d'habitants ne font plus valoir leurs droits (CAF, retraite, "
              "chèque énergie) ; la France Services d'Alès est saturée."),
        description=("Deux permanences par semaine au pied des immeubles des Prés Saint-Jean, avec une juriste et "
                     "une médiatrice numérique : aide aux démarches en ligne, orientation, accompagnement vers les "
                     "services publics, et des ateliers collectifs « mes droits, mes démarches »."),
        activities=["Permanences hebdomadaires d'accès aux droits", "Ateliers collectifs d'inclusion numérique"],
        audience=[("female", "26-64", 60, 52), ("male", "26-64", 40, 34), ("female", "65+", 20, 17)],
        places=["Local du bailleur, Prés Saint-Jean, Alès"],
        schedule=[{"kind": "school_time", "weekday": "monday", "start": "09:00", "end": "12:00"}],
        charges={"61": "2400.00", "62": "1600.00", "64": "18000.00"},
        requests={"etat_bop147": "9000.00", "epci": "6000.00"},
        stage=Status.REVIEWED, renewal=True,
        opinions={"etat_bop147": (Opinion.FAVOURABLE, None, "Besoin avéré, partenariat France Services.",
                                  [4, 4, 4, 4, 4]),
                  "epci": (Opinion.RESERVED, None, "Préciser l'articulation avec la France Services.",
                           [3, 3, 3, 3, 3])},
        advice=(AdvisoryStance.SUPPORT, "Les permanences au pied des immeubles sont très attendues."),
        question=("Pouvez-vous préciser comment les permanences s'articulent avec la France Services d'Alès ?",
                  "Nous orientons vers la France Services pour les démarches complexes ; une convention de "
                  "partenariat est en cours de signature."),
    ),
    DemoCase(
        org=MJ_ANDUZE, title="Soirées jeunes du vendredi au centre ancien", code="QN03002M",
        objective="Soutenir les activités spécifiquement dédiées aux publics adolescent et jeune, en soirée",
        need=("Le vendredi soir, les adolescents du centre ancien d'Anduze n'ont aucun lieu ouvert : ils restent "
              "sur la place, et les riverains se plaignent."),
        description=("Ouvrir la maison des jeunes le vendredi de 18 h à 22 h pour les 12-17 ans : repas préparé "
                     "ensemble, jeux, projections, préparation de projets de jeunes (séjour, concert), avec deux "
                     "animateurs et un éducateur de prévention."),
        activities=["Ouverture du vendredi soir", "Repas partagé préparé par les jeunes",
                    "Accompagnement de projets de jeunes"],
        audience=[("female", "11-14", 12, 10), ("male", "11-14", 14, 11), ("female", "15-17", 10, 8),
                  ("male", "15-17", 12, 9)],
        places=["Maison des jeunes, 8 plan de Brie, Anduze"],
        schedule=[{"kind": "evening", "weekday": "friday", "start": "18:00", "end": "22:00"}],
        charges={"60": "2500.00", "61": "500.00", "62": "1000.00", "64": "14000.00"},
        requests={"etat_bop147": "7000.00", "departement": "3000.00"},
        other_income={"70": "1000.00", "75": "7000.00"}, stage=Status.ADMISSIBLE,
    ),
    DemoCase(
        org=AMICALE, title="Classe de neige des CM2 de l'école du Collège", code="QN03014M",
        objective="Développer l'offre de loisirs pour les jeunes",
        need="Les familles de l'école ne peuvent pas payer la classe de neige organisée par l'école.",
        description=("Participation aux frais de la classe de neige des deux classes de CM2 de l'école publique, "
                     "une semaine en février, pendant le temps scolaire, au Mont-Lozère."),
        activities=["Séjour d'une semaine à la neige"],
        audience=[("female", "6-10", 24, 13), ("male", "6-10", 22, 12)],
        places=["Le Bleymard – Mont-Lozère"],
        schedule=[{"kind": "school_time", "label": "une semaine en février 2027"}],
        charges={"60": "1000.00", "62": "10500.00"},
        requests={"etat_bop147": "4000.00", "departement": "2500.00"},
        other_income={"70": "5000.00"}, stage=Status.INADMISSIBLE,
        inadmissible_reason=("Séjour organisé par l'école sur le temps scolaire : il relève des crédits de droit "
                             "commun de l'Éducation nationale, pas des crédits de la politique de la ville."),
    ),
]


def _user(username: str, full_name: str, password: str, *, email: str = ""):
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last,
                                     "email": email or f"{username}@quartiers.localhost"})
    if created:
        user.set_password(password)
        user.save()
    return user


def _organisation(spec: dict, password: str) -> tuple[Organisation, object]:
    if spec is CEVENNES_JEUNESSE:
        org = Organisation.objects.get(siret=DEMO_SIRET)
        return org, org.memberships.select_related("user").order_by("pk")[0].user
    user = _user(spec["username"], spec["representative_name"], password, email=spec["username"])
    fields = {k: v for k, v in spec.items() if k not in ("siret", "username")}
    org, _ = Organisation.objects.get_or_create(siret=spec["siret"], defaults=fields)
    Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": Role.ADMINISTRATOR})
    for doc_type, title in STANDING.items():
        if not org.documents.filter(doc_type=doc_type).exists():
            data = demo_pdf(title.replace("Association Cevennes Jeunesse", spec["legal_name"]).encode(
                "ascii", "replace").decode())
            doc = StandingDocument(organisation=org, doc_type=doc_type, original_name=f"{doc_type}.pdf", kind="pdf",
                                   size=len(data), uploaded_by=user)
            doc.file.save(f"{doc_type}.pdf", ContentFile(data), save=False)
            doc.save()
    return org, user


def _funders(call: Call) -> dict[str, Funder]:
    return {cf.funder.kind: cf.funder for cf in call.call_funders.select_related("funder").order_by("funder__name")}


def _objective_row(call: Call, code: str, starts_with: str) -> Objective:
    return Objective.objects.select_related("theme__section").get(
        theme__section__version=call.framework_version, theme__section__neighbourhood__code=code, text__startswith=starts_with)


def _content(call: Call, case: DemoCase, funders: dict[str, Funder], signatory: str) -> dict:
    subsidies = [{"funder": funders[k].code, "amount": v} for k, v in case.requests.items()]
    total = sum((Decimal(v) for v in case.charges.values()), Decimal(0))
    income: dict = {k: v for k, v in case.other_income.items() if not k.startswith("74")}
    income["74"] = subsidies
    covered = sum((Decimal(v) for v in case.requests.values()), Decimal(0)) + sum(
        (Decimal(v) for k, v in income.items() if k != "74"), Decimal(0))
    if total > covered:  # own funds close the budget, as a real association would write it
        income["75"] = str(Decimal(income.get("75", "0")) + total - covered)
    objective = _objective_row(call, case.code, case.objective)
    return {
        "title": case.title, "need": case.need, "objectives": case.need.split(";")[0][:300],
        "description": case.description, "activities": case.activities,
        "audience": [{"sex": s, "age_band": a, "count": n, "qpv_count": q} for s, a, n, q in case.audience],
        "neighbourhoods": [case.code], "places": case.places, "schedule": case.schedule,
        "start_date": "2027-01-04", "end_date": "2027-12-17", "renewal": case.renewal,
        "previous_report_provided": case.renewal,
        "partners": [], "means": "Salariés et bénévoles de l'association, locaux mis à disposition.",
        "indicators": [{"name": "Personnes accompagnées", "target": str(sum(n for _, _, n, _ in case.audience))}],
        "cer": {"attested": True, "signatory": signatory, "signed_on": "2026-11-05"},
        "budget": {"charges": case.charges, "income": income},
        "requested": [dict(s) for s in subsidies],
        "claimed_objectives": [{"key": objective.key, "text": objective.text, "neighbourhood": case.code}],
    }


def _scores(call: Call, values: list[int]) -> dict:
    criteria = list(call.criteria.order_by("position", "pk"))
    return {str(c.pk): v for c, v in zip(criteria, values, strict=False)}


def _proposed(opinion: str, amount: str | None, requested: str) -> Decimal | None:
    """The amount a reviewer proposes: the one written, else the request for a favourable opinion, else none."""
    if amount:
        return Decimal(amount)
    return Decimal(requested) if opinion == Opinion.FAVOURABLE else None


def _confirm(call: Call, case: DemoCase, app: Application, reviewer) -> None:
    """Confirm the case's objective as a reviewer would: from the engine's ranking when it is there."""
    objective = _objective_row(call, case.code, case.objective)
    rank = score = None
    for hood in review_ranking(app, limit=62):
        for row in hood.rows:
            if hood.code == case.code and row["match"].objective.key == objective.key:
                rank, score = row["rank"], row["match"].score
    match_confirm(application=app, objective=objective, user=reviewer, suggested_rank=rank, suggested_score=score)


def _bring_to_stage(call: Call, case: DemoCase, app: Application, funders: dict[str, Funder], users: dict,
                    session: CommitteeSession) -> None:
    """Take a submitted application through the review services up to the case's stage (history included)."""
    lead, reviewer = users["cheffe-de-projet"], users["charge-de-mission"]
    applicant = app.submitted_by
    if case.question:
        request = info_request_create(application=app, user=reviewer, question=case.question[0])
        info_answer(info_request=request, user=applicant, answer=case.question[1])
    if case.stage == Status.INADMISSIBLE:
        admissibility_set(application=app, user=reviewer, admissible=False, reason=case.inadmissible_reason)
        return
    admissibility_set(application=app, user=reviewer, admissible=True)
    if case.stage == Status.ADMISSIBLE:
        return
    _confirm(call, case, app, reviewer)
    for kind, (opinion, amount, comment, values) in case.opinions.items():
        assessment_save(application=app, funder=funders[kind], version=0, opinion=opinion,
                        user=users["delegue-prefet"] if kind == "etat_bop147" else reviewer,
                        proposed_amount=_proposed(opinion, amount, case.requests[kind]),
                        comment=comment, scores=_scores(call, values))
    if case.advice:
        advice_save(application=app, user=users["conseil-citoyen"], stance=case.advice[0], comment=case.advice[1])
    application_mark_reviewed(application=app, user=reviewer)
    if case.stage == Status.REVIEWED:
        return
    agenda_add(session=session, application_ids=[app.pk])
    for kind, (outcome, amount, text) in case.decisions.items():
        granted = outcome == Outcome.GRANTED
        large = granted and Decimal(amount) > CONVENTION_THRESHOLD
        decision_record(
            session=session, application=Application.objects.get(pk=app.pk), funder=funders[kind], by=lead,
            outcome=outcome, amount=amount if granted else None, conditions=text if granted else "",
            reason="" if granted else text, decided_on=SESSION_DATE,
            reference=f"CP-{SESSION_DATE:%Y%m%d}-{app.reference[-4:]}",
            payment_terms=PaymentTerms.STAGED if large else PaymentTerms.SINGLE,
            payment_dates="2027-01-15/2027-09-30" if large else "2027-01-15",
            convention_date=date(2026, 12, 10) if large else None)


def load_second_contract_lead(contract, *, password: str) -> list[tuple[str, str]]:
    """The project lead of the demo's second contract (she has no role in the Alès contract)."""
    user = _user("cheffe-uzes", "Inès Garcia", password)
    ContractMember.objects.get_or_create(contract=contract, user=user, defaults={"role": ContractRole.PROJECT_LEAD})
    return [("cheffe-uzes", f"cheffe de projet du second contrat ({contract.name}), sans rôle dans celui d'Alès")]


def load_demo_reviews(*, password: str) -> list[tuple[str, str]]:
    """Load the role accounts, the grid, the applications at every stage and the first committee session."""
    call = Call.objects.filter(slug=DEMO_CALL_SLUG).select_related("contract", "framework_version").first()
    if call is None:
        return []
    funders = _funders(call)
    users, accounts = {}, []
    for username, full_name, role, funder_kind, what in ROLE_ACCOUNTS:
        user = _user(username, full_name, password)
        users[username] = user
        ContractMember.objects.get_or_create(contract=call.contract, user=user, defaults={
            "role": role, "funder": funders.get(funder_kind) if funder_kind else None})
        accounts.append((username, what))
    if not call.criteria.exists():
        for i, (label, help_text, weight) in enumerate(GRID, start=1):
            ScoringCriterion.objects.create(call=call, label=label, help_text=help_text, weight=weight, position=i)
    session, _ = CommitteeSession.objects.get_or_create(
        call=call, title="Comité de programmation — première vague",
        defaults={"date": SESSION_DATE, "place": "Sous-préfecture d'Alès"})
    CommitteeSession.objects.get_or_create(
        call=call, title="Comité de programmation — seconde vague",
        defaults={"date": date(2027, 2, 9), "place": "GIP Politique de la ville, Alès"})
    matcher_for(call.framework_version)  # warm once: the submissions below run the rules, which match
    for case in CASES:
        org, applicant = _organisation(case.org, password)
        if Application.objects.filter(call=call, organisation=org, title=case.title).exists():
            continue
        with transaction.atomic(), override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            app = application_create(call=call, organisation=org, user=applicant,
                                     content=_content(call, case, funders, org.representative_name))
            app = application_submit(application=app, user=applicant, now=SUBMITTED_AT, notify=False)
            _bring_to_stage(call, case, app, funders, users, session)
    if session.status != SessionStatus.CLOSED and session.decisions.exists():
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            session_close(session=session, by=users["cheffe-de-projet"])  # notifies the applicants (not printed)
    for org_spec in (MOBILITE, JARDINS, MANETTES, DROITS, MJ_ANDUZE, AMICALE):
        accounts.append((org_spec["username"], f"association {org_spec['legal_name']}"))
    return accounts


__all__ = ["ROLE_ACCOUNTS", "load_demo_reviews"]
