from datetime import date

import pytest

from keywork.core.working_days import add_working_days, is_working_day, working_days_between

ENG, SCT, NIR = "ENG", "SCT", "NIR"

# (nation, start, working days, the day they run out, why)
DEADLINES = [
    (ENG, date(2026, 11, 2), 5, date(2026, 11, 9), "a plain week: Monday to Monday"),
    (ENG, date(2026, 11, 6), 1, date(2026, 11, 9), "Friday's next working day is Monday"),
    (ENG, date(2026, 11, 7), 1, date(2026, 11, 9), "a start at the weekend counts from Monday"),
    (ENG, date(2026, 11, 4), 0, date(2026, 11, 4), "no days is the same day"),
    (ENG, date(2026, 12, 24), 1, date(2026, 12, 29), "Christmas, Boxing Day moved to Monday"),
    (ENG, date(2026, 12, 24), 5, date(2027, 1, 5), "over Christmas and New Year's Day"),
    (SCT, date(2026, 12, 24), 5, date(2027, 1, 6), "Scotland's 2 January moved to Monday 4th"),
    (NIR, date(2026, 12, 24), 5, date(2027, 1, 5), "Northern Ireland keeps no 2 January"),
    (ENG, date(2026, 12, 24), 10, date(2027, 1, 12), "a stage 1 answer over Christmas"),
    (SCT, date(2026, 12, 24), 10, date(2027, 1, 13), "the same in Scotland, a day later"),
    (ENG, date(2026, 11, 27), 1, date(2026, 11, 30), "St Andrew's Day is worked in England"),
    (SCT, date(2026, 11, 27), 1, date(2026, 12, 1), "St Andrew's Day is a Scottish holiday"),
    (ENG, date(2026, 3, 16), 1, date(2026, 3, 17), "St Patrick's Day is worked in England"),
    (NIR, date(2026, 3, 16), 1, date(2026, 3, 18), "St Patrick's Day in Northern Ireland"),
    (ENG, date(2026, 7, 10), 1, date(2026, 7, 13), "12 July is worked in England"),
    (NIR, date(2026, 7, 10), 1, date(2026, 7, 14), "12 July (a Sunday) moved to Monday 13th"),
    (NIR, date(2027, 7, 9), 1, date(2027, 7, 13), "12 July 2027 is a Monday in Belfast"),
    (ENG, date(2026, 4, 2), 1, date(2026, 4, 7), "Good Friday and Easter Monday in England"),
    (SCT, date(2026, 4, 2), 1, date(2026, 4, 6), "Scotland works Easter Monday"),
    (NIR, date(2026, 4, 2), 1, date(2026, 4, 7), "Northern Ireland keeps Easter Monday"),
    (ENG, date(2026, 7, 31), 1, date(2026, 8, 3), "England's August holiday is at the end"),
    (SCT, date(2026, 7, 31), 1, date(2026, 8, 4), "Scotland's is on the first Monday"),
    (ENG, date(2026, 8, 28), 1, date(2026, 9, 1), "the late August holiday in England"),
    (SCT, date(2026, 8, 28), 1, date(2026, 8, 31), "not in Scotland"),
]


@pytest.mark.parametrize(
    ("nation", "start", "days", "expected", "why"), DEADLINES, ids=[d[4] for d in DEADLINES]
)
def test_it_counts_working_days_past_weekends_and_the_nations_bank_holidays(
    nation, start, days, expected, why
):
    assert add_working_days(start, days, nation=nation) == expected
    assert working_days_between(start, expected, nation=nation) == days


@pytest.mark.parametrize(
    ("nation", "day", "working"),
    [
        (ENG, date(2026, 12, 25), False),
        (ENG, date(2026, 12, 28), False),
        (ENG, date(2027, 1, 4), True),
        (SCT, date(2027, 1, 4), False),
        (SCT, date(2026, 11, 30), False),
        (NIR, date(2026, 3, 17), False),
        (NIR, date(2026, 7, 13), False),
        (ENG, date(2026, 11, 28), False),
    ],
)
def test_it_knows_a_working_day(nation, day, working):
    assert is_working_day(day, nation=nation) is working


def test_it_counts_nothing_back_in_time():
    assert working_days_between(date(2026, 11, 9), date(2026, 11, 2), nation=ENG) == 0
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 9), -1, nation=ENG)


def test_it_refuses_a_nation_it_does_not_know():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 9), 1, nation="XX")
