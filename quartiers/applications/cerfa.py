"""The Cerfa 12156 form as HTML inputs: POST → content (schema format) and content → what the page shows.

Input names: ``title``, ``need``…; ``activities``, ``places``, ``partners`` one per line; ``neighbourhoods``
(codes); ``aud-<sex>-<band>`` and ``aud-<sex>-<band>-qpv``; ``slot-<i>-kind|weekday|start|end|label``;
``ind-<i>-name|target``; ``charge-<code>``, ``income-<code>`` and, for line 74, ``subsidy-<funder code>`` (the
amount asked of each funder of the call: it is also the requested amount); ``objective`` (``<key>|<QPV code>``);
``cer_attested`` (read by ``attestation_from_post``; ``services.cer_signature`` decides who signs).
"""

import re
from datetime import date
from decimal import Decimal

from quartiers.common.formats import euros
from quartiers.engine.rules.model import (
    AGE_BANDS,
    CHARGE_LINES,
    INCOME_LINES,
    SEXES,
    SLOT_KINDS,
    SUBSIDIES,
    WEEKDAYS,
)

TEXTS = ("title", "need", "objectives", "description", "means", "out_of_year_justification")
LISTS = ("activities", "places", "partners")
SLOT_ROWS = 6
INDICATOR_ROWS = 4
AGE_LABELS = {"0-5": "0 à 5 ans", "6-10": "6 à 10 ans", "11-14": "11 à 14 ans", "15-17": "15 à 17 ans",
              "18-25": "18 à 25 ans", "26-64": "26 à 64 ans", "65+": "65 ans et plus", "unknown": "âge non précisé"}
CHARGE_CODES = [c for c in CHARGE_LINES if c != "86"]
INCOME_CODES = [c for c in INCOME_LINES if c not in (SUBSIDIES, "87")]


def parse_amount(raw: str) -> Decimal | None:
    text = re.sub(r"[\s\u00a0\u202f€]", "", raw or "").replace(",", ".")
    if not text:
        return None
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", text):
        raise ValueError(raw)
    return Decimal(text)


def parse_count(raw: str) -> int:
    text = re.sub(r"[\s\u00a0\u202f]", "", raw or "")
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(raw)
    return int(text)


AMOUNT_ERROR = "Montant invalide : écrivez par exemple 1 250,00."


# --- POST → content, one parser per section of the Cerfa -------------------------------------------------------
# Each parser reads its inputs and returns its part of the content; the errors (input name → French message) are
# added to ``errors`` in the order of the form.


def _action(post) -> dict:
    """The action: its texts, its one-per-line lists (activities, places, partners) and its neighbourhoods."""
    part: dict = {name: post.get(name, "").strip() for name in TEXTS}
    for name in LISTS:
        part[name] = [line.strip() for line in post.get(name, "").splitlines() if line.strip()]
    part["neighbourhoods"] = [code for code in post.getlist("neighbourhoods") if code]
    return part


def _dates(post, errors: dict[str, str]) -> dict:
    """The dates of the action, and whether it renews an earlier one (with its report)."""
    part: dict = {}
    for name in ("start_date", "end_date"):
        value = post.get(name, "").strip()
        try:
            part[name] = date.fromisoformat(value).isoformat() if value else None
        except ValueError:
            errors[name] = "Date invalide : utilisez le format jj/mm/aaaa."
            part[name] = None
    part["renewal"] = post.get("renewal") == "1"
    part["previous_report_provided"] = bool(post.get("previous_report_provided"))
    return part


def _audience(post, errors: dict[str, str]) -> list[dict]:
    """The beneficiaries by sex and age band, and how many of them live in a QPV."""
    audience = []
    for sex in SEXES:
        for band in AGE_BANDS:
            key = f"aud-{sex}-{band}"
            try:
                count = parse_count(post.get(key, ""))
                qpv = parse_count(post.get(f"{key}-qpv", ""))
            except ValueError:
                errors[key] = "Indiquez un nombre entier de personnes."
                continue
            if count or qpv:
                audience.append({"sex": sex, "age_band": band, "count": count, "qpv_count": qpv})
    return audience


def _slot(post, i: int, errors: dict[str, str]) -> dict | None:
    kind = post.get(f"slot-{i}-kind", "")
    if not kind:
        return None
    slot = {"kind": kind}
    if post.get(f"slot-{i}-weekday"):
        slot["weekday"] = post.get(f"slot-{i}-weekday")
    for part in ("start", "end"):
        value = post.get(f"slot-{i}-{part}", "").strip()
        if not value:
            continue
        if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", value):
            slot[part] = value[:5].zfill(5)
        else:
            errors[f"slot-{i}-{part}"] = "Heure invalide : utilisez le format hh:mm."
    if post.get(f"slot-{i}-label", "").strip():
        slot["label"] = post.get(f"slot-{i}-label").strip()
    return slot


