"""Constraints of the annex: out-of-school time (Alès education), off hours (Anduze youth)."""

from datetime import time

import pytest

from quartiers.engine.framework import Constraint
from quartiers.engine.rules import Slot


def slot(kind, weekday=None, start=None, end=None):
    return Slot(kind=kind, weekday=weekday, start=time.fromisoformat(start) if start else None,
                end=time.fromisoformat(end) if end else None)


def test_tuesday_morning_in_school_time_violates_the_ales_education_theme(ales, h):
    findings = h.run(ales)
    assert [(f.code, f.severity, f.field) for f in findings] == [("CONSTRAINT_VIOLATED", "blocking", "schedule[0]")]
    message = findings[0].message
    assert "mardi 10h00–12h00" in message
    assert "Réussite scolaire et éducative" in message
    assert "hors-temps scolaire" in message


@pytest.mark.parametrize(
    "s",
    [
        slot("out_of_school_time", "tuesday", "16:30", "18:00"),
        slot("out_of_school_time", "monday", "07:30", "08:30"),
        slot("out_of_school_time", "wednesday", "12:00", "16:00"),
        slot("weekend", "saturday", "10:00", "12:00"),
        slot("school_holidays", "tuesday", "10:00", "12:00"),
        slot("school_holidays"),
        slot("evening", "thursday", "18:00", "20:00"),
    ],
)
def test_out_of_school_slots_pass(ales, h, s):
    assert h.run(ales, schedule=(s,)) == []


@pytest.mark.parametrize(
    "s",
    [
        slot("school_time", "tuesday", "10:00", "12:00"),
        slot("school_time"),
        slot("out_of_school_time", "tuesday", "16:29", "18:00"),
        slot("out_of_school_time", "wednesday", "11:00", "12:30"),
        slot("evening", "friday", "15:00", "19:00"),
    ],
)
def test_slots_overlapping_school_hours_violate(ales, h, s):
    assert h.codes(h.run(ales, schedule=(s,))) == ["CONSTRAINT_VIOLATED"]


def test_declared_kind_does_not_hide_school_hours(ales, h):
    findings = h.run(ales, schedule=(slot("out_of_school_time", "thursday", "14:00", "15:00"),))
    assert "bien que déclaré « hors temps scolaire »" in findings[0].message


def test_each_school_time_slot_is_reported_once(ales, h):
    schedule = (slot("school_time", "monday", "09:00", "10:00"), slot("weekend", "saturday", "09:00", "10:00"),
                slot("school_time", "friday", "14:00", "15:00"))
    findings = h.run(ales, schedule=schedule)
    assert [f.field for f in findings] == ["schedule[0]", "schedule[2]"]


def test_no_schedule_when_the_theme_demands_hours_is_blocking(ales, h):
    findings = h.run(ales, schedule=())
    assert [(f.code, f.severity, f.field) for f in findings] == [("SCHEDULE_MISSING", "blocking", "schedule")]


def test_other_themes_need_no_schedule(h):
    bad_ids = h.load("saint-ambroix-budget-desequilibre")
    assert "SCHEDULE_MISSING" not in h.codes(h.run(bad_ids, schedule=()))


def test_off_hours_objective_without_evening_weekend_or_holidays_is_a_warning(anduze, h):
    findings = h.run(anduze, schedule=(slot("out_of_school_time", "wednesday", "14:00", "17:00"),))
    assert [(f.code, f.severity, f.field) for f in findings] == [("CONSTRAINT_VIOLATED", "warning", "schedule")]
    assert "horaires décalés" in findings[0].message


@pytest.mark.parametrize(
    "s",
    [
        slot("evening", "friday", "18:00", "21:00"),
        slot("out_of_school_time", "tuesday", "18:00", "20:00"),
        slot("out_of_school_time", "saturday", "14:00", "17:00"),
        slot("school_holidays"),
    ],
)
def test_off_hours_objective_with_one_off_hours_slot_passes(anduze, h, s):
    assert h.run(anduze, schedule=(slot("out_of_school_time", "wednesday", "14:00", "17:00"), s)) == []


def test_untagged_constraint_is_recognised_from_its_text(ales, h):
    from dataclasses import replace

    fw = ales.framework
    ales_n = fw.neighbourhoods[0]
    theme = replace(ales_n.themes[0], constraints=(Constraint(tag="other", text="Actions menées hors temps scolaire"),))
    fw2 = replace(fw, neighbourhoods=(replace(ales_n, themes=(theme, *ales_n.themes[1:])), *fw.neighbourhoods[1:]))
    assert h.codes(h.run(replace(ales, framework=fw2))) == ["CONSTRAINT_VIOLATED"]


def test_slot_ending_before_it_starts_is_blocking(anduze, h):
    findings = h.run(anduze, schedule=(*anduze.application.schedule, slot("evening", "monday", "21:00", "18:00")))
    assert [(f.code, f.field) for f in findings] == [("SCHEDULE_INVALID", "schedule[3].end")]


def test_constraint_severity_follows_the_call_setting(ales, h):
    from quartiers.engine.rules import RuleSetting

    lenient = h.with_settings(ales, rules={"CONSTRAINT_VIOLATED": RuleSetting(severity="warning")})
    assert [f.severity for f in h.run(lenient)] == ["warning"]
