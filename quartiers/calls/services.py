"""Writes on calls: create and edit a call with its funders and envelopes, open it, close it.

Every function is atomic: a refused change leaves nothing half-saved. Refusals raise Django's ``ValidationError``
with French messages, keyed by the form field they concern when there is one (``NON_FIELD_ERRORS`` otherwise).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartiers.calls.models import (
    ALLOWED_TRANSITIONS,
    Call,
    CallFunder,
    CallStatus,
    CallTransition,
    Funder,
    compact_siret,
)
from quartiers.frameworks.models import FrameworkVersion, VersionStatus
from quartiers.territories.models import Contract, Neighbourhood

# The fields of a call that ``call_create`` and ``call_update`` accept as keyword arguments.
CALL_FIELDS = (
    "framework_version", "slug", "title", "year", "opens_at", "closes_at", "description", "required_documents",
    "rule_settings", "min_qpv_share", "max_public_share", "weak_match_threshold", "max_total_budget",
)


@dataclass(frozen=True)
class FunderLine:
    """One row of the funders table of a call: who (kind, name, SIRET) and its envelope for the call."""

    kind: str
    name: str
    siret: str
    envelope: Decimal


def _refuse(message: str, field: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({field: [message]})


def _transition(call: Call, to_status: str, *, by, why: str = "") -> None:
    if to_status not in ALLOWED_TRANSITIONS[call.status]:
        raise _refuse(f"Impossible de passer l'appel « {call.title} » de « {call.get_status_display()} » "
                      f"à « {CallStatus(to_status).label} ».")
    CallTransition.objects.create(call=call, from_status=call.status, to_status=to_status, by=by, why=why[:300])
    call.status = to_status


def _locked(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def _check_version(version: FrameworkVersion | None, contract: Contract) -> None:
    if version is None:
        raise _refuse("Choisissez la version du référentiel de l'appel.", "framework_version")
    if version.contract_id != contract.pk:
        raise _refuse("Cette version du référentiel appartient à un autre contrat.", "framework_version")
    if version.status != VersionStatus.PUBLISHED:
        raise _refuse(f"La version {version.number} du référentiel n'est pas publiée : un appel ne peut s'appuyer "
                      "que sur la version publiée.", "framework_version")


def version_neighbourhoods(version: FrameworkVersion):
    """The QPVs of a version: those its neighbourhood sections are attached to."""
    return Neighbourhood.objects.filter(sections__version=version).defer("perimeter").distinct().order_by("code")


def _set_neighbourhoods(call: Call, neighbourhoods: Iterable[Neighbourhood] | None) -> None:
    allowed = version_neighbourhoods(call.framework_version)
    if neighbourhoods is None:
        call.neighbourhoods.set(allowed)
        return
    chosen = list(neighbourhoods)
    allowed_ids = set(allowed.values_list("pk", flat=True))
    outside = [n for n in chosen if n.pk not in allowed_ids]
    if outside:
        names = ", ".join(n.display_name for n in outside)
        raise _refuse(f"Ces quartiers n'ont pas de projet dans la version du référentiel de l'appel : {names}.",
                      "neighbourhoods")
    call.neighbourhoods.set(chosen)


def _save(obj, *, exclude: Sequence[str] = ()) -> None:
    """``full_clean`` then ``save``; a uniqueness race still ends as a French error, not a 500."""
    obj.full_clean(exclude=list(exclude))
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise _refuse("Cet enregistrement existe déjà ou contredit une règle de la base de données.") from exc


# --- Funders ---------------------------------------------------------------------------------------------------


@transaction.atomic
def funder_create(*, contract: Contract, kind: str, name: str, siret: str) -> Funder:
    """Add a funder to a contract. One funder per contract, kind and SIRET."""
    funder = Funder(contract=contract, kind=kind, name=name.strip(), siret=compact_siret(siret))
    _save(funder)
    return funder


def _funder_for(contract: Contract, line: FunderLine, index: int) -> Funder:
    """The contract's funder of this kind and SIRET, created when it does not exist yet."""
    siret = compact_siret(line.siret)
    existing = Funder.objects.filter(contract=contract, kind=line.kind, siret=siret).first()
    if existing is not None:
        return existing
    try:
        return funder_create(contract=contract, kind=line.kind, name=line.name, siret=siret)
    except ValidationError as exc:
        errors = exc.message_dict
        raise ValidationError({f"funders-{index}-{field if field != NON_FIELD_ERRORS else 'name'}": messages
                               for field, messages in errors.items()}) from None


