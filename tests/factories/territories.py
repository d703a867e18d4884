"""Contracts and their official QPVs, and a small real framework imported from an annex text and published."""

import factory
from factory.django import DjangoModelFactory

from quartiers.territories.models import Contract

# Two QPVs of the Alès contract; a second contract in the same test needs others (QPV codes are unique).
ALES_QPVS = {"QN03001I": "Alès", "QN03002M": "Anduze"}
NIMES_QPVS = {"QN03003M": "Pissevin", "QN03004I": "Gambetta"}

EDUCATION = "Prévenir le décrochage scolaire"
YOUTH = "Soutenir les activités spécifiquement dédiées"

_SECTION = """Projet de quartier / Commune de {commune} Quartier prioritaire « {name} » ({code})

Réussite scolaire et éducative

- Prévenir le décrochage scolaire : actions d'accompagnement à la scolarité ; ateliers de lecture.
- Accompagner les parents dans le suivi de la scolarité de leurs enfants.

Les actions proposées doivent être menées hors-temps scolaire.

Accompagnement de la jeunesse

- Soutenir les activités spécifiquement dédiées aux publics adolescent et jeune, en soirée, weekends, durant les \
vacances scolaires, en horaires décalés.
- Favoriser la mobilité des jeunes : actions en faveur de la mobilité géographique.
"""


def annex_text(contract: Contract) -> str:
    """A short annex in the seed's layout: one project (two themes, four objectives) per QPV of the contract."""
    sections = []
    for n in contract.neighbourhoods.prefetch_related("communes").order_by("code"):
        commune = n.communes.order_by("insee_code").first()
        sections.append(_SECTION.format(commune=commune.name if commune else n.name, name=n.short_name or n.name,
                                        code=n.code))
    return "ANNEXE 1 — Projets de quartiers\n\n" + "\n".join(sections)


class ContractFactory(DjangoModelFactory):
    """A contract with its official QPVs loaded from the 2024 list (``qpvs``: code → short name)."""

    class Meta:
        model = Contract
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"contrat-{n}")
    name = factory.Sequence(lambda n: f"Contrat de ville n° {n}")
    department = "30"

    @factory.post_generation
    def qpvs(self, create, extracted, **kwargs):
        if not create:
            return
        from quartiers.territories.services import neighbourhoods_load

        codes = ALES_QPVS if extracted is None else extracted
        if codes:
            neighbourhoods_load(codes=list(codes), contract=self,
                                short_names=dict(codes) if isinstance(codes, dict) else None)


class PublishedVersionFactory(factory.Factory):
    """The contract's framework imported from ``annex_text`` by the real importer, stored and published."""

    class Meta:
        model = object  # built by the frameworks services, see _create

    contract = factory.SubFactory(ContractFactory)
    text = factory.LazyAttribute(lambda o: annex_text(o.contract))
    name = "annexe-1-projets-de-quartiers.txt"

    @classmethod
    def _create(cls, model_class, *, contract, text, name):
        from quartiers.engine.importer import import_annex_bytes
        from quartiers.frameworks.services import framework_store, version_publish

        data = text.encode()
        result = import_annex_bytes(data, name)
        version = framework_store(contract=contract, framework=result.framework, source_name=name,
                                  source_bytes=data, source_text="\n".join(result.lines))
        return version_publish(version=version)

    _build = _create


def published_version(contract: Contract):
    """The contract's published version, imported and published first if it has none."""
    from quartiers.frameworks.models import FrameworkVersion

    return (FrameworkVersion.objects.of_contract(contract).published().first()
            or PublishedVersionFactory(contract=contract))
