"""The JSON form of an application file: schema, loader errors, round trip, robustness."""

import copy
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartiers.engine.framework import Framework
from quartiers.engine.rules import RULES, check_application
from quartiers.engine.rules.io import (
    ApplicationFormatError,
    dump_application_file,
    load_application_file,
    loads_application_file,
)
from quartiers.engine.rules.model import (
    AGE_BANDS,
    CHARGE_LINES,
    FUNDER_KINDS,
    INCOME_LINES,
    LEGAL_FORMS,
    SEXES,
    SLOT_KINDS,
    WEEKDAYS,
)

SCHEMAS = Path(__file__).resolve().parents[3] / "docs" / "schemas"
SCHEMA_PATH = SCHEMAS / "application.schema.json"
NOW = datetime.fromisoformat("2026-12-01T12:00:00+01:00")
EXAMPLE_FILES = sorted(p for p in (SCHEMAS / "examples").glob("*.json") if not p.name.endswith(".expected.json"))


def example(name="anduze-jeunesse-recevable"):
    return json.loads((SCHEMAS / "examples" / f"{name}.json").read_text(encoding="utf-8"))


def load_error(data) -> ApplicationFormatError:
    with pytest.raises(ApplicationFormatError) as info:
        load_application_file(data)
    return info.value


# --- the schema ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_schema_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_follows_the_schema(schema, path):
    jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_dumped_files_follow_the_schema(schema, path):
    dumped = dump_application_file(load_application_file(json.loads(path.read_text(encoding="utf-8"))))
    jsonschema.Draft202012Validator(schema).validate(dumped)


def test_schema_rejects_what_the_loader_rejects(schema):
    validator = jsonschema.Draft202012Validator(schema)
    for change in (
        lambda d: d["application"].update(start_date="08/01/2027"),
        lambda d: d["application"].update(colour="bleu"),
        lambda d: d["application"]["budget"]["charges"].update({"99": "10"}),
        lambda d: d["application"]["budget"]["charges"].update({"60": "10.005"}),
        lambda d: d["organisation"].update(legal_form="sarl"),
        lambda d: d["call"]["rules"]["codes"].update(UNKNOWN_RULE={"enabled": False}),
        lambda d: d.pop("call"),
    ):
        data = example()
        change(data)
        assert not validator.is_valid(data)
        with pytest.raises(ApplicationFormatError):
            load_application_file(data)


def test_schema_enums_follow_the_model(schema):
    defs = schema["$defs"]
    assert defs["funder"]["properties"]["kind"]["enum"] == list(FUNDER_KINDS)
    assert defs["legal_form"]["enum"] == list(LEGAL_FORMS)
    assert defs["audience_group"]["properties"]["sex"]["enum"] == list(SEXES)
    assert defs["audience_group"]["properties"]["age_band"]["enum"] == list(AGE_BANDS)
    assert defs["slot"]["properties"]["kind"]["enum"] == list(SLOT_KINDS)
    assert defs["slot"]["properties"]["weekday"]["enum"] == list(WEEKDAYS)
    assert defs["budget"]["properties"]["charges"]["propertyNames"]["enum"] == list(CHARGE_LINES)
    assert defs["budget"]["properties"]["income"]["propertyNames"]["enum"] == list(INCOME_LINES)
    assert defs["rule_settings"]["properties"]["codes"]["propertyNames"]["enum"] == [r.code for r in RULES]


def test_schema_descriptions_are_in_french(schema):
    assert "Dossier de demande de subvention" in schema["title"]
    assert "euros" in schema["$defs"]["money"]["description"]


# --- round trip ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_dump_then_load_gives_the_same_dataclasses(path):
    loaded = load_application_file(json.loads(path.read_text(encoding="utf-8")))
    dumped = dump_application_file(loaded)
    again = load_application_file(json.loads(json.dumps(dumped, ensure_ascii=False)))
    assert again == loaded
    assert dump_application_file(again) == dumped


def test_amounts_are_decimals_and_dumped_as_exact_strings():
    data = example()
    data["application"]["budget"]["charges"]["60"] = 1800.1
    data["application"]["budget"]["charges"]["61"] = "1 600,50"
    file = load_application_file(data)
    assert file.application.budget.charge("60") == Decimal("1800.1")
    assert file.application.budget.charge("61") == Decimal("1600.50")
    assert dump_application_file(file)["application"]["budget"]["charges"]["61"] == "1600.50"


def test_naive_datetimes_are_paris_time():
    data = example()
    data["call"]["closes_at"] = "2026-12-15T23:59:59"
    closes = load_application_file(data).call.closes_at
    assert closes.utcoffset().total_seconds() == 3600


