"""The Cerfa 12156 form as HTML inputs: POST → content (schema format) and content → what the page shows.

Input names: ``title``, ``need``…; ``activities``, ``places``, ``partners`` one per line; ``neighbourhoods``
(codes); ``aud-<sex>-<band>`` and ``aud-<sex>-<band>-qpv``; ``slot-<i>-kind|weekday|start|end|label``;
``ind-<i>-name|target``; ``charge-<code>``, ``income-<code>`` and, for line 74, ``subsidy-<funder code>`` (the
amount asked of each funder of the call: it is also the requested amount); ``objective`` (``<key>|<QPV code>``);
``cer_attested``.
"""

import re
from datetime import date
from decimal import Decimal

from quartiers.engine.rules.findings import format_euros
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


def content_from_post(post, *, funders, framework, previous: dict, can_sign: bool, signer_name: str,
                      today: date) -> tuple[dict, dict[str, str]]:
    """The content (``application`` section of the schema) and the input errors (input name → French message)."""
    errors: dict[str, str] = {}
    c: dict = {}
    for name in TEXTS:
        c[name] = post.get(name, "").strip()
    for name in LISTS:
        c[name] = [line.strip() for line in post.get(name, "").splitlines() if line.strip()]
    c["neighbourhoods"] = [code for code in post.getlist("neighbourhoods") if code]
    for name in ("start_date", "end_date"):
        value = post.get(name, "").strip()
        try:
            c[name] = date.fromisoformat(value).isoformat() if value else None
        except ValueError:
            errors[name] = "Date invalide : utilisez le format jj/mm/aaaa."
            c[name] = None
    c["renewal"] = post.get("renewal") == "1"
    c["previous_report_provided"] = bool(post.get("previous_report_provided"))
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
    c["audience"] = audience
    schedule = []
    for i in range(SLOT_ROWS):
        kind = post.get(f"slot-{i}-kind", "")
        if not kind:
            continue
        slot = {"kind": kind}
        if post.get(f"slot-{i}-weekday"):
            slot["weekday"] = post.get(f"slot-{i}-weekday")
        for part in ("start", "end"):
            value = post.get(f"slot-{i}-{part}", "").strip()
            if value:
                if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", value):
                    slot[part] = value[:5].zfill(5)
                else:
                    errors[f"slot-{i}-{part}"] = "Heure invalide : utilisez le format hh:mm."
        if post.get(f"slot-{i}-label", "").strip():
            slot["label"] = post.get(f"slot-{i}-label").strip()
        schedule.append(slot)
    c["schedule"] = schedule
    c["indicators"] = [
        {"name": post.get(f"ind-{i}-name", "").strip(), "target": post.get(f"ind-{i}-target", "").strip()}
        for i in range(INDICATOR_ROWS) if post.get(f"ind-{i}-name", "").strip()
    ]
    charges, income, subsidies = {}, {}, []
    for code in [*CHARGE_CODES, "86"]:
        try:
            amount = parse_amount(post.get(f"charge-{code}", ""))
        except ValueError:
            errors[f"charge-{code}"] = "Montant invalide : écrivez par exemple 1 250,00."
            continue
        if amount is not None:
            charges[code] = f"{amount:f}"
    for code in [*INCOME_CODES, "87"]:
        try:
            amount = parse_amount(post.get(f"income-{code}", ""))
        except ValueError:
            errors[f"income-{code}"] = "Montant invalide : écrivez par exemple 1 250,00."
            continue
        if amount is not None:
            income[code] = f"{amount:f}"
    for f in funders:
        key = f"subsidy-{f.code}"
        try:
            amount = parse_amount(post.get(key, ""))
        except ValueError:
            errors[key] = "Montant invalide : écrivez par exemple 1 250,00."
            continue
        if amount:
            subsidies.append({"funder": f.code, "amount": f"{amount:f}"})
    if subsidies:
        income[SUBSIDIES] = subsidies
    c["budget"] = {"charges": charges, "income": income}
    c["requested"] = [dict(s) for s in subsidies]
    texts = {}
    for n in framework.neighbourhoods:
        for t in n.themes:
            for o in t.objectives:
                texts[(o.key, n.code)] = o.text
    claims = []
    for value in post.getlist("objective"):
        key, _, code = value.partition("|")
        if code in c["neighbourhoods"] and (key, code) in texts:
            claims.append({"key": key, "text": texts[(key, code)], "neighbourhood": code})
    c["claimed_objectives"] = claims
    if can_sign:
        attested = bool(post.get("cer_attested"))
        old = previous.get("cer") or {}
        c["cer"] = {"attested": attested, "signatory": (old.get("signatory") or signer_name) if attested else "",
                    "signed_on": (old.get("signed_on") or today.isoformat()) if attested else None}
        if attested and not old.get("attested"):
            c["cer"]["signatory"], c["cer"]["signed_on"] = signer_name, today.isoformat()
    else:
        c["cer"] = previous.get("cer") or {"attested": False, "signatory": "", "signed_on": None}
    return c, errors


