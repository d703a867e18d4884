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


# --- Public pages, search and exports (``public_*`` fixtures) ---------------------------------------------------
# The four QPVs of the Alès contract with a few objectives each, copied from the seed annex (so searches behave as
# on the demo), stored and published through the services. No importer needed.

PUBLIC_QPVS = {"QN03001I": "Alès", "QN03016M": "La Grand-Combe", "QN03002M": "Anduze", "QN03014M": "Saint-Ambroix"}

_SPORT = ("Développer l'accès et la diversification des pratiques sportives et encourager la fréquentation des "
          "lieux, équipements et évènements sportifs du territoire.")


def _objective(text, *, label=None, actions=(), lines=None, constraints=()):
    label = label or (text.split(" : ", 1)[0] if " : " in text else text.rstrip("."))
    return {"text": text, "label": label, "action_types": list(actions), "constraints": list(constraints),
            "source_lines": lines}


PUBLIC_FRAMEWORK = {
    "title": "Annexe 1 — Projets de quartiers — QPV arrondissement d'Alès",
    "neighbourhoods": [
        {
            "name": "Prés Saint Jean-Tamaris - Cévennes -Cauvel La Royale-Rochebelle - Centre ville",
            "heading": "Projet de quartier / Commune d'Alès Quartier prioritaire « Prés Saint Jean-Tamaris »",
            "commune": "Alès", "code": "QN03001I", "source_lines": [9, 50],
            "themes": [
                {"title": "Réussite scolaire et éducative", "canonical_theme": "education", "source_lines": [11, 21],
                 "constraints": [{"tag": "out_of_school_time", "source_lines": [21, 21],
                                  "text": "Les actions proposées doivent être menées hors-temps scolaire."}],
                 "objectives": [
                     _objective("Valoriser les parcours de réussite et l'exemplarité.", lines=[17, 17]),
                     _objective("Accompagner les parents dans le suivi de la scolarité de leurs enfants : actions de "
                                "soutien à la parentalité en lien avec les acteurs socio-éducatifs et les écoles, "
                                "médiation écoles/familles.", lines=[19, 19],
                                actions=["actions de soutien à la parentalité en lien avec les acteurs "
                                         "socio-éducatifs et les écoles", "médiation écoles/familles"]),
                 ]},
                {"title": "Lien social, accès aux droits", "canonical_theme": "social_link", "source_lines": [45, 50],
                 "objectives": [
                     _objective("Promouvoir l'égalité Femmes/Hommes, la lutte contre les discriminations, les "
                                "valeurs de la République et l'exercice de la citoyenneté.", lines=[48, 48]),
                 ]},
            ],
        },
        {
            "name": "La Grand'Combe, Les Salles du Gardon, Branoux Les Taillades",
            "heading": "Projet de quartier / Quartier prioritaire « La Grand'Combe, Les Salles du Gardon, "
                       "Branoux Les Taillades »",
            "commune": "La Grand-Combe", "code": "QN03016M", "source_lines": [52, 84],
            "themes": [
                {"title": "Valeurs de la République / Citoyenneté", "canonical_theme": "citizenship",
                 "source_lines": [66, 70],
                 "objectives": [
                     _objective("Favoriser le vivre ensemble via des actions fédératrices, intergénérationnelles, "
                                "vectrices de rencontres et de cohésion sociale ; actions visant à « aller-vers » les "
                                "personnes isolées, de manière coordonnée entre les acteurs pour le repérage des "
                                "personnes les plus fragiles et l'identification de leurs besoins.",
                                label="Favoriser le vivre ensemble", lines=[68, 68],
                                actions=["actions fédératrices, intergénérationnelles",
                                         "actions visant à « aller-vers » les personnes isolées"],
                                constraints=[{"tag": "outreach", "text": "« aller-vers » les personnes isolées"}]),
                 ]},
                {"title": "Accompagnement de la jeunesse", "canonical_theme": "youth", "source_lines": [76, 84],
                 "objectives": [
                     _objective("Favoriser l'expression des jeunes, restaurer l'estime de soi et la confiance en soi "
                                ": actions visant à créer les conditions propices à l'expression des jeunes ; "
                                "encourager les initiatives collectives portées par les jeunes.", lines=[78, 78],
                                actions=["actions visant à créer les conditions propices à l'expression des jeunes",
                                         "encourager les initiatives collectives portées par les jeunes"]),
                     _objective(_SPORT, lines=[80, 80]),
                 ]},
            ],
        },
        {
            "name": "Centre-ville", "heading": "Projet de quartier / Commune d'Anduze Quartier prioritaire « Centre-ville »",
            "commune": "Anduze", "code": "QN03002M", "source_lines": [86, 127],
            "themes": [
                {"title": "Accompagnement de la jeunesse", "canonical_theme": "youth", "source_lines": [88, 94],
                 "objectives": [
                     _objective(_SPORT, lines=[90, 90]),
                     _objective("Améliorer l'accessibilité à l'offre associative locale à destination des jeunes du "
                                "QPV : actions de promotion de l'offre associative existante auprès des jeunes sur des "
                                "supports et un format adapté à leurs usages.", lines=[91, 92],
                                actions=["actions de promotion de l'offre associative existante auprès des jeunes"]),
                     _objective("Soutenir les activités spécifiquement dédiées aux publics adolescent et jeune, en "
                                "soirée, weekends, durant les vacances scolaires, en horaires décalés.", lines=[94, 94],
                                constraints=[{"tag": "off_hours", "text": "en soirée, weekends, durant les vacances "
                                              "scolaires, en horaires décalés", "source_lines": [94, 94]}]),
                 ]},
                {"title": "Lien social", "canonical_theme": "social_link", "source_lines": [101, 105],
                 "objectives": [
                     _objective("Rendre acteurs les habitants et lutter contre l'isolement : actions d'« aller vers » "
                                "les personnes isolées, de manière coordonnée entre les acteurs pour le repérage des "
                                "personnes les plus fragiles et l'identification de leurs besoins ; initiatives visant à "
                                "mettre en œuvre, de manière participative, des actions concrètes, au plus près des "
                                "personnes, dans divers lieux d'activités, de vie.", lines=[104, 104],
                                actions=["actions d'« aller vers » les personnes isolées",
                                         "initiatives visant à mettre en œuvre, de manière participative, des actions "
                                         "concrètes"]),
                     _objective("Favoriser le développement de la participation citoyenne.", lines=[105, 105]),
                 ]},
                {"title": "Santé / Prévention de la délinquance", "canonical_theme": "health",
                 "source_lines": [107, 110],
                 "objectives": [
                     _objective("Prévenir la souffrance psycho-sociale et la prise en charge des problématiques de santé "
                                "mentale, notamment des enfants et des jeunes, par le renforcement de l'offre de "
                                "soutien psychologique et l'accompagnement des familles.", lines=[110, 110]),
                 ]},
            ],
        },
        {
            "name": "L'écusson", "heading": "Projet de quartier / Commune de Saint Ambroix Quartier prioritaire « L'écusson »",
            "commune": "Saint-Ambroix", "code": "QN03014M", "source_lines": [129, 156],
            "themes": [
                {"title": "Santé", "canonical_theme": "health", "source_lines": [139, 142],
                 "objectives": [
                     _objective("Promouvoir une alimentation de qualité accessible à tous et lutter contre la précarité "
                                "alimentaire : actions sport-santé, notamment à destination des enfants.",
                                lines=[142, 142], actions=["actions sport-santé, notamment à destination des enfants"]),
                 ]},
                {"title": "Accompagnement de la jeunesse", "canonical_theme": "youth", "source_lines": [144, 152],
                 "objectives": [
                     _objective("Développer l'offre de loisirs pour les jeunes : actions d'animations pour la jeunesse, "
                                "la vie collective, les loisirs et les séjours.", lines=[148, 148],
                                actions=["actions d'animations pour la jeunesse, la vie collective, les loisirs et "
                                         "les séjours"]),
                 ]},
            ],
        },
    ],
}
PUBLIC_OBJECTIVES = 14


