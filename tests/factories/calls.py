"""Funders and calls for projects (traits ``draft``, ``open`` (the default), ``closed``), made by the calls services."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from quartiers.calls.models import Funder
from tests.factories.territories import ContractFactory, published_version

# Valid SIRETs (Luhn key), one per kind of funder.
SIRETS = {"etat_bop147": "17300001900013", "epci": "20006691800018", "commune": "21300007800013",
          "departement": "22300001900016", "caf": "77560972000013"}
FUNDER_NAMES = {"etat_bop147": "Préfecture du Gard (BOP 147)", "epci": "Alès Agglomération",
                "commune": "Commune d'Anduze", "departement": "Département du Gard",
                "caf": "Caisse d'allocations familiales du Gard"}
# kind → envelope of the call's default funders
DEFAULT_ENVELOPES = {"etat_bop147": Decimal("120000"), "epci": Decimal("80000"), "commune": Decimal("15000")}


class FunderFactory(DjangoModelFactory):
    class Meta:
        model = Funder
        django_get_or_create = ("contract", "kind", "siret")

    contract = factory.SubFactory(ContractFactory)
    kind = "etat_bop147"
    siret = factory.LazyAttribute(lambda o: SIRETS[o.kind])
    name = factory.LazyAttribute(lambda o: FUNDER_NAMES[o.kind])


class CallFactory(factory.Factory):
    """A call of a contract on its published framework, every QPV of the version covered, with funders and their
    envelopes (``envelopes``: kind → amount), through ``call_create`` then ``call_open`` / ``call_close``, so the
    call's transition rows exist. Opened ten days ago, closing in thirty days."""

    class Meta:
        model = object  # built by the calls services, see _create

    class Params:
        draft = factory.Trait(status="draft")
        open = factory.Trait(status="open")
        closed = factory.Trait(status="closed")

    status = "open"
    contract = factory.SubFactory(ContractFactory)
    framework_version = factory.LazyAttribute(lambda o: published_version(o.contract))
    slug = factory.Sequence(lambda n: f"appel-{n}")
    title = factory.Sequence(lambda n: f"Appel à projets 2027 n° {n}")
    year = 2027
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    description = "Appel à projets du contrat de ville."
    required_documents = factory.LazyFunction(list)
    rule_settings = factory.LazyFunction(dict)
    envelopes = factory.LazyFunction(lambda: dict(DEFAULT_ENVELOPES))
    by = None

    @classmethod
    def _create(cls, model_class, *, status, contract, envelopes, by, **fields):
        from quartiers.calls.services import FunderLine, call_close, call_create, call_open

        lines = [FunderLine(kind, FUNDER_NAMES[kind], SIRETS[kind], Decimal(amount))
                 for kind, amount in envelopes.items()]
        call = call_create(contract=contract, by=by, funders=lines, **fields)
        if status in ("open", "closed"):
            call = call_open(call=call, by=by, why="Ouverture", now=fields["opens_at"])
        if status == "closed":
            call = call_close(call=call, by=by, why="Clôture")
        return call

    _build = _create


def funder_of(call, kind: str) -> Funder:
    return call.contract.funders.get(kind=kind, call_funders__call=call)
