"""Demo data of the applications app: « Association Cévennes Jeunesse », its applicant account, its standing
documents, a draft for Anduze and a submitted application for Alès, written as a real association would.

Idempotent: everything is found by SIRET, username or title before being created. Needs the demo call
(``quartiers.demo.calls``, slug ``ales-2027``); without it, only the organisation and its account are loaded.
"""


from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from quartiers.applications.engine_adapter import application_findings
from quartiers.applications.models import Application, Membership, Organisation, Role, StandingDocument
from quartiers.applications.services import application_create, application_submit
from quartiers.calls.models import Call, call_is_accepting
from quartiers.demo.calls import DEMO_CALL_SLUG

DEMO_USERNAME = "association@quartiers.localhost"
DEMO_SIRET = "79845612500011"


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF naming the document (enough for the demo's document slots)."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


STANDING = {
    "statutes": "Statuts de l'association Cevennes Jeunesse (AG du 14 mars 2024)",
    "board_list": "Liste des dirigeants - Association Cevennes Jeunesse",
    "bank_details": "RIB - Association Cevennes Jeunesse",
    "annual_accounts": "Comptes annuels 2025 approuves par l'AG du 12 avril 2026",
    "activity_report": "Rapport d'activite 2025",
}


def _user(password: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": DEMO_USERNAME, "first_name": "Nadia", "last_name": "Benali", "is_active": True})
    if created:
        user.set_password(password)
        user.save()
    return user


def _organisation(user) -> Organisation:
    org, _ = Organisation.objects.get_or_create(siret=DEMO_SIRET, defaults={
        "legal_name": "Association Cévennes Jeunesse", "acronym": "ACJ", "rna": "W303004512",
        "legal_form": "association", "street": "4 rue Notre-Dame", "postcode": "30140", "commune": "Anduze",
        "representative_name": "Nadia Benali", "representative_role": "présidente",
        "representative_email": DEMO_USERNAME, "representative_phone": "04 66 00 00 00",
    })
    Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": Role.ADMINISTRATOR})
    for doc_type, title in STANDING.items():
        if not org.documents.filter(doc_type=doc_type).exists():
            doc = StandingDocument(organisation=org, doc_type=doc_type, original_name=f"{doc_type}.pdf", kind="pdf",
                                   size=0, uploaded_by=user)
            data = demo_pdf(title)
            doc.size = len(data)
            doc.file.save(f"{doc_type}.pdf", ContentFile(data), save=False)
            doc.save()
    return org


def _objective(call: Call, code: str, starts_with: str) -> dict:
    from quartiers.frameworks.matching import matcher_for

    for n in matcher_for(call.framework_version).framework.neighbourhoods:
        if n.code == code:
            for t in n.themes:
                for o in t.objectives:
                    if o.text.startswith(starts_with):
                        return {"key": o.key, "text": o.text, "neighbourhood": code}
    raise LookupError(starts_with)


def _funder(call: Call, kind: str) -> str:
    return call.call_funders.select_related("funder").filter(funder__kind=kind).order_by("funder__name", "pk")[0].funder.code


def _ales_content(call: Call) -> dict:
    subsidies = [
        {"funder": _funder(call, "etat_bop147"), "amount": "8500.00"},
        {"funder": _funder(call, "epci"), "amount": "5000.00"},
        {"funder": _funder(call, "commune"), "amount": "3500.00"},
        {"funder": _funder(call, "caf"), "amount": "3000.00"},
    ]
    return {
        "title": "Coup de pouce devoirs à Rochebelle et aux Prés Saint-Jean",
        "need": ("Les enseignants des écoles Jean-Moulin et Louis-Leprince-Ringuet signalent une trentaine d'enfants "
                 "du CE1 au CM2 qui n'ont personne pour les aider le soir ; les familles, souvent non francophones, "
                 "nous demandent un appui pour suivre la scolarité et comprendre les attendus de l'école."),
        "objectives": ("Prévenir le décrochage dès l'école élémentaire : consolider la lecture et les méthodes de "
                       "travail, redonner confiance aux enfants et associer les parents au suivi de la scolarité."),
        "description": ("Accompagnement à la scolarité en petits groupes de six enfants, le mardi après la classe et "
                        "le mercredi après-midi, dans la salle du centre social de Rochebelle : aide aux devoirs, "
                        "ateliers lecture et jeux de langage, avec un temps d'échange mensuel avec les parents et "
                        "les enseignants. Pendant les petites vacances, une semaine de stage « lire et écrire » "
                        "avec la médiathèque."),
        "activities": ["Aide aux devoirs en petits groupes (mardi et mercredi)",
                       "Ateliers lecture et jeux de langage avec la médiathèque d'Alès",
                       "Rencontre mensuelle parents – enseignants – bénévoles",
                       "Stage « lire et écrire » une semaine par période de petites vacances"],
        "audience": [
            {"sex": "female", "age_band": "6-10", "count": 18, "qpv_count": 15},
            {"sex": "male", "age_band": "6-10", "count": 20, "qpv_count": 16},
            {"sex": "female", "age_band": "11-14", "count": 10, "qpv_count": 8},
            {"sex": "male", "age_band": "11-14", "count": 12, "qpv_count": 9},
        ],
        "neighbourhoods": ["QN03001I"],
        "places": ["Centre social de Rochebelle, Alès", "Médiathèque Alphonse-Daudet, Alès"],
        "schedule": [
            {"kind": "out_of_school_time", "weekday": "tuesday", "start": "16:45", "end": "18:15"},
            {"kind": "out_of_school_time", "weekday": "wednesday", "start": "14:00", "end": "17:00"},
            {"kind": "school_holidays", "label": "une semaine par période de petites vacances"},
        ],
        "start_date": "2027-01-11",
        "end_date": "2027-12-17",
        "renewal": False,
        "partners": ["Écoles Jean-Moulin et Louis-Leprince-Ringuet", "Centre social de Rochebelle",
                     "Médiathèque Alphonse-Daudet", "Programme de réussite éducative d'Alès"],
        "means": ("Une coordinatrice salariée à 0,6 ETP, huit bénévoles (retraités de l'enseignement, étudiants), "
                  "la salle du centre social mise à disposition, des livres et jeux éducatifs."),
        "indicators": [{"name": "Enfants accompagnés toute l'année", "target": "60 dont 48 du QPV"},
                       {"name": "Parents présents aux rencontres mensuelles", "target": "30"},
                       {"name": "Enfants progressant d'un niveau de lecture (évaluation des écoles)", "target": "70 %"}],
        "cer": {"attested": True, "signatory": "Nadia Benali", "signed_on": "2026-11-20"},
        "budget": {
            "charges": {"60": "1200.00", "61": "2400.00", "62": "800.00", "64": "21600.00", "86": "4500.00"},
            "income": {"70": "2000.00", "74": subsidies, "75": "4000.00", "87": "4500.00"},
        },
        "requested": [dict(s) for s in subsidies],
        "claimed_objectives": [_objective(call, "QN03001I", "Prévenir le décrochage scolaire")],
    }


def _anduze_content(call: Call) -> dict:
    return {
        "title": "Atelier vélo des jeunes d'Anduze",
        "need": ("Les jeunes du centre ancien d'Anduze dépendent des parents pour se déplacer vers le collège, "
                 "les clubs et les stages ; beaucoup ont un vélo hors d'usage."),
        "description": ("Un atelier d'autoréparation de vélos ouvert le samedi après-midi et pendant les vacances, "
                        "animé avec les jeunes, suivi de sorties à vélo sur la voie verte."),
        "neighbourhoods": ["QN03002M"],
        "places": ["Garage prêté par la commune, avenue du Pasteur-Rollin, Anduze"],
        "schedule": [{"kind": "weekend", "weekday": "saturday", "start": "14:00", "end": "17:30"}],
        "start_date": "2027-03-01",
        "end_date": "2027-10-31",
    }


def load_demo_applications(*, password: str) -> list[tuple[str, str]]:
    """Load the demo association and its applications; returns the accounts to print."""
    user = _user(password)
    org = _organisation(user)
    accounts = [(DEMO_USERNAME, "association Cévennes Jeunesse (demandes de subvention)")]
    call = Call.objects.filter(slug=DEMO_CALL_SLUG).select_related("framework_version").first()
    if call is None:
        return accounts
    if not Application.objects.filter(organisation=org, call=call, title=_anduze_content(call)["title"]).exists():
        application_create(call=call, organisation=org, user=user, content=_anduze_content(call))
    title = _ales_content(call)["title"]
    if not Application.objects.filter(organisation=org, call=call, title=title).exists():
        app = application_create(call=call, organisation=org, user=user, content=_ales_content(call))
        now = timezone.now()
        if call_is_accepting(call, now) and not [f for f in application_findings(app, now=now)
                                                 if f.severity == "blocking"]:
            application_submit(application=app, user=user, now=now, notify=False)
    return accounts


__all__ = ["DEMO_SIRET", "DEMO_USERNAME", "STANDING", "demo_pdf", "load_demo_applications"]
