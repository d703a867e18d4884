"""Run every enabled rule on one application, in the table's order."""

from __future__ import annotations

from datetime import datetime

from quartiers.engine.framework import Framework
from quartiers.engine.rules.checks import RULES, Rule
from quartiers.engine.rules.context import Scorer, build_context
from quartiers.engine.rules.findings import Finding
from quartiers.engine.rules.model import Application, Call, Organisation, RuleSettings, Severity


def rule_enabled(rule: Rule, settings: RuleSettings) -> bool:
    setting = settings.rules.get(rule.code)
    return rule.enabled_by_default if setting is None else setting.enabled


def rule_severity(rule: Rule, settings: RuleSettings, hit_severity: Severity | None) -> Severity:
    """The call's setting wins, then the hit's own severity, then the rule's default."""
    setting = settings.rules.get(rule.code)
    if setting is not None and setting.severity is not None:
        return setting.severity
    return hit_severity or rule.severity


def check_application(
    application: Application,
    *,
    call: Call,
    framework: Framework,
    organisation: Organisation,
    now: datetime,
    scorer: Scorer | None = None,
) -> list[Finding]:
    """Every finding of every enabled rule, in a stable order (the order of ``RULES``, then of the fields).

    ``now`` is when the check runs; the deadline rules use ``application.submitted_at`` when it is set, else ``now``.
    ``scorer(application, objective)`` is the matching engine's score for a claimed objective (0…1, or None when it
    has no opinion); without a scorer, ``OBJECTIVE_WEAK_MATCH`` says nothing.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    ctx = build_context(application, call=call, framework=framework, organisation=organisation, now=now,
                        scorer=scorer)
    settings = call.settings
    findings: list[Finding] = []
    for rule in RULES:
        if not rule_enabled(rule, settings):
            continue
        for hit in rule.check(ctx):
            findings.append(Finding(rule.code, rule_severity(rule, settings, hit.severity), hit.message, hit.field))
    return findings


def is_admissible(findings: list[Finding]) -> bool:
    """True when no finding is blocking."""
    return not any(f.severity == "blocking" for f in findings)
