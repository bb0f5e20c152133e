"""Outcome figures for a whole service, without personal data: for each area of life,
how far people moved from their first rating to their latest."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import FirstValue

from keywork.outcomes.models import Domain, Rating

# Figures from fewer people than this are not shown, so that no one can be picked out.
SMALLEST_GROUP = 5


@dataclass(frozen=True)
class AreaChange:
    framework: str
    domain: str
    people: int  # people rated in this area at least twice in the service
    total_change: int
    improved: int

    @property
    def shown(self) -> bool:
        return self.people >= SMALLEST_GROUP

    @property
    def average_change(self) -> float | None:
        return round(self.total_change / self.people, 1) if self.shown else None

    @property
    def share_improved(self) -> int | None:
        """Per cent of the people rated twice or more whose latest is above their first."""
        return round(100 * self.improved / self.people) if self.shown else None


def service_outcomes(*, service_id: int) -> list[AreaChange]:
    """For each area of life rated in the service: the number of people rated in it at
    least twice, their average change (latest minus first) and how many improved. The
    first and latest rating of each person's episode come from the database (window
    functions), so the work is one pass over the service's ratings."""
    partition = [F("episode_id"), F("domain_id")]
    firsts_and_lasts = (
        Rating.objects.filter(episode__service_id=service_id)
        .annotate(
            baseline=Window(
                FirstValue("score"),
                partition_by=partition,
                order_by=[F("rated_on").asc(), F("pk").asc()],
            ),
            latest=Window(
                FirstValue("score"),
                partition_by=partition,
                order_by=[F("rated_on").desc(), F("pk").desc()],
            ),
            times=Window(Count("pk"), partition_by=partition),
        )
        .order_by()
        .values_list("episode_id", "domain_id", "baseline", "latest", "times")
        .distinct()
    )
    totals: dict[int, list[int]] = {}
    for _episode, domain_id, baseline, latest, times in firsts_and_lasts:
        people, change, improved = totals.setdefault(domain_id, [0, 0, 0])
        if times >= 2:
            totals[domain_id] = [
                people + 1,
                change + latest - baseline,
                improved + (latest > baseline),
            ]
    domains = Domain.objects.filter(pk__in=totals).select_related("framework")
    return [
        AreaChange(d.framework.name, d.name, *totals[d.pk])
        for d in sorted(domains, key=lambda d: (d.framework.name, d.position, d.pk))
    ]
