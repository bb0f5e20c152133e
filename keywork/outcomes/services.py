from django.db import transaction

from keywork.outcomes import default_framework as spec
from keywork.outcomes.models import Domain, Framework, Stage


@transaction.atomic
def shipped_framework() -> Framework:
    """Keywork's own open framework, made from its specification if it is missing (a
    migration makes it; a database emptied and rebuilt gets it back here)."""
    framework, created = Framework.objects.get_or_create(
        organisation=None, name=spec.NAME, defaults={"description": spec.DESCRIPTION}
    )
    if created:
        Domain.objects.bulk_create(
            Domain(framework=framework, name=name, description=description, position=position)
            for position, (name, description) in enumerate(spec.DOMAINS)
        )
        Stage.objects.bulk_create(
            Stage(framework=framework, label=label, description=description, low=low, high=high)
            for label, description, low, high in spec.STAGES
        )
    return framework


@transaction.atomic
def ratings_record(
    *,
    actor,
    episode,
    framework: Framework,
    rated_on,
    rated_by: str,
    scores: dict[int, int],
    note: str = "",
) -> list:
    """One rating per domain given, all on the same day, or none if any is wrong."""
    from auditlog.context import set_actor
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from keywork import access
    from keywork.outcomes.models import Rating

    access.check_or_404(actor, "planning.edit", episode)
    errors = {}
    if rated_on > timezone.localdate():
        errors["rated_on"] = "The ratings cannot be dated in the future."
    if rated_by not in Rating.RatedBy.values:
        errors["rated_by"] = "Choose who gave the ratings."
    domains = {d.pk: d for d in framework.domains.all()}
    for domain_id, score in scores.items():
        if domain_id not in domains:
            errors["__all__"] = "Rate only the plan's areas of life."
        elif not framework.scale_min <= score <= framework.scale_max:
            errors[f"domain_{domain_id}"] = (
                f"Give a number from {framework.scale_min} to {framework.scale_max}."
            )
    if not scores and not errors:
        errors["__all__"] = "Rate at least one area of life."
    if errors:
        raise ValidationError(errors)
    made = []
    with set_actor(actor):
        for domain_id, score in scores.items():
            rating = Rating(
                organisation_id=episode.organisation_id,
                episode=episode,
                domain=domains[domain_id],
                score=score,
                rated_by=rated_by,
                rated_on=rated_on,
                note=note.strip()[:300],
                recorded_by=actor,
            )
            rating.full_clean()
            rating.save()
            made.append(rating)
    return made