@pytest.fixture
def public_contract(db):
    """The Alès contract and its four official QPVs (communes with INSEE codes), without any framework version."""
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    contract = Contract.objects.create(
        slug="ales", name="Contrat de ville de l'arrondissement d'Alès", code="CN03001I",
        lead_name="CA Alès Agglomération", description="Contrat de ville « Engagements Quartiers 2030 ».",
    )
    neighbourhoods_load(codes=PUBLIC_QPVS, contract=contract, short_names=PUBLIC_QPVS)
    return contract


def public_store(contract, data, *, name="annexe-1-projets-de-quartiers-ales.txt", publish=True):
    from quartiers.frameworks.services import framework_store, version_publish

    raw = repr(data).encode()
    version = framework_store(contract=contract, framework=framework_from_dict(data), source_name=name,
                              source_bytes=raw, source_text="")
    return version_publish(version=version) if publish else version


@pytest.fixture
def public_published(public_contract):
    """Version 1 of the framework (14 objectives over 4 QPVs), published."""
    return public_store(public_contract, PUBLIC_FRAMEWORK)


@pytest.fixture
def public_archived(public_published):
    """Version 1 archived, replaced by a published version 2 where Anduze lost its participation objective and
    gained one on mobility. Returns (archived version 1, published version 2)."""
    import copy

    data = copy.deepcopy(PUBLIC_FRAMEWORK)
    anduze_links = data["neighbourhoods"][2]["themes"][1]["objectives"]
    anduze_links[1] = _objective("Favoriser la mobilité des habitants du QPV : actions en faveur de la mobilité "
                                 "géographique.", actions=["actions en faveur de la mobilité géographique"])
    v2 = public_store(public_published.contract, data, name="annexe-1-v2.txt")
    public_published.refresh_from_db()
    return public_published, v2


@pytest.fixture
def public_demo_archived(ales_annex):
    """The demo's version 1 archived, replaced by a published version 2 where Anduze lost its participation
    objective and gained one on mobility. Returns (archived version 1, published version 2)."""
    from quartiers.engine.framework import framework_to_dict
    from quartiers.frameworks.models import FrameworkVersion
    from quartiers.frameworks.selectors import version_to_framework

    v1 = FrameworkVersion.objects.get(contract=ales_annex, status="published")
    data = framework_to_dict(version_to_framework(v1))
    anduze = next(n for n in data["neighbourhoods"] if n["code"] == "QN03002M")
    links = next(t for t in anduze["themes"] if t["canonical_theme"] == "social_link")["objectives"]
    links[:] = [o for o in links if "participation citoyenne" not in o["text"]]
    links.append(_objective("Favoriser la mobilité des habitants du QPV : actions en faveur de la mobilité "
                            "géographique.", actions=["actions en faveur de la mobilité géographique"]))
    v2 = public_store(ales_annex, data, name="annexe-1-v2.txt")
    v1.refresh_from_db()
    return v1, v2