def _schedule(post, errors: dict[str, str]) -> list[dict]:
    """When the action takes place: one row per time slot that has a kind."""
    slots = (_slot(post, i, errors) for i in range(SLOT_ROWS))
    return [slot for slot in slots if slot is not None]


def _indicators(post) -> list[dict]:
    """The means of evaluation: the indicators that have a name, with their target."""
    return [
        {"name": post.get(f"ind-{i}-name", "").strip(), "target": post.get(f"ind-{i}-target", "").strip()}
        for i in range(INDICATOR_ROWS) if post.get(f"ind-{i}-name", "").strip()
    ]


def _amounts(post, prefix: str, codes, errors: dict[str, str]) -> dict[str, Decimal | None]:
    """The amount of each ``<prefix>-<code>`` input (None when empty); an unreadable one is an error, left out."""
    out: dict[str, Decimal | None] = {}
    for code in codes:
        try:
            out[code] = parse_amount(post.get(f"{prefix}-{code}", ""))
        except ValueError:
            errors[f"{prefix}-{code}"] = AMOUNT_ERROR
    return out


def _budget(post, funders, errors: dict[str, str]) -> dict:
    """The budget (charges, income and line 74, the subsidy asked of each funder) and the requested amounts."""
    charges = {code: f"{a:f}" for code, a in _amounts(post, "charge", [*CHARGE_CODES, "86"], errors).items()
               if a is not None}
    income: dict = {code: f"{a:f}" for code, a in _amounts(post, "income", [*INCOME_CODES, "87"], errors).items()
                    if a is not None}
    asked = _amounts(post, "subsidy", [f.code for f in funders], errors)
    subsidies = [{"funder": code, "amount": f"{a:f}"} for code, a in asked.items() if a]
    if subsidies:
        income[SUBSIDIES] = subsidies
    return {"budget": {"charges": charges, "income": income}, "requested": [dict(s) for s in subsidies]}


def _claimed_objectives(post, framework, neighbourhoods: list[str]) -> list[dict]:
    """The objectives ticked (``<key>|<QPV code>``) that exist in the framework for a chosen neighbourhood."""
    texts = {(o.key, n.code): o.text for n in framework.neighbourhoods for t in n.themes for o in t.objectives}
    claims = []
    for value in post.getlist("objective"):
        key, _, code = value.partition("|")
        if code in neighbourhoods and (key, code) in texts:
            claims.append({"key": key, "text": texts[(key, code)], "neighbourhood": code})
    return claims


def attestation_from_post(post) -> bool:
    """Whether the box of the republican-commitment attestation is ticked (who signs is the service's rule)."""
    return bool(post.get("cer_attested"))


def content_from_post(post, *, funders, framework) -> tuple[dict, dict[str, str]]:
    """The content (``application`` section of the schema) and the input errors (input name → French message).

    The attestation is left out: ``services.application_save`` records it from ``attestation_from_post`` with
    the rule of who may sign it."""
    errors: dict[str, str] = {}
    content = {**_action(post), **_dates(post, errors), "audience": _audience(post, errors),
               "schedule": _schedule(post, errors), "indicators": _indicators(post), **_budget(post, funders, errors)}
    content["claimed_objectives"] = _claimed_objectives(post, framework, content["neighbourhoods"])
    return content, errors


def _amount_text(value) -> str:
    if value in (None, ""):
        return ""
    return str(value).replace(".", ",")


# --- content → what the inputs show, one builder per section ---------------------------------------------------


class _Shown:
    """What an input shows: what was posted when the POST could not be stored, else the stored value."""

    def __init__(self, post):
        self.post = post

    def __call__(self, name: str, stored):
        return self.post.get(name, "") if self.post is not None else stored


def _audience_rows(c: dict, shown: _Shown) -> list[dict]:
    aud = {(g["sex"], g["age_band"]): g for g in c.get("audience", [])}
    rows = []
    for band in AGE_BANDS:
        cells = []
        for sex, sex_label in SEXES.items():
            g = aud.get((sex, band), {})
            name = f"aud-{sex}-{band}"
            cells.append({"sex_label": sex_label, "name": name, "value": shown(name, g.get("count") or ""),
                          "qpv_name": f"{name}-qpv", "qpv_value": shown(f"{name}-qpv", g.get("qpv_count") or "")})
        rows.append({"band": band, "label": AGE_LABELS[band], "cells": cells})
    return rows


