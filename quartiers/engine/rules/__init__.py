"""Eligibility rules: application data → findings, one small pure function per rule (see docs/rules.md).

    from quartiers.engine.rules import check_application
    findings = check_application(application, call=call, framework=framework, organisation=organisation, now=now)
"""

from quartiers.engine.rules.checks import RULES, RULES_BY_CODE, Rule
from quartiers.engine.rules.context import Scorer
from quartiers.engine.rules.engine import check_application, is_admissible
from quartiers.engine.rules.findings import Finding, format_euros, format_percent
from quartiers.engine.rules.io import (
    ApplicationFile,
    ApplicationFormatError,
    dump_application_file,
    load_application_file,
)
from quartiers.engine.rules.model import (
    Application,
    AudienceGroup,
    Budget,
    BudgetLine,
    Call,
    CerAttestation,
    Funder,
    FundingRequest,
    Indicator,
    ObjectiveClaim,
    Organisation,
    RuleSetting,
    RuleSettings,
    Slot,
    SubsidyLine,
)

__all__ = [
    "RULES",
    "RULES_BY_CODE",
    "Application",
    "ApplicationFile",
    "ApplicationFormatError",
    "AudienceGroup",
    "Budget",
    "BudgetLine",
    "Call",
    "CerAttestation",
    "Finding",
    "Funder",
    "FundingRequest",
    "Indicator",
    "ObjectiveClaim",
    "Organisation",
    "Rule",
    "RuleSetting",
    "RuleSettings",
    "Scorer",
    "Slot",
    "SubsidyLine",
    "check_application",
    "dump_application_file",
    "format_euros",
    "format_percent",
    "is_admissible",
    "load_application_file",
]
