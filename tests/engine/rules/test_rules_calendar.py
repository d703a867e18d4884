"""Opening, deadline (to the second, Paris time) and the civil year of the action."""

from datetime import date, datetime, timedelta

CLOSES = datetime.fromisoformat("2026-12-15T23:59:59+01:00")
OPENS = datetime.fromisoformat("2026-10-01T09:00:00+02:00")


def test_submission_one_second_before_the_deadline_passes(anduze, h):
    assert "DEADLINE_PASSED" not in h.codes(h.run(anduze, submitted_at=CLOSES - timedelta(seconds=1)))


def test_submission_exactly_at_the_deadline_passes(anduze, h):
    assert "DEADLINE_PASSED" not in h.codes(h.run(anduze, submitted_at=CLOSES))


def test_submission_one_second_after_the_deadline_is_blocking(anduze, h):
    findings = [f for f in h.run(anduze, submitted_at=CLOSES + timedelta(seconds=1)) if f.code == "DEADLINE_PASSED"]
    assert [(f.severity, f.field) for f in findings] == [("blocking", "submitted_at")]
    assert "16/12/2026 à 00:00:00" in findings[0].message and "15/12/2026 à 23:59:59" in findings[0].message


def test_deadline_compares_instants_whatever_the_offset(anduze, h):
    # 23:00:00 UTC is 00:00:00 in Paris the next day: one second late.
    late = datetime.fromisoformat("2026-12-15T23:00:00+00:00")
    assert "DEADLINE_PASSED" in h.codes(h.run(anduze, submitted_at=late))
    on_time = datetime.fromisoformat("2026-12-15T22:59:59+00:00")
    assert "DEADLINE_PASSED" not in h.codes(h.run(anduze, submitted_at=on_time))


def test_without_submission_time_now_is_used(anduze, h):
    assert "DEADLINE_PASSED" not in h.codes(h.run(anduze, submitted_at=None, now=CLOSES))
    findings = h.run(anduze, submitted_at=None, now=CLOSES + timedelta(seconds=1))
    assert "DEADLINE_PASSED" in h.codes(findings)


def test_submission_before_the_opening_is_blocking(anduze, h):
    assert "CALL_NOT_OPEN" in h.codes(h.run(anduze, submitted_at=OPENS - timedelta(seconds=1)))
    assert "CALL_NOT_OPEN" not in h.codes(h.run(anduze, submitted_at=OPENS))


def test_end_before_start_is_blocking(anduze, h):
    findings = h.run(anduze, start_date=date(2027, 6, 2), end_date=date(2027, 6, 1))
    assert [(f.code, f.field) for f in findings] == [("DATES_INVERTED", "end_date")]
    assert "01/06/2027" in findings[0].message and "02/06/2027" in findings[0].message


def test_same_day_action_is_fine(anduze, h):
    assert h.run(anduze, start_date=date(2027, 6, 1), end_date=date(2027, 6, 1)) == []


def test_action_inside_the_civil_year_passes_at_both_ends(anduze, h):
    assert h.run(anduze, start_date=date(2027, 1, 1), end_date=date(2027, 12, 31)) == []


def test_action_outside_the_civil_year_is_blocking(anduze, h):
    findings = h.run(anduze, start_date=date(2026, 12, 31), end_date=date(2028, 1, 1))
    assert [(f.code, f.severity, f.field) for f in findings] == [
        ("ACTION_OUTSIDE_CALL_YEAR", "blocking", "start_date"),
        ("ACTION_OUTSIDE_CALL_YEAR", "blocking", "end_date"),
    ]


def test_justified_action_over_two_years_is_a_warning(anduze, h):
    findings = h.run(anduze, end_date=date(2028, 6, 30),
                     out_of_year_justification="Année scolaire 2027-2028, accord de la préfecture.")
    assert [(f.code, f.severity) for f in findings] == [("ACTION_OUTSIDE_CALL_YEAR", "warning")]


def test_missing_dates_are_required_fields(anduze, h):
    findings = h.run(anduze, start_date=None, end_date=None)
    assert [(f.code, f.field) for f in findings] == [
        ("REQUIRED_FIELD_MISSING", "start_date"), ("REQUIRED_FIELD_MISSING", "end_date")]
