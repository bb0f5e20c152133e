"""Working days in the United Kingdom: not a Saturday, a Sunday or one of the nation's
bank holidays (from the maintained `holidays` package, which knows each year's changes,
such as a holiday moved for a coronation or a substitute day when one falls at a
weekend). Deadlines counted in working days, such as a complaint's, count from here."""

from datetime import date, timedelta
from functools import cache

import holidays

# The nations whose bank holidays differ, as the holidays package names its subdivisions
# (Wales keeps England's).
NATIONS = ("ENG", "SCT", "NIR")


@cache
def _bank_holidays_of(nation: str, year: int) -> frozenset[date]:
    if nation not in NATIONS:
        raise ValueError(f"No bank holidays are known for the nation {nation!r}.")
    return frozenset(holidays.UnitedKingdom(subdiv=nation, years=year).keys())


def is_working_day(day: date, *, nation: str) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays_of(nation, day.year)


def add_working_days(start: date, days: int, *, nation: str) -> date:
    """The day `days` working days after `start` (start itself not counted, whether or not
    it is a working day): "within 5 working days" of a Friday is the next Friday."""
    if days < 0:
        raise ValueError("Count working days forward only.")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, nation=nation):
            left -= 1
    return day


def working_days_between(start: date, end: date, *, nation: str) -> int:
    """How many working days after `start` up to and including `end` (0 when `end` is not
    after `start`): a response on the deadline from add_working_days took exactly `days`."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, nation=nation):
            count += 1
    return count


def bank_holidays(nation: str, first: date, last: date) -> dict[date, str]:
    """The nation's bank holidays from `first` to `last`, with their names (for a page
    that shows them, such as an on-call rota)."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        _bank_holidays_of(nation, year)  # refuses a nation the package does not know
        named = holidays.UnitedKingdom(subdiv=nation, years=year)
        found.update({day: name for day, name in named.items() if first <= day <= last})
    return found
