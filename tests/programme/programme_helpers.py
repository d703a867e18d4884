"""Constants and builders shared by the programme tests."""

from decimal import Decimal

from tests.factories.calls import SIRETS

SIRET_STATE = SIRETS["etat_bop147"]
SIRET_AGGLO = SIRETS["epci"]
SIRET_COMMUNE = SIRETS["commune"]
ORG_SIRET = "81324567700014"
OTHER_ORG_SIRET = "84123456000024"
PASSWORD = "mot-de-passe-solide-2026"

FRAMEWORK = {
    "title": "Annexe 1 — projets de quartiers",
    "neighbourhoods": [
        {"name": "Prés Saint-Jean", "commune": "Alès", "code": "QN03001I", "source_lines": [1, 3],
         "themes": [{"title": "Réussite scolaire et éducative", "canonical_theme": "education", "source_lines": [2, 3],
                     "constraints": [], "objectives": [{"text": "Prévenir le décrochage scolaire des collégiens.",
                                                        "label": "Prévenir le décrochage scolaire",
                                                        "source_lines": [3, 3]}]}]},
        {"name": "Centre-ville", "commune": "Anduze", "code": "QN03002M", "source_lines": [4, 6],
         "themes": [{"title": "Jeunesse", "canonical_theme": "youth", "source_lines": [5, 6], "constraints": [],
                     "objectives": [{"text": "Ouvrir des lieux d'accueil pour les adolescents le soir.",
                                     "label": "Accueillir les adolescents le soir", "source_lines": [6, 6]}]}]},
    ],
    "warnings": [],
}


def funder(call, siret):
    return call.contract.funders.get(siret=siret)


def objective(call, code):
    from quartiers.frameworks.models import Objective

    return Objective.objects.get(theme__section__version=call.framework_version,
                                 theme__section__neighbourhood__code=code)


def make_application(call, org, number, status, *, title="", codes=("QN03002M",), renewal=False,
                     budget="10000", beneficiaries=(20, 15), requests=()):
    from quartiers.applications.models import Application, FundingRequest

    app = Application.objects.create(
        call=call, organisation=org, status=status, reference=f"2027-{number:03d}" if status != "draft" else None,
        title=title or f"Action numéro {number}", renewal=renewal, total_budget=Decimal(budget),
        neighbourhood_codes="," + ",".join(codes) + ",", beneficiaries=beneficiaries[0],
        beneficiaries_qpv=beneficiaries[1])
    FundingRequest.objects.bulk_create(
        FundingRequest(application=app, funder=f, funder_code=f.code, amount=Decimal(amount)) for f, amount in requests)
    return app
