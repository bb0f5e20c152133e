from dataclasses import dataclass

from keywork.outcomes.models import Framework, Rating


@dataclass(frozen=True)
class DomainProgress:
    domain: str
    baseline: int | None
    latest: int | None
    stage: str
    history: list[tuple[str, int]]  # (date, score), oldest first

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline


def progress_for(*, episode, framework: Framework) -> list[DomainProgress]:
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
                history=[(r.rated_on.strftime("%d/%m/%Y"), r.score) for r in history],
            )
        )
    return rows
