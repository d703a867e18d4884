"""Shared fixtures for the frameworks app's tests.

Staff pages and correction services (``staff_*`` fixtures below): a contract with two official QPVs and a small
framework stored as a draft, built without the importer so that these tests depend on the storage alone.
Other engineers: add your fixtures below with their own clear prefix.
"""

import pytest

from quartiers.engine.framework import framework_from_dict

# A small annex text in the seed's layout; line numbers below refer to it.
STAFF_ANNEX_TEXT = """ANNEXE 1

Projet de quartier / Commune d'Anduze Quartier prioritaire « Centre ancien »

Réussite scolaire et éducative

- Valoriser les parcours de réussite et l'exemplarité.
- Accompagner les parents : actions de soutien à la parentalité ; médiation écoles/familles.
- Lutter contre le décrochage scol@ire

Les actions proposées doivent être menées hors-temps scolaire.

Parentalité

- Promouvoir les lieux d'accueil : actions d'écoute ; groupes de parole.
"""

STAFF_FRAMEWORK = {
    "title": "Annexe 1 — Anduze",
    "neighbourhoods": [
        {
            "name": "Centre ancien",
            "heading": "Projet de quartier / Commune d'Anduze Quartier prioritaire « Centre ancien »",
            "commune": "Anduze",
            "code": "",
            "source_lines": [3, 15],
            "themes": [
                {
                    "title": "Réussite scolaire et éducative",
                    "canonical_theme": "education",
                    "source_lines": [5, 11],
                    "constraints": [
                        {"tag": "out_of_school_time",
                         "text": "Les actions proposées doivent être menées hors-temps scolaire.",
                         "source_lines": [11, 11]},
                    ],
                    "objectives": [
                        {"text": "Valoriser les parcours de réussite et l'exemplarité.",
                         "label": "Valoriser les parcours de réussite et l'exemplarité", "source_lines": [7, 7]},
                        {"text": "Accompagner les parents : actions de soutien à la parentalité ; médiation écoles/familles.",
                         "label": "Accompagner les parents",
                         "action_types": ["actions de soutien à la parentalité", "médiation écoles/familles"],
                         "source_lines": [8, 8]},
                        {"text": "Lutter contre le décrochage scol@ire", "label": "Lutter contre le décrochage scol@ire",
                         "source_lines": [9, 9]},
                    ],
                },
                {
                    "title": "Parentalité",
                    "canonical_theme": "parenting",
                    "source_lines": [13, 15],
                    "objectives": [
                        {"text": "Promouvoir les lieux d'accueil : actions d'écoute ; groupes de parole.",
                         "label": "Promouvoir les lieux d'accueil",
                         "action_types": ["actions d'écoute", "groupes de parole"], "source_lines": [15, 15]},
                    ],
                },
            ],
        }
    ],
    "warnings": [
        {"line": 9, "kind": "damaged_text", "message": "Texte probablement endommagé (caractère « @ »).",
         "text": "- Lutter contre le décrochage scol@ire"},
    ],
}


@pytest.fixture
def staff_contract(db):
    """The Alès contract with two of its official QPVs (Alès and Anduze), without any framework version."""
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    contract = Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès", code="CN03001I")
    neighbourhoods_load(codes=["QN03001I", "QN03002M"], contract=contract,
                        short_names={"QN03001I": "Alès", "QN03002M": "Anduze"})
    return contract


@pytest.fixture
def staff_draft(staff_contract):
    """A draft version of the contract (one section, two themes, four objectives, one warning)."""
    from quartiers.frameworks.services import framework_store

    return framework_store(contract=staff_contract, framework=framework_from_dict(STAFF_FRAMEWORK),
                           source_name="annexe-anduze.txt", source_bytes=STAFF_ANNEX_TEXT.encode(),
                           source_text=STAFF_ANNEX_TEXT)


@pytest.fixture
def staff_published(staff_draft):
    """The same version, published."""
    from quartiers.frameworks.services import version_publish

    return version_publish(version=staff_draft)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