def test_claims_may_be_plain_texts():
    data = example()
    data["application"]["claimed_objectives"] = ["Soutenir les activités spécifiquement dédiées"]
    claim = load_application_file(data).application.claimed_objectives[0]
    assert claim.text.startswith("Soutenir") and claim.key == ""


def test_framework_is_optional():
    data = example()
    del data["framework"]
    assert load_application_file(data).framework is None


# --- errors ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d.pop("call"), "call", "obligatoire"),
        (lambda d: d["call"].pop("closes_at"), "call.closes_at", "obligatoire"),
        (lambda d: d["call"].update(year="2027"), "call.year", "entier"),
        (lambda d: d["call"].update(year=True), "call.year", "entier"),
        (lambda d: d["call"].update(opens_at="1er octobre"), "call.opens_at", "AAAA-MM-JJTHH:MM:SS"),
        (lambda d: d["call"].update(closes_at="2026-09-01T00:00:00+02:00"), "call.closes_at", "précède"),
        (lambda d: d["call"]["funders"][0].update(kind="banque"), "call.funders[0].kind", "etat_bop147"),
        (lambda d: d["call"]["funders"][1].update(code="30-ETAT-POLITIQUE-VILLE"), "call.funders", "même code"),
        (lambda d: d["call"]["funders"][0].update(envelope="-5"), "call.funders[0].envelope", "négative"),
        (lambda d: d["call"]["rules"].update(min_qpv_share=50), "call.rules.min_qpv_share", "entre 0 et 1"),
        (lambda d: d["call"]["rules"]["codes"].update(NOPE={}), "call.rules.codes.NOPE", "inconnu"),
        (lambda d: d["call"]["rules"]["codes"].update(SINGLE_FUNDER={"severity": "grave"}),
         "call.rules.codes.SINGLE_FUNDER.severity", "blocking"),
        (lambda d: d["organisation"].update(siret=81234567600017), "organisation.siret", "texte"),
        (lambda d: d["organisation"].update(legal_form="sarl"), "organisation.legal_form", "association"),
        (lambda d: d["application"].update(title=["a"]), "application.title", "texte est attendu, pas une liste"),
        (lambda d: d["application"].update(start_date="08/01/2027"), "application.start_date", "AAAA-MM-JJ"),
        (lambda d: d["application"].update(end_date="2027-02-30"), "application.end_date", "impossible"),
        (lambda d: d["application"].update(submitted_at="hier"), "application.submitted_at", "AAAA"),
        (lambda d: d["application"].update(submitted_at=17), "application.submitted_at", "AAAA"),
        (lambda d: d["application"].update(renewal="oui"), "application.renewal", "true ou false"),
        (lambda d: d["application"].update(couleur="bleu"), "application.couleur", "champ inconnu"),
        (lambda d: d["application"]["audience"][0].update(count=-3), "application.audience[0].count", "minimum 0"),
        (lambda d: d["application"]["audience"][0].update(count=2.5), "application.audience[0].count", "entier"),
        (lambda d: d["application"]["audience"][0].update(sex="f"), "application.audience[0].sex", "female"),
        (lambda d: d["application"]["schedule"][0].update(start="18h"), "application.schedule[0].start", "HH:MM"),
        (lambda d: d["application"]["schedule"][0].update(weekday="vendredi"), "application.schedule[0].weekday",
         "friday"),
        (lambda d: d["application"]["budget"]["charges"].update({"99": "1"}), "application.budget.charges.99",
         "inconnue"),
        (lambda d: d["application"]["budget"]["charges"].update({"64": "14 000 €"}), "application.budget.charges.64",
         "illisible"),
        (lambda d: d["application"]["budget"]["charges"].update({"64": "14000.001"}),
         "application.budget.charges.64", "deux décimales"),
        (lambda d: d["application"]["budget"]["charges"].update({"64": "1e12"}), "application.budget.charges.64",
         "illisible"),
        (lambda d: d["application"]["budget"]["charges"].update({"64": 1e12}), "application.budget.charges.64",
         "invraisemblable"),
        (lambda d: d["application"]["budget"]["charges"].update({"64": "5000000000"}),
         "application.budget.charges.64", "invraisemblable"),
        (lambda d: d["application"]["budget"]["charges"].update({"64": float("nan")}),
         "application.budget.charges.64", "fini"),
        (lambda d: d["application"]["budget"]["income"].update({"74": "14000"}), "application.budget.income.74",
         "liste"),
        (lambda d: d["application"]["budget"]["income"]["74"][1].pop("funder"),
         "application.budget.income.74[1].funder", "obligatoire"),
        (lambda d: d["application"]["requested"][0].update(amount=None), "application.requested[0].amount",
         "obligatoire"),
        (lambda d: d["application"].update(claimed_objectives=[{"neighbourhood": "Anduze"}]),
         "application.claimed_objectives[0]", "key"),
        (lambda d: d["application"].update(documents="statutes"), "application.documents", "liste"),
        (lambda d: d["application"]["cer"].update(signed_on="20/11/2026"), "application.cer.signed_on", "AAAA"),
        (lambda d: d.update(framework=[]), "framework", "objet"),
        (lambda d: d["framework"]["neighbourhoods"][0].pop("name"), "framework.neighbourhoods[0].name",
         "obligatoire"),
        (lambda d: d["framework"]["neighbourhoods"][0]["themes"][0]["objectives"][0].update(text=3),
         "framework.neighbourhoods[0].themes[0].objectives[0].text", "texte"),
        (lambda d: d.update(format_version=2), "format_version", "non prise en charge"),
    ],
)
def test_format_errors_name_the_field_in_french(change, field, words):
    data = example()
    change(data)
    error = load_error(data)
    assert error.field == field
    assert words in error.message
    assert str(error).startswith(field)