def _amount_text(value) -> str:
    if value in (None, ""):
        return ""
    return str(value).replace(".", ",")


def form_state(content: dict, *, funders, post=None) -> dict:
    """What the inputs show: from the stored content, or from the POST when it could not be stored."""
    c = content or {}
    if post is not None:
        def raw(name, default=""):
            return post.get(name, default)
    else:
        raw = None
    budget = c.get("budget") or {}
    charges = budget.get("charges") or {}
    income = budget.get("income") or {}
    subsidies = {s["funder"]: s["amount"] for s in income.get(SUBSIDIES, [])} if isinstance(
        income.get(SUBSIDIES), list) else {}
    aud = {(g["sex"], g["age_band"]): g for g in c.get("audience", [])}
    audience_rows = []
    for band in AGE_BANDS:
        cells = []
        for sex, sex_label in SEXES.items():
            g = aud.get((sex, band), {})
            name = f"aud-{sex}-{band}"
            cells.append({"sex_label": sex_label, "name": name,
                          "value": raw(name) if raw else (g.get("count") or ""),
                          "qpv_name": f"{name}-qpv",
                          "qpv_value": raw(f"{name}-qpv") if raw else (g.get("qpv_count") or "")})
        audience_rows.append({"band": band, "label": AGE_LABELS[band], "cells": cells})
    slots = list(c.get("schedule", []))
    slot_rows = []
    for i in range(SLOT_ROWS):
        s = slots[i] if i < len(slots) else {}
        slot_rows.append({"i": i, **{k: (raw(f"slot-{i}-{k}") if raw else s.get(k, "")) for k in
                                     ("kind", "weekday", "start", "end", "label")}})
    inds = list(c.get("indicators", []))
    indicator_rows = [{"i": i, "name": (inds[i]["name"] if i < len(inds) else ""),
                       "target": (inds[i]["target"] if i < len(inds) else "")} for i in range(INDICATOR_ROWS)]
    charge_rows = [{"code": code, "label": CHARGE_LINES[code], "name": f"charge-{code}",
                    "value": raw(f"charge-{code}") if raw else _amount_text(charges.get(code))}
                   for code in CHARGE_CODES]
    income_rows = [{"code": code, "label": INCOME_LINES[code], "name": f"income-{code}",
                    "value": raw(f"income-{code}") if raw else _amount_text(income.get(code))}
                   for code in INCOME_CODES]
    subsidy_rows = [{"code": f.code, "label": f.name, "name": f"subsidy-{f.code}",
                     "envelope": format_euros(f.envelope) if f.envelope is not None else "",
                     "value": raw(f"subsidy-{f.code}") if raw else _amount_text(subsidies.get(f.code))}
                    for f in funders]
    values = {name: (raw(name) if raw else c.get(name) or "") for name in TEXTS}
    for name in LISTS:
        values[name] = raw(name) if raw else "\n".join(c.get(name, []))
    for name in ("start_date", "end_date"):
        values[name] = raw(name) if raw else (c.get(name) or "")
    return {
        "values": values,
        "renewal": c.get("renewal", False),
        "previous_report_provided": c.get("previous_report_provided", False),
        "neighbourhoods": c.get("neighbourhoods", []),
        "claimed": {f"{o.get('key')}|{o.get('neighbourhood')}" for o in c.get("claimed_objectives", [])},
        "audience_rows": audience_rows,
        "slot_rows": slot_rows,
        "slot_kinds": list(SLOT_KINDS.items()),
        "weekdays": list(WEEKDAYS.items()),
        "indicator_rows": indicator_rows,
        "charge_rows": charge_rows,
        "charge86": raw("charge-86") if raw else _amount_text(charges.get("86")),
        "income_rows": income_rows,
        "income87": raw("income-87") if raw else _amount_text(income.get("87")),
        "subsidy_rows": subsidy_rows,
        "cer": c.get("cer") or {},
    }


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
    if field.startswith(("budget", "requested")):
        return "budget"
    if field.startswith("documents"):
        return "pieces"
    if field.startswith("claimed_objectives"):
        return "objectifs"
    if field.startswith("neighbourhoods"):
        return "quartiers"
    if field.startswith("audience"):
        return "beneficiaires"
    if field.startswith("cer"):
        return "attestation"
    if field.startswith("indicators"):
        return "indicateurs"
    if field.startswith(("organisation", "submitted_at")):
        return "structure"
    if field in ("previous_report_provided",):
        return "id_previous_report_provided"
    if field in ("places",):
        return "id_places"
    return f"id_{field.split('.')[0].split('[')[0]}"