@transaction.atomic
def call_funder_set(*, call: Call, funder: Funder, envelope: Decimal | None) -> CallFunder | None:
    """Set the envelope a funder sets aside for a draft call; ``None`` removes the funder from the call."""
    call = _locked(call)
    if call.status != CallStatus.DRAFT:
        raise _refuse("Les financeurs et les enveloppes d'un appel ne se modifient que tant qu'il est en brouillon.")
    if funder.contract_id != call.contract_id:
        raise _refuse(f"Le financeur « {funder.name} » appartient à un autre contrat.")
    if envelope is None:
        CallFunder.objects.filter(call=call, funder=funder).delete()
        return None
    if envelope < 0:
        raise _refuse(f"L'enveloppe de « {funder.name} » ne peut pas être négative.", "envelope")
    call_funder, _ = CallFunder.objects.update_or_create(call=call, funder=funder, defaults={"envelope": envelope})
    return call_funder


def _replace_funders(call: Call, lines: Sequence[FunderLine]) -> None:
    """Make the call's funders exactly these lines (created in the contract when new)."""
    seen: set[int] = set()
    for index, line in enumerate(lines):
        if line.envelope is None or line.envelope < 0:
            raise ValidationError({f"funders-{index}-envelope": ["L'enveloppe ne peut pas être négative."]})
        funder = _funder_for(call.contract, line, index)
        if funder.pk in seen:
            raise ValidationError({f"funders-{index}-siret": [
                f"« {funder.name} » figure deux fois dans le tableau des financeurs."]})
        seen.add(funder.pk)
        call_funder_set(call=call, funder=funder, envelope=line.envelope)
    CallFunder.objects.filter(call=call).exclude(funder__in=seen).delete()


# --- Calls -----------------------------------------------------------------------------------------------------


@transaction.atomic
def call_create(*, contract: Contract, by=None, neighbourhoods: Iterable[Neighbourhood] | None = None,
                funders: Sequence[FunderLine] = (), **fields) -> Call:
    """Create a draft call of a contract, on a published version of its framework.

    ``neighbourhoods`` defaults to every QPV with a project in that version; ``funders`` are the rows of the
    funders table (each funder is added to the contract when new). ``fields`` are among ``CALL_FIELDS``.
    """
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    _check_version(fields.get("framework_version"), contract)
    call = Call(contract=contract, status=CallStatus.DRAFT, **fields)
    _save(call)
    _set_neighbourhoods(call, neighbourhoods)
    CallTransition.objects.create(call=call, from_status="", to_status=CallStatus.DRAFT, by=by, why="Création")
    _replace_funders(call, funders)
    return call


@transaction.atomic
def call_update(*, call: Call, by=None, neighbourhoods: Iterable[Neighbourhood] | None = None,
                funders: Sequence[FunderLine] | None = None, **fields) -> Call:
    """Change a call. Everything may change while it is a draft; once it is open, its dates may only be widened
    (opening brought forward, deadline pushed back: « prolongation »); a closed call no longer changes.

    ``neighbourhoods`` and ``funders`` left to None are not touched. Values equal to the current ones are not
    changes, so a form may send back every field.
    """
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    call = _locked(call)
    changed = {name: value for name, value in fields.items() if getattr(call, name) != value}
    if call.status == CallStatus.CLOSED and (changed or neighbourhoods is not None or funders is not None):
        raise _refuse("Un appel clos ne peut plus être modifié.")
    if call.status == CallStatus.OPEN:
        _check_open_changes(call, changed, neighbourhoods, funders)
    if "framework_version" in changed:
        _check_version(changed["framework_version"], call.contract)
    for name, value in changed.items():
        setattr(call, name, value)
    _save(call)
    if call.status == CallStatus.DRAFT:
        if neighbourhoods is not None or "framework_version" in changed:
            _set_neighbourhoods(call, neighbourhoods)
        if funders is not None:
            _replace_funders(call, funders)
    if call.status == CallStatus.OPEN and changed:
        # Not a change of status, but the history of an open call keeps every widening of its dates.
        moves = []
        if "opens_at" in changed:
            moves.append(f"ouverture avancée au {timezone.localtime(call.opens_at):%d/%m/%Y %H:%M}")
        if "closes_at" in changed:
            moves.append(f"clôture repoussée au {timezone.localtime(call.closes_at):%d/%m/%Y %H:%M}")
        why = " ; ".join(moves)
        CallTransition.objects.create(call=call, from_status=CallStatus.OPEN, to_status=CallStatus.OPEN, by=by,
                                      why=why[:1].upper() + why[1:])
    return call