def test_a_ten_megabyte_description_is_refused():
    data = example()
    data["application"]["description"] = "x" * 10_000_000
    error = load_error(data)
    assert error.field == "application.description"
    assert "trop long" in error.message and "20\u202f000" in error.message


def test_a_huge_file_is_refused_before_parsing():
    with pytest.raises(ApplicationFormatError, match="trop volumineux"):
        loads_application_file("[" + " " * 6_000_000 + "]")


@pytest.mark.parametrize("text", ['{"call": ', "", "nul", '{"a": 1,}'])
def test_malformed_json_is_a_format_error(text):
    with pytest.raises(ApplicationFormatError, match="JSON invalide"):
        loads_application_file(text)


def test_a_byte_order_mark_is_tolerated():
    text = "\ufeff" + json.dumps(example(), ensure_ascii=False)
    assert loads_application_file(text).application.title
    assert loads_application_file(text.encode("utf-8")).application.title


def test_bytes_that_are_not_utf8_are_a_format_error():
    with pytest.raises(ApplicationFormatError, match="UTF-8"):
        loads_application_file(b'{"call": "\xe9t\xe9"}')


def test_top_level_must_be_an_object():
    for data in ([], "dossier", 3, None):
        assert "objet JSON" in load_error(data).message


def test_the_error_is_a_value_error():
    assert issubclass(ApplicationFormatError, ValueError)


def test_negative_amounts_are_loaded_for_the_rule_to_report():
    data = example()
    data["application"]["budget"]["charges"]["61"] = "-600.00"
    assert load_application_file(data).application.budget.charge("61") == Decimal("-600.00")


# --- robustness ------------------------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(["call", "organisation", "application", "framework", "year", "opens_at", "closes_at",
                        "budget", "charges", "income", "74", "64", "amount", "funder", "audience", "schedule",
                        "neighbourhoods", "themes", "objectives", "text", "name", "codes", "rules", "cer"])


@st.composite
def mutated_example(draw):
    """The valid example with one value somewhere replaced by arbitrary JSON."""
    data = copy.deepcopy(draw(st.sampled_from(EXAMPLE_DATA)))
    node = data
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(min_value=0, max_value=len(node) - 1))
        else:
            break
        if not isinstance(node[key], dict | list) or draw(st.booleans()):
            node[key] = draw(json_values)
            return data
        node = node[key]
    if isinstance(node, dict):
        node[draw(keys | st.text(max_size=8))] = draw(json_values)
    return data


EXAMPLE_DATA = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLE_FILES]
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(json_values)
def test_loader_raises_only_format_errors_on_arbitrary_json(data):
    try:
        load_application_file(data)
    except ApplicationFormatError:
        pass


@SETTINGS
@given(st.dictionaries(keys, json_values, max_size=5))
def test_loader_raises_only_format_errors_on_json_with_known_keys(data):
    try:
        load_application_file(data)
    except ApplicationFormatError:
        pass


@SETTINGS
@given(mutated_example())
def test_loader_raises_only_format_errors_on_mutated_examples_and_rules_never_crash(data):
    try:
        file = load_application_file(data)
    except ApplicationFormatError:
        return
    findings = check_application(file.application, call=file.call, framework=file.framework or Framework(),
                                 organisation=file.organisation, now=NOW)
    assert all(f.severity in {"blocking", "warning", "info"} and f.message and f.field for f in findings)


def test_allowed_legal_forms_are_read_and_checked():
    data = example()
    data["call"]["rules"]["allowed_legal_forms"] = ["association", "commune"]
    assert load_application_file(data).call.settings.allowed_legal_forms == ("association", "commune")
    data["call"]["rules"]["allowed_legal_forms"] = ["association", "sarl"]
    assert load_error(data).field == "call.rules.allowed_legal_forms[1]"
