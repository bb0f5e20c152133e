from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet

from keywork import access
from keywork.outcomes import default_framework as spec
from keywork.outcomes.models import Domain, Framework, Rating, Stage
from keywork.outcomes.services import shipped_framework

if TYPE_CHECKING:
    from keywork.accounts.models import User
    from keywork.people.models import Episode


@dataclass(frozen=True)
class DomainProgress:
    domain: str
    baseline: int | None
    latest: int | None
    stage: str
    history: list[tuple[date, int]]  # (day, score), oldest first

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline


def progress_for(*, episode: "Episode", framework: Framework) -> list[DomainProgress]:
    """For each domain: the baseline (first rating), the latest, the distance travelled,
    the stage the latest falls in, and the history; two queries whatever the history."""
    stages = list(framework.stages.all())
    ratings = list(
        Rating.objects.filter(episode=episode, domain__framework=framework).order_by(
            "rated_on", "pk"
        )
    )
    by_domain: dict[int, list[Rating]] = {}
    for rating in ratings:
        by_domain.setdefault(rating.domain_id, []).append(rating)
    rows = []
    for domain in framework.domains.all():
        history = by_domain.get(domain.pk, [])
        latest = history[-1].score if history else None
        stage = next(
            (s.label for s in stages if latest is not None and s.low <= latest <= s.high), ""
        )
        rows.append(
            DomainProgress(
                domain=domain.name,
                baseline=history[0].score if history else None,
                latest=latest,
                stage=stage,
                history=[(r.rated_on, r.score) for r in history],
            )
        )
    return rows


# --- Frameworks, for the organisation's administrators ------------------------------------


def frameworks_of(*, fetched_by: "User") -> QuerySet[Framework]:
    """The organisation's own frameworks: the ones its administrators may change."""
    return access.scoped_to_organisation(fetched_by, Framework.objects.all())


def frameworks_open_to(*, fetched_by: "User") -> QuerySet[Framework]:
    """The organisation's own frameworks and Keywork's, which is open to everyone."""
    if not getattr(fetched_by, "is_authenticated", False):
        return Framework.objects.none()
    return Framework.objects.filter(
        Q(organisation_id=fetched_by.organisation_id) | Q(organisation=None)
    )


def framework_list(*, fetched_by: "User") -> list[Framework]:
    """Keywork's framework, then the organisation's own in use before archived, each with
    how many areas of life and stages it has; one query however many there are."""
    frameworks = (
        frameworks_open_to(fetched_by=fetched_by)
        .annotate(
            domain_count=Count("domains", distinct=True),
            stage_count=Count("stages", distinct=True),
        )
        .order_by(
            F("organisation_id").asc(nulls_first=True),
            F("archived_at").asc(nulls_first=True),
            "name",
        )
    )
    listed: list[Framework] = list(frameworks)
    if not any(framework.organisation_id is None for framework in listed):
        shipped_framework()  # a database emptied and rebuilt gets it back
        listed = list(frameworks.all())
    return listed


def framework_with_parts(queryset: QuerySet[Framework]) -> QuerySet[Framework]:
    return queryset.prefetch_related(
        Prefetch("domains", queryset=Domain.objects.order_by("position", "pk")),
        Prefetch("stages", queryset=Stage.objects.order_by("low", "pk")),
    )


def domain_ids_with_ratings(*, framework: Framework) -> set[int]:
    return set(
        Rating.objects.filter(domain__framework=framework)
        .values_list("domain_id", flat=True)
        .distinct()
    )


def framework_for_new_plans(*, organisation_id: int) -> Framework:
    """The framework new support plans take: the one the organisation's administrators
    chose, if it is not archived, else Keywork's own."""
    # One query: the chosen one sorts before Keywork's.
    found = (
        Framework.objects.filter(
            Q(organisation_id=organisation_id, used_for_new_plans=True, archived_at=None)
            | Q(organisation=None, name=spec.NAME)
        )
        .order_by(F("organisation_id").desc(nulls_last=True))
        .first()
    )
    return found or shipped_framework()


def frameworks_to_choose_from(*, fetched_by: "User") -> QuerySet[Framework]:
    return (
        frameworks_open_to(fetched_by=fetched_by)
        .filter(archived_at=None)
        .order_by(F("organisation_id").asc(nulls_first=True), "name")
    )