def _slot_rows(c: dict, shown: _Shown) -> list[dict]:
    slots = list(c.get("schedule", []))
    rows = []
    for i in range(SLOT_ROWS):
        s = slots[i] if i < len(slots) else {}
        rows.append({"i": i, **{k: shown(f"slot-{i}-{k}", s.get(k, "")) for k in
                                ("kind", "weekday", "start", "end", "label")}})
    return rows


def _indicator_rows(c: dict) -> list[dict]:
    inds = list(c.get("indicators", []))
    return [{"i": i, "name": (inds[i]["name"] if i < len(inds) else ""),
             "target": (inds[i]["target"] if i < len(inds) else "")} for i in range(INDICATOR_ROWS)]


def _budget_rows(c: dict, funders, shown: _Shown) -> dict:
    budget = c.get("budget") or {}
    charges = budget.get("charges") or {}
    income = budget.get("income") or {}
    subsidies = {s["funder"]: s["amount"] for s in income.get(SUBSIDIES, [])} if isinstance(
        income.get(SUBSIDIES), list) else {}
    return {
        "charge_rows": [{"code": code, "label": CHARGE_LINES[code], "name": f"charge-{code}",
                         "value": shown(f"charge-{code}", _amount_text(charges.get(code)))} for code in CHARGE_CODES],
        "charge86": shown("charge-86", _amount_text(charges.get("86"))),
        "income_rows": [{"code": code, "label": INCOME_LINES[code], "name": f"income-{code}",
                         "value": shown(f"income-{code}", _amount_text(income.get(code)))} for code in INCOME_CODES],
        "income87": shown("income-87", _amount_text(income.get("87"))),
        "subsidy_rows": [{"code": f.code, "label": f.name, "name": f"subsidy-{f.code}",
                          "envelope": euros(f.envelope) if f.envelope is not None else "",
                          "value": shown(f"subsidy-{f.code}", _amount_text(subsidies.get(f.code)))}
                         for f in funders],
    }


def _values(c: dict, shown: _Shown) -> dict:
    values = {name: shown(name, c.get(name) or "") for name in TEXTS}
    for name in LISTS:
        values[name] = shown(name, "\n".join(c.get(name, [])))
    for name in ("start_date", "end_date"):
        values[name] = shown(name, c.get(name) or "")
    return values


def form_state(content: dict, *, funders, post=None) -> dict:
    """What the inputs show: from the stored content, or from the POST when it could not be stored."""
    c = content or {}
    shown = _Shown(post)
    return {
        "values": _values(c, shown),
        "renewal": c.get("renewal", False),
        "previous_report_provided": c.get("previous_report_provided", False),
        "neighbourhoods": c.get("neighbourhoods", []),
        "claimed": {f"{o.get('key')}|{o.get('neighbourhood')}" for o in c.get("claimed_objectives", [])},
        "audience_rows": _audience_rows(c, shown),
        "slot_rows": _slot_rows(c, shown),
        "slot_kinds": list(SLOT_KINDS.items()),
        "weekdays": list(WEEKDAYS.items()),
        "indicator_rows": _indicator_rows(c),
        **_budget_rows(c, funders, shown),
        "cer": c.get("cer") or {},
    }


# The section a finding's field points at, by the start of its path (first match wins).
SECTION_ANCHORS = (
    (("budget", "requested"), "budget"),
    (("documents",), "pieces"),
    (("claimed_objectives",), "objectifs"),
    (("neighbourhoods",), "quartiers"),
    (("audience",), "beneficiaires"),
    (("cer",), "attestation"),
    (("indicators",), "indicateurs"),
    (("organisation", "submitted_at"), "structure"),
)


def field_anchor(field: str) -> str:
    """The id of the input (or section) a finding's field path points at."""
    m = re.match(r"schedule\[(\d+)\]", field)
    if m:
        return f"slot-{m.group(1)}"
    if field.startswith("budget.income.74"):
        return "ligne-74"
    m = re.match(r"budget\.(charges|income)\.(\d\d)$", field)
    if m:
        return f"id_{'charge' if m.group(1) == 'charges' else 'income'}-{m.group(2)}"
    for prefixes, anchor in SECTION_ANCHORS:
        if field.startswith(prefixes):
            return anchor
    return f"id_{field.split('.')[0].split('[')[0]}"  # an input of its own: id_title, id_places…
