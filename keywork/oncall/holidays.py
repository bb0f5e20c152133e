"""UK bank holidays, by nation, from the maintained `holidays` package."""

from datetime import date
from functools import cache

import holidays as uk


@cache
def _of_year(nation: str, year: int) -> frozenset[date]:
    return frozenset(uk.UnitedKingdom(subdiv=nation, years=year).keys())


def bank_holidays(nation: str, first: date, last: date) -> dict[date, str]:
    """The nation's bank holidays from `first` to `last`, with their names."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        named = uk.UnitedKingdom(subdiv=nation, years=year)
        found.update({day: name for day, name in named.items() if first <= day <= last})
    return found


def is_bank_holiday(nation: str, day: date) -> bool:
    return day in _of_year(nation, day.year)
