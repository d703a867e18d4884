"""The world of the permission matrix (tests/reviews/test_perms_matrix.py), built once per module on top of the demo
(call ``ales-2027``: applications at every stage, an account for each role of the contract), plus what the demo
lacks: a representative of the State, a person of another contract, a signed-in person without any role, a reviewer
who declared a conflict of interest, an open request for information, a saved view, and a decision not yet notified.

Funder A is the State (BOP 147): the demo's « déléguée du préfet » is a reviewer attached to it, and a representative
is added. Funder B is Alès Agglomération (its demo representative). Both are asked for money by the reviewed
application, so each can be tried on the other's assessment and decision.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings

from quartiers.applications.models import (
    Application,
    ApplicationDocument,
    Membership,
    StandingDocument,
    Status,
)
from quartiers.calls.models import Call, Funder
from quartiers.demo.applications import demo_pdf
from quartiers.demo.calls import DEMO_CALL_SLUG
from quartiers.reviews.committee.services import agenda_add
from quartiers.reviews.models import (
    Advice,
    AdvisoryStance,
    Assessment,
    CommitteeSession,
    ConflictOfInterest,
    ContractMember,
    ContractRole,
    Decision,
    InfoRequest,
    Opinion,
    SavedView,
    SessionStatus,
)
from quartiers.territories.models import Contract

# What only some may read, written by the setup (not taken from the demo, whose wording may change).
ASSESSMENT_A = "Avis de l'État : besoin avéré, partenariat France Services à confirmer."
ASSESSMENT_B = "Avis de l'agglomération : préciser l'articulation avec la France Services."
PROPOSED_TOTAL = ("proposé : 13 086 €", "13086,00")  # 8 765 € + 4 321 €, on the queue page and in its CSV file
PROPOSED_A = ("8 765,00 €", "8765,00")  # the State's proposal alone, in the programme table and its CSV file
ADVICE = "Les permanences au pied des immeubles sont très attendues par les habitants."
DECIDED_ASSESSMENT = "Avis de l'État sur la mobilité : action structurante, bons résultats en 2026."
DECIDED_CONDITIONS = "Bilan intermédiaire attendu au 30 juin 2027."

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The rows of the matrix: each role and the account that plays it (None: nobody signed in; "applicant": a member of
# the organisation of the application the page is about).
ROLES = {
    "anonymous": None,
    "applicant": "applicant",
    "other_applicant": "amicale-st-ambroix@quartiers.localhost",
    "no_role": "sans-role",
    "project_lead": "cheffe-de-projet",
    "reviewer": "charge-de-mission",
    "reviewer_funder_a": "delegue-prefet",
    "funder_a": "financeur-etat",
    "funder_b": "financeur-agglo",
    "committee": "membre-comite",
    "resident": "conseil-citoyen",
    "observer": "observateur",
    "other_contract": "cheffe-de-projet-nimes",
    "conflicted_reviewer": "instructeur-en-conflit",
}


@dataclass
class World:
    call: Call
    funder_a: Funder  # the State (BOP 147)
    funder_b: Funder  # Alès Agglomération
    draft: Application  # Génération Manettes' third application, not submitted
    submitted: Application  # Génération Manettes' second application, just submitted
    admissible: Application  # Maison des jeunes d'Anduze: recevable, under instruction
    reviewed: Application  # Point Droits Cévennes: instruite, two assessments, an open request for information
    decided: Application  # Mission Mobilité Cévennes: voted, decisions notified
    unnotified: Application  # Les Jardins de la Cèze: voted, the decisions not yet notified
    open_session: CommitteeSession  # the second wave, the reviewed application on its agenda
    saved_view: SavedView  # the project lead's
    open_request: InfoRequest  # on the reviewed application, not answered
    document: ApplicationDocument  # attached to the reviewed application
    standing_document: StandingDocument  # of the reviewed application's organisation, attached to it
    other_document: ApplicationDocument  # attached to the decided application
    objective_pk: int  # an objective of the call's framework, for confirming a match
    users: dict = field(default_factory=dict)  # role → user (None for anonymous, absent for "applicant")

    def user(self, role: str, application: Application | None = None):
        if role == "applicant":
            return Membership.objects.filter(organisation=application.organisation).order_by("pk")[0].user
        return self.users[role]


def _user(username: str, **extra):
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={
        "email": f"{username}@quartiers.localhost", "first_name": username.split("-")[0].title(),
        "last_name": "Matrice", **extra})
    return user


def _document(application: Application, title: str) -> ApplicationDocument:
    data = demo_pdf(title)
    doc = ApplicationDocument(application=application, doc_type="activity_report", original_name="rapport.pdf",
                              kind="pdf", size=len(data))
    doc.file.save("rapport.pdf", ContentFile(data), save=False)
    doc.save()
    return doc


def build_world() -> World:
    """Load the demo and add the matrix's extra people and rows. Call with the database unblocked."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("demo", "--no-migrate", "--no-warmup", stdout=io.StringIO())
    call = Call.objects.select_related("contract").get(slug=DEMO_CALL_SLUG)
    contract = call.contract
    funders = {f.kind: f for f in Funder.objects.filter(contract=contract)}
    etat, agglo = funders["etat_bop147"], funders["epci"]
    apps = {a.organisation.legal_name: a for a in Application.objects.filter(call=call).select_related("organisation")}
    reviewed, admissible = apps["Point Droits Cévennes"], apps["Maison des jeunes d'Anduze"]
    decided, unnotified = apps["Mission Mobilité Cévennes"], apps["Les Jardins de la Cèze"]
    assert (reviewed.status, admissible.status, decided.status) == (Status.REVIEWED, Status.ADMISSIBLE,
                                                                      Status.DECIDED)

    # a submitted application: a copy of Génération Manettes' refused one, as just submitted
    submitted = Application.objects.get(pk=apps["Génération Manettes"].pk)
    submitted.pk = None
    submitted.status, submitted.reference = Status.SUBMITTED, "ALES-2027-0901"
    submitted.title = "Atelier de création de jeux vidéo"
    submitted.save()
    draft = Application.objects.get(pk=apps["Génération Manettes"].pk)  # and a draft, never seen on the review side
    draft.pk = None
    draft.status, draft.reference, draft.submitted_at = Status.DRAFT, None, None
    draft.title = "Brouillon : tournoi de jeux de société"
    draft.save()

    users = {role: None for role in ROLES}
    for role, username in ROLES.items():
        if username and role != "applicant":
            users[role] = get_user_model().objects.filter(username=username).first() or _user(username)
    ContractMember.objects.create(contract=contract, user=users["funder_a"], role=ContractRole.FUNDER, funder=etat)
    ContractMember.objects.create(contract=contract, user=users["conflicted_reviewer"], role=ContractRole.REVIEWER)
    for application in (submitted, admissible, reviewed, decided, unnotified):
        ConflictOfInterest.objects.create(application=application, user=users["conflicted_reviewer"],
                                          reason="membre du bureau de l'association")
    nimes = Contract.objects.create(slug="nimes", name="Contrat de ville de Nîmes Métropole", department="30")
    ContractMember.objects.create(contract=nimes, user=users["other_contract"], role=ContractRole.PROJECT_LEAD)
    assert [m.organisation.legal_name for m in Membership.objects.filter(user=users["other_applicant"])] == [
        "Amicale laïque de Saint-Ambroix"]  # whose only application (irrecevable) is used by no page below
    Assessment.objects.create(application=admissible, funder=etat, opinion=Opinion.FAVOURABLE, version=1,
                              proposed_amount=7000, comment="Ouverture du vendredi bienvenue.",
                              updated_by=users["reviewer_funder_a"])  # so that it can be marked « instruite »
    Assessment.objects.filter(application=reviewed, funder=etat).update(comment=ASSESSMENT_A, proposed_amount=8765)
    Assessment.objects.filter(application=reviewed, funder=agglo).update(comment=ASSESSMENT_B, proposed_amount=4321)
    Advice.objects.update_or_create(application=reviewed, author=users["resident"],
                                    defaults={"stance": AdvisoryStance.SUPPORT, "comment": ADVICE})
    Assessment.objects.filter(application=decided, funder=etat).update(comment=DECIDED_ASSESSMENT)
    Decision.objects.filter(application=decided, funder=etat).update(conditions=DECIDED_CONDITIONS)
    open_session = CommitteeSession.objects.exclude(status=SessionStatus.CLOSED).get(call=call)
    agenda_add(session=open_session, application_ids=[reviewed.pk])
    Decision.objects.filter(application=unnotified).update(notified_at=None)
    open_request = InfoRequest.objects.create(application=reviewed, asked_by=users["reviewer"],
                                              question="Joignez le budget prévisionnel de la structure pour 2027.")
    saved_view = SavedView.objects.create(user=users["project_lead"], call=call, name="Anduze",
                                          query="q=Anduze")
    document, other_document = (_document(a, title) for a, title in (
        (reviewed, "Rapport d'activité 2026 de Point Droits Cévennes"), (decided, "Rapport d'activité 2026 de MMC")))
    standing_document = reviewed.standing_documents.order_by("pk")[0]
    objective_pk = reviewed.confirmed_matches.get(is_primary=True).objective_id
    return World(call=call, funder_a=etat, funder_b=agglo, draft=draft, submitted=submitted, admissible=admissible,
                 reviewed=reviewed, decided=decided, unnotified=unnotified, open_session=open_session,
                 saved_view=saved_view, open_request=open_request, document=document,
                 standing_document=standing_document, other_document=other_document, objective_pk=objective_pk,
                 users=users)