def _check_open_changes(call: Call, changed: dict, neighbourhoods, funders) -> None:
    for name in changed:
        if name not in ("opens_at", "closes_at"):
            raise _refuse("L'appel est ouvert : seules ses dates peuvent encore être élargies (ouverture avancée, "
                          "clôture repoussée).", name)
    if "opens_at" in changed and changed["opens_at"] > call.opens_at:
        raise _refuse("L'appel est ouvert : sa date d'ouverture peut être avancée, pas retardée.", "opens_at")
    if "closes_at" in changed and changed["closes_at"] < call.closes_at:
        raise _refuse("L'appel est ouvert : sa date de clôture peut être repoussée, pas avancée. Pour l'arrêter "
                      "plus tôt, clôturez-le.", "closes_at")
    if neighbourhoods is not None and {n.pk for n in neighbourhoods} != set(
            call.neighbourhoods.values_list("pk", flat=True)):
        raise _refuse("L'appel est ouvert : ses quartiers ne peuvent plus changer.", "neighbourhoods")
    if funders is not None:
        current = {(cf.funder.kind, cf.funder.siret): cf.envelope
                   for cf in call.call_funders.select_related("funder")}
        wanted = {(line.kind, compact_siret(line.siret)): line.envelope for line in funders}
        if current != wanted:
            raise _refuse("L'appel est ouvert : ses financeurs et ses enveloppes ne peuvent plus changer.")


@transaction.atomic
def call_open(*, call: Call, by=None, why: str = "", now: datetime | None = None) -> Call:
    """Open a draft call. It needs a published framework version, at least one funder with an envelope, at least
    one neighbourhood, and a deadline after its opening and still to come."""
    now = now or timezone.now()
    call = _locked(call)
    if call.status != CallStatus.DRAFT:
        _transition(call, CallStatus.OPEN, by=by, why=why)  # raises: only a draft opens
    problems = []
    if call.framework_version.status != VersionStatus.PUBLISHED:
        problems.append(f"la version {call.framework_version.number} du référentiel n'est plus la version publiée : "
                        "choisissez la version publiée")
    if not call.call_funders.filter(envelope__gt=0).exists():
        problems.append("aucun financeur n'a d'enveloppe : ajoutez au moins un financeur et son enveloppe")
    if not call.neighbourhoods.exists():
        problems.append("aucun quartier prioritaire n'est couvert par l'appel")
    if call.closes_at <= call.opens_at:
        problems.append("la clôture doit être postérieure à l'ouverture")
    elif call.closes_at <= now:
        problems.append("la date de clôture est déjà passée")
    if problems:
        raise _refuse("L'appel ne peut pas être ouvert : " + " ; ".join(problems) + ".")
    _transition(call, CallStatus.OPEN, by=by, why=why)
    call.save(update_fields=["status", "updated_at"])
    return call


@transaction.atomic
def call_close(*, call: Call, by=None, why: str = "") -> Call:
    """Close an open call: no application is accepted any more, whatever its deadline."""
    call = _locked(call)
    _transition(call, CallStatus.CLOSED, by=by, why=why)
    call.save(update_fields=["status", "updated_at"])
    return call


def calls_close_past_deadline(*, now: datetime | None = None) -> list[Call]:
    """Close every open call whose deadline has passed (``quartiers close-calls``); each one in its own
    transaction, so that one failure does not keep the others open."""
    now = now or timezone.now()
    closed = []
    for call in Call.objects.past_deadline(now).order_by("closes_at", "pk"):
        try:
            closed.append(call_close(call=call, why="Date limite de dépôt atteinte"))
        except ValidationError:  # closed meanwhile by someone else
            continue
    return closed
