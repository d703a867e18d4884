"""The JSON form of an application file (``docs/schemas/application.schema.json``): loader and dumper.

One file is self-contained: the application, its organisation, the call it answers (with its rule settings) and,
optionally, the framework as ``quartiers import-annex --json`` prints it. ``load_application_file`` turns the
parsed JSON into dataclasses and raises ``ApplicationFormatError`` — and nothing else — with a French message
naming the field (a path from the file's root, like ``application.budget.income.74[0].amount``) on a missing
field, a wrong type, a malformed date, an absurd amount or an overlong text. A negative amount is not a format
error: the ``NEGATIVE_AMOUNT`` rule reports it, with the other findings. The loader does not use jsonschema.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from quartiers.engine.framework import Framework, framework_from_dict, framework_to_dict
from quartiers.engine.rules.checks import RULES_BY_CODE
from quartiers.engine.rules.findings import PARIS, format_euros, format_number
from quartiers.engine.rules.model import (
    AGE_BANDS,
    CHARGE_LINES,
    FUNDER_KINDS,
    INCOME_LINES,
    LEGAL_FORMS,
    SEVERITIES,
    SEXES,
    SLOT_KINDS,
    SUBSIDIES,
    WEEKDAYS,
    Application,
    AudienceGroup,
    Budget,
    BudgetLine,
    Call,
    CerAttestation,
    Funder,
    FunderKind,
    FundingRequest,
    Indicator,
    ObjectiveClaim,
    Organisation,
    RuleSetting,
    RuleSettings,
    Severity,
    Slot,
    SlotKind,
    SubsidyLine,
)

FORMAT_VERSION = 1
MAX_FILE_BYTES = 5_000_000
SHORT_TEXT = 500  # names, codes, labels
LONG_TEXT = 20_000  # need, objectives, description, means
MAX_ITEMS = 500
MAX_AMOUNT = Decimal("1000000000")  # one billion euros: anything above is a typing error
MAX_COUNT = 10_000_000
MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")


class ApplicationFormatError(ValueError):
    """The application file is not in the expected form. ``field`` is the path of the faulty field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(f"{field} : {message}" if field else message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class ApplicationFile:
    """Everything one application file holds. ``framework`` is None when the file does not embed one."""

    application: Application
    organisation: Organisation
    call: Call
    framework: Framework | None = None


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | float):
        return "un nombre"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un objet"
    return type(value).__name__


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Obj:
    """A JSON object being read, with the path used in error messages."""

    def __init__(self, data: Any, path: str, allowed: frozenset[str] | None = None) -> None:
        if not isinstance(data, dict):
            raise ApplicationFormatError(f"un objet JSON est attendu, pas {_type_name(data)}.", path)
        self.data: dict[str, Any] = data
        self.path = path
        if allowed is not None:
            for key in data:
                if key not in allowed:
                    raise ApplicationFormatError(
                        f"champ inconnu (champs possibles : {', '.join(sorted(allowed))}).", _join(path, str(key)))

    def at(self, key: str) -> str:
        return _join(self.path, key)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def required(self, key: str) -> Any:
        if key not in self.data or self.data[key] is None:
            raise ApplicationFormatError("champ obligatoire absent.", self.at(key))
        return self.data[key]

    def string(self, key: str, *, default: str = "", limit: int = SHORT_TEXT, required: bool = False) -> str:
        value = self.required(key) if required else self.data.get(key)
        if value is None:
            return default
        return _string(value, self.at(key), limit)

    def text(self, key: str) -> str:
        return self.string(key, limit=LONG_TEXT)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ApplicationFormatError(f"true ou false attendu, pas {_type_name(value)}.", self.at(key))
        return value

    def integer(self, key: str, *, required: bool = False, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
        value = self.required(key) if required else self.data.get(key, 0)
        return _integer(value, self.at(key), minimum, maximum)

    def items(self, key: str) -> list[tuple[Any, str]]:
        value = self.data.get(key)
        if value is None:
            return []
        path = self.at(key)
        if not isinstance(value, list):
            raise ApplicationFormatError(f"une liste est attendue, pas {_type_name(value)}.", path)
        if len(value) > MAX_ITEMS:
            raise ApplicationFormatError(f"trop d'éléments ({len(value)} ; maximum {MAX_ITEMS}).", path)
        return [(item, f"{path}[{i}]") for i, item in enumerate(value)]

    def strings(self, key: str) -> tuple[str, ...]:
        return tuple(_string(item, path, SHORT_TEXT) for item, path in self.items(key))

    def obj(self, key: str, allowed: frozenset[str] | None = None, *, required: bool = False) -> _Obj:
        value = self.required(key) if required else self.data.get(key)
        return _Obj({} if value is None else value, self.at(key), allowed)


def _string(value: Any, path: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ApplicationFormatError(f"un texte est attendu, pas {_type_name(value)}.", path)
    if len(value) > limit:
        raise ApplicationFormatError(
            f"texte trop long : {format_number(len(value), 0)} caractères (maximum {format_number(limit, 0)}).", path)
    return value


def _integer(value: Any, path: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApplicationFormatError(f"un nombre entier est attendu, pas {_type_name(value)}.", path)
    if value < minimum:
        raise ApplicationFormatError(f"{value} est inférieur au minimum {minimum}.", path)
    if value > maximum:
        raise ApplicationFormatError(f"{value} est invraisemblable (maximum {format_number(maximum, 0)}).", path)
    return value


def _amount(value: Any, path: str) -> Decimal:
    """Euros: a JSON number or a string like "12500.50" (also "12 500,50"); two decimals at most."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ApplicationFormatError(f"un montant en euros est attendu, pas {_type_name(value)}.", path)
    if isinstance(value, float) and not math.isfinite(value):
        raise ApplicationFormatError("le montant n'est pas un nombre fini.", path)
    if isinstance(value, int | float) and abs(value) >= MAX_AMOUNT:
        raise ApplicationFormatError(f"montant invraisemblable (maximum {format_euros(MAX_AMOUNT)}).", path)
    text = str(value) if not isinstance(value, str) else re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
    if isinstance(value, float) and "e" in text.lower():
        text = f"{value:.2f}"
    if not MONEY.match(text):
        raise ApplicationFormatError(
            f"montant illisible : {str(value)[:40]!r} (attendu : un nombre avec au plus deux décimales, "
            "par exemple 12500.50).", path)
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guarantees a number
        raise ApplicationFormatError("montant illisible.", path) from exc
    if abs(amount) >= MAX_AMOUNT:
        raise ApplicationFormatError(
            f"montant invraisemblable : {format_euros(amount)} (maximum {format_euros(MAX_AMOUNT)}).", path)
    return amount


def _ratio(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ApplicationFormatError(f"une proportion entre 0 et 1 est attendue, pas {_type_name(value)}.", path)
    try:
        ratio = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ApplicationFormatError(f"proportion illisible : {str(value)[:40]!r}.", path) from exc
    if not ratio.is_finite() or not Decimal(0) <= ratio <= Decimal(1):
        raise ApplicationFormatError(f"une proportion entre 0 et 1 est attendue (par exemple 0.5), pas {value}.", path)
    return ratio


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ApplicationFormatError(f"date attendue au format AAAA-MM-JJ, pas {str(value)[:40]!r}.", path)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ApplicationFormatError(f"date impossible : {value!r}.", path) from exc


def _datetime(value: Any, path: str) -> datetime:
    """ISO 8601 with or without offset; without one, the time is Paris time."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
                                                      r"(Z|[+-]\d{2}:\d{2})?", value):
        raise ApplicationFormatError(
            f"date et heure attendues au format AAAA-MM-JJTHH:MM:SS+01:00, pas {str(value)[:40]!r}.", path)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ApplicationFormatError(f"date et heure impossibles : {value!r}.", path) from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=PARIS)


def _time(value: Any, path: str) -> time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ApplicationFormatError(f"heure attendue au format HH:MM, pas {str(value)[:40]!r}.", path)
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise ApplicationFormatError(f"heure impossible : {value!r}.", path) from exc


def _choice(value: str, path: str, choices: dict[str, str] | tuple[str, ...]) -> str:
    if value not in choices:
        raise ApplicationFormatError(f"valeur {value[:40]!r} inconnue (valeurs possibles : {', '.join(choices)}).",
                                     path)
    return value


# --- sections --------------------------------------------------------------------------------------------------

CALL_KEYS = frozenset({"title", "year", "opens_at", "closes_at", "funders", "neighbourhoods", "required_documents",
                       "rules"})
FUNDER_KEYS = frozenset({"code", "kind", "name", "siret", "envelope"})
RULES_KEYS = frozenset({"min_qpv_share", "max_public_share", "weak_match_threshold", "max_total_budget",
                        "allowed_legal_forms", "codes"})
ORGANISATION_KEYS = frozenset({"legal_name", "siret", "rna", "legal_form", "legal_representative"})
APPLICATION_KEYS = frozenset({
    "title", "need", "objectives", "description", "activities", "audience", "neighbourhoods", "places", "schedule",
    "start_date", "end_date", "out_of_year_justification", "renewal", "previous_report_provided", "partners",
    "means", "indicators", "cer", "budget", "requested", "claimed_objectives", "documents", "submitted_at",
})
FILE_KEYS = frozenset({"$schema", "$comment", "format_version", "call", "organisation", "application", "framework"})


def _rule_settings(o: _Obj) -> RuleSettings:
    defaults = RuleSettings()
    codes: dict[str, RuleSetting] = {}
    by_code = o.obj("codes")
    for code, value in by_code.data.items():
        path = by_code.at(str(code))
        if code not in RULES_BY_CODE:
            raise ApplicationFormatError("code de règle inconnu (voir docs/rules.md).", path)
        s = _Obj(value, path, frozenset({"enabled", "severity"}))
        severity = s.string("severity") or None
        if severity is not None:
            _choice(severity, s.at("severity"), SEVERITIES)
        codes[code] = RuleSetting(enabled=s.flag("enabled", True), severity=cast(Severity | None, severity))
    forms = defaults.allowed_legal_forms
    if o.has("allowed_legal_forms"):
        forms = tuple(_choice(_string(v, p, SHORT_TEXT), p, LEGAL_FORMS) for v, p in o.items("allowed_legal_forms"))
    threshold = defaults.weak_match_threshold
    if o.has("weak_match_threshold"):
        threshold = float(_ratio(o.data["weak_match_threshold"], o.at("weak_match_threshold")))
    return RuleSettings(
        rules=codes,
        min_qpv_share=_ratio(o.data["min_qpv_share"], o.at("min_qpv_share")) if o.has("min_qpv_share")
        else defaults.min_qpv_share,
        max_public_share=_ratio(o.data["max_public_share"], o.at("max_public_share")) if o.has("max_public_share")
        else defaults.max_public_share,
        weak_match_threshold=threshold,
        max_total_budget=_amount(o.data["max_total_budget"], o.at("max_total_budget")) if o.has("max_total_budget")
        else defaults.max_total_budget,
        allowed_legal_forms=forms,
    )


def _funder(o: _Obj) -> Funder:
    envelope = _amount(o.data["envelope"], o.at("envelope")) if o.has("envelope") else None
    if envelope is not None and envelope < 0:
        raise ApplicationFormatError("une enveloppe ne peut pas être négative.", o.at("envelope"))
    return Funder(
        code=o.string("code", required=True),
        kind=cast(FunderKind, _choice(o.string("kind", default="other"), o.at("kind"), FUNDER_KINDS)),
        name=o.string("name"),
        siret=o.string("siret"),
        envelope=envelope,
    )


def load_call(o: _Obj) -> Call:
    year = o.integer("year", required=True, minimum=2000, maximum=2100)
    opens_at = _datetime(o.required("opens_at"), o.at("opens_at"))
    closes_at = _datetime(o.required("closes_at"), o.at("closes_at"))
    if closes_at < opens_at:
        raise ApplicationFormatError("la clôture de l'appel précède son ouverture.", o.at("closes_at"))
    funders = tuple(_funder(_Obj(v, p, FUNDER_KEYS)) for v, p in o.items("funders"))
    codes = [f.code for f in funders]
    if len(set(codes)) != len(codes):
        raise ApplicationFormatError("deux financeurs ont le même code.", o.at("funders"))
    return Call(
        year=year,
        opens_at=opens_at,
        closes_at=closes_at,
        funders=funders,
        neighbourhood_codes=tuple(c.strip().upper() for c in o.strings("neighbourhoods")),
        required_documents=o.strings("required_documents"),
        settings=_rule_settings(o.obj("rules", RULES_KEYS)),
        title=o.string("title"),
    )


def load_organisation(o: _Obj) -> Organisation:
    return Organisation(
        legal_name=o.string("legal_name"),
        siret=o.string("siret"),
        rna=o.string("rna"),
        legal_form=_choice(o.string("legal_form", default="association"), o.at("legal_form"), LEGAL_FORMS),
        legal_representative=o.string("legal_representative"),
    )


def _audience(o: _Obj) -> AudienceGroup:
    return AudienceGroup(
        sex=_choice(o.string("sex", required=True), o.at("sex"), SEXES),
        age_band=_choice(o.string("age_band", required=True), o.at("age_band"), AGE_BANDS),
        count=o.integer("count", required=True),
        qpv_count=o.integer("qpv_count", required=True),
    )


def _slot(o: _Obj) -> Slot:
    weekday = o.string("weekday") or None
    if weekday is not None:
        _choice(weekday, o.at("weekday"), WEEKDAYS)
    return Slot(
        kind=cast(SlotKind, _choice(o.string("kind", required=True), o.at("kind"), SLOT_KINDS)),
        weekday=weekday,
        start=_time(o.data["start"], o.at("start")) if o.has("start") else None,
        end=_time(o.data["end"], o.at("end")) if o.has("end") else None,
        label=o.string("label"),
    )


def _budget(o: _Obj) -> Budget:
    charges_obj = o.obj("charges")
    charges = []
    for code, value in charges_obj.data.items():
        path = charges_obj.at(str(code))
        _choice(str(code), path, CHARGE_LINES)
        charges.append(BudgetLine(str(code), _amount(value, path)))
    income_obj = o.obj("income")
    income = []
    subsidies: list[SubsidyLine] = []
    for code, value in income_obj.data.items():
        path = income_obj.at(str(code))
        _choice(str(code), path, INCOME_LINES)
        if code == SUBSIDIES:
            if not isinstance(value, list):
                raise ApplicationFormatError(
                    "la ligne 74 est une liste de subventions [{\"funder\": code, \"amount\": montant}].", path)
            for item, item_path in _Obj({"74": value}, income_obj.path).items("74"):
                s = _Obj(item, item_path, frozenset({"funder", "amount", "label"}))
                subsidies.append(SubsidyLine(funder=s.string("funder", required=True),
                                             amount=_amount(s.required("amount"), s.at("amount")),
                                             label=s.string("label")))
        else:
            income.append(BudgetLine(str(code), _amount(value, path)))
    return Budget(charges=tuple(charges), income=tuple(income), subsidies=tuple(subsidies))


def _claim(value: Any, path: str) -> ObjectiveClaim:
    if isinstance(value, str):
        return ObjectiveClaim(text=_string(value, path, LONG_TEXT))
    o = _Obj(value, path, frozenset({"key", "text", "neighbourhood"}))
    claim = ObjectiveClaim(key=o.string("key"), text=o.string("text", limit=LONG_TEXT), neighbourhood=o.string("neighbourhood"))
    if not claim.key.strip() and not claim.text.strip():
        raise ApplicationFormatError("indiquez la clé (key) ou le texte (text) de l'objectif.", path)
    return claim


def load_application(o: _Obj) -> Application:
    cer = o.obj("cer", frozenset({"attested", "signatory", "signed_on"}))
    return Application(
        title=o.string("title"),
        need=o.text("need"),
        objectives=o.text("objectives"),
        description=o.text("description"),
        activities=tuple(_string(v, p, LONG_TEXT) for v, p in o.items("activities")),
        audience=tuple(_audience(_Obj(v, p, frozenset({"sex", "age_band", "count", "qpv_count"})))
                       for v, p in o.items("audience")),
        neighbourhoods=o.strings("neighbourhoods"),
        places=o.strings("places"),
        schedule=tuple(_slot(_Obj(v, p, frozenset({"kind", "weekday", "start", "end", "label"})))
                       for v, p in o.items("schedule")),
        start_date=_date(o.data["start_date"], o.at("start_date")) if o.has("start_date") else None,
        end_date=_date(o.data["end_date"], o.at("end_date")) if o.has("end_date") else None,
        out_of_year_justification=o.text("out_of_year_justification"),
        renewal=o.flag("renewal"),
        previous_report_provided=o.flag("previous_report_provided"),
        partners=o.strings("partners"),
        means=o.text("means"),
        indicators=tuple(
            Indicator(name=i.string("name", required=True), target=i.string("target"))
            for i in (_Obj(v, p, frozenset({"name", "target"})) for v, p in o.items("indicators"))
        ),
        cer=CerAttestation(
            attested=cer.flag("attested"),
            signatory=cer.string("signatory"),
            signed_on=_date(cer.data["signed_on"], cer.at("signed_on")) if cer.has("signed_on") else None,
        ),
        budget=_budget(o.obj("budget", frozenset({"charges", "income"}))),
        requested=tuple(
            FundingRequest(funder=r.string("funder", required=True), amount=_amount(r.required("amount"), r.at("amount")))
            for r in (_Obj(v, p, frozenset({"funder", "amount"})) for v, p in o.items("requested"))
        ),
        claimed_objectives=tuple(_claim(v, p) for v, p in o.items("claimed_objectives")),
        documents=o.strings("documents"),
        submitted_at=_datetime(o.data["submitted_at"], o.at("submitted_at")) if o.has("submitted_at") else None,
    )


def load_framework(data: Any, path: str = "framework") -> Framework:
    """A framework in the JSON form of ``import-annex --json``, with format errors as ApplicationFormatError."""
    o = _Obj(data, path)
    for n_value, n_path in o.items("neighbourhoods"):
        n = _Obj(n_value, n_path)
        n.string("name", required=True)
        for t_value, t_path in n.items("themes"):
            t = _Obj(t_value, t_path)
            t.string("title", required=True)
            for c_value, c_path in t.items("constraints"):
                if not isinstance(c_value, str):
                    _Obj(c_value, c_path).string("text", required=True, limit=LONG_TEXT)
            for ob_value, ob_path in t.items("objectives"):
                ob = _Obj(ob_value, ob_path)
                ob.string("text", required=True, limit=LONG_TEXT)
                for c_value, c_path in ob.items("constraints"):
                    if not isinstance(c_value, str):
                        _Obj(c_value, c_path).string("text", required=True, limit=LONG_TEXT)
    try:
        return framework_from_dict(o.data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ApplicationFormatError(f"référentiel illisible ({exc.__class__.__name__} : {exc}).", path) from exc


def load_application_file(data: Any) -> ApplicationFile:
    """The dataclasses of one application file (already parsed JSON). Raises only ``ApplicationFormatError``."""
    root = _Obj(data, "", FILE_KEYS)
    if root.has("format_version"):
        version = root.integer("format_version", minimum=1, maximum=1000)
        if version != FORMAT_VERSION:
            raise ApplicationFormatError(f"version de format {version} non prise en charge (attendue : "
                                         f"{FORMAT_VERSION}).", "format_version")
    call = load_call(root.obj("call", CALL_KEYS, required=True))
    organisation = load_organisation(root.obj("organisation", ORGANISATION_KEYS, required=True))
    application = load_application(root.obj("application", APPLICATION_KEYS, required=True))
    framework = load_framework(root.data["framework"]) if root.has("framework") else None
    return ApplicationFile(application=application, organisation=organisation, call=call, framework=framework)


def loads_application_file(text: str | bytes) -> ApplicationFile:
    """Parse JSON text, then load it. Malformed JSON is an ``ApplicationFormatError`` too."""
    if len(text) > MAX_FILE_BYTES:
        raise ApplicationFormatError(f"fichier trop volumineux ({format_number(len(text), 0)} octets ; maximum "
                                     f"{format_number(MAX_FILE_BYTES, 0)}).")
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        data = json.loads(text.removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:
        raise ApplicationFormatError("le fichier n'est pas encodé en UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise ApplicationFormatError(f"JSON invalide, ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}.") from exc
    except RecursionError as exc:
        raise ApplicationFormatError("JSON trop profondément imbriqué.") from exc
    return load_application_file(data)


# --- dumper ----------------------------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value:f}"


def _dt(value: datetime) -> str:
    return value.isoformat()


def dump_call(call: Call) -> dict[str, Any]:
    s = call.settings
    return {
        "title": call.title,
        "year": call.year,
        "opens_at": _dt(call.opens_at),
        "closes_at": _dt(call.closes_at),
        "funders": [
            {"code": f.code, "kind": f.kind, "name": f.name, "siret": f.siret,
             **({"envelope": _money(f.envelope)} if f.envelope is not None else {})}
            for f in call.funders
        ],
        "neighbourhoods": list(call.neighbourhood_codes),
        "required_documents": list(call.required_documents),
        "rules": {
            "min_qpv_share": f"{s.min_qpv_share:f}",
            "max_public_share": f"{s.max_public_share:f}",
            "weak_match_threshold": s.weak_match_threshold,
            "max_total_budget": _money(s.max_total_budget),
            "allowed_legal_forms": list(s.allowed_legal_forms),
            "codes": {
                code: {"enabled": rs.enabled, **({"severity": rs.severity} if rs.severity else {})}
                for code, rs in sorted(s.rules.items())
            },
        },
    }


def dump_organisation(org: Organisation) -> dict[str, Any]:
    return {"legal_name": org.legal_name, "siret": org.siret, "rna": org.rna, "legal_form": org.legal_form,
            "legal_representative": org.legal_representative}


def _slot_dict(slot: Slot) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": slot.kind}
    if slot.weekday:
        out["weekday"] = slot.weekday
    if slot.start:
        out["start"] = slot.start.strftime("%H:%M")
    if slot.end:
        out["end"] = slot.end.strftime("%H:%M")
    if slot.label:
        out["label"] = slot.label
    return out


def dump_application(app: Application) -> dict[str, Any]:
    income: dict[str, Any] = {line.code: _money(line.amount) for line in app.budget.income}
    if app.budget.subsidies:
        income[SUBSIDIES] = [{"funder": s.funder, "amount": _money(s.amount), **({"label": s.label} if s.label else {})}
                             for s in app.budget.subsidies]
    out: dict[str, Any] = {
        "title": app.title,
        "need": app.need,
        "objectives": app.objectives,
        "description": app.description,
        "activities": list(app.activities),
        "audience": [{"sex": g.sex, "age_band": g.age_band, "count": g.count, "qpv_count": g.qpv_count}
                     for g in app.audience],
        "neighbourhoods": list(app.neighbourhoods),
        "places": list(app.places),
        "schedule": [_slot_dict(s) for s in app.schedule],
        "start_date": app.start_date.isoformat() if app.start_date else None,
        "end_date": app.end_date.isoformat() if app.end_date else None,
        "out_of_year_justification": app.out_of_year_justification,
        "renewal": app.renewal,
        "previous_report_provided": app.previous_report_provided,
        "partners": list(app.partners),
        "means": app.means,
        "indicators": [{"name": i.name, "target": i.target} for i in app.indicators],
        "cer": {"attested": app.cer.attested, "signatory": app.cer.signatory,
                "signed_on": app.cer.signed_on.isoformat() if app.cer.signed_on else None},
        "budget": {"charges": {line.code: _money(line.amount) for line in app.budget.charges}, "income": income},
        "requested": [{"funder": r.funder, "amount": _money(r.amount)} for r in app.requested],
        "claimed_objectives": [
            {k: v for k, v in (("key", c.key), ("text", c.text), ("neighbourhood", c.neighbourhood)) if v}
            for c in app.claimed_objectives
        ],
        "documents": list(app.documents),
        "submitted_at": _dt(app.submitted_at) if app.submitted_at else None,
    }
    return out


def dump_application_file(file: ApplicationFile) -> dict[str, Any]:
    """The JSON form of an application file; ``load_application_file`` reads it back to equal dataclasses."""
    out: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "call": dump_call(file.call),
        "organisation": dump_organisation(file.organisation),
        "application": dump_application(file.application),
    }
    if file.framework is not None:
        out["framework"] = framework_to_dict(file.framework)
    return out


__all__ = [
    "ApplicationFile",
    "ApplicationFormatError",
    "dump_application_file",
    "load_application_file",
    "load_framework",
    "loads_application_file",
]
