from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from keywork import access
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import check_version
from keywork.outcomes import default_framework as spec
from keywork.outcomes.models import Domain, Framework, Stage

if TYPE_CHECKING:
    from keywork.accounts.models import User
    from keywork.outcomes.models import Rating
    from keywork.people.models import Episode


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
    actor: "User",
    episode: "Episode",
    framework: Framework,
    rated_on: date,
    rated_by: str,
    scores: dict[int, int],
    note: str = "",
) -> "list[Rating]":
    """One rating per domain given, all on the same day, or none if any is wrong."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from keywork import access
    from keywork.core.auditing import set_actor
    from keywork.outcomes.models import Rating

    access.check_or_404(actor, "planning.edit", episode)
    if framework.organisation_id not in (None, episode.organisation_id):
        raise NotFoundOrNotAllowed
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


# --- Frameworks an organisation defines -----------------------------------------------------
# Only the organisation's administrators write these. Keywork's own framework (no
# organisation) is never changed here: the access check answers 404 for it, as it does
# for another organisation's.

SCALE_MIN, SCALE_MAX = 1, 10
MOST_DOMAINS = 40


@dataclass(frozen=True)
class DomainEntry:
    """One area of life as entered: an existing one (id) to keep, change or remove, or a
    new one (no id)."""

    name: str
    description: str = ""
    id: int | None = None
    remove: bool = False


@dataclass(frozen=True)
class StageEntry:
    label: str
    low: int
    high: int
    description: str = ""
    id: int | None = None
    remove: bool = False


def _quoted(text: str) -> str:
    return f"‘{text.strip()}’"


def _numbers(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]} to {run[-1]}"


def stage_problems(stages: Sequence[StageEntry], scale_min: int, scale_max: int) -> list[str]:
    """What is wrong with a set of stages: each must sit inside the scale, and together
    they must cover every point of it exactly once."""
    if not stages:
        return ["Add at least one stage."]
    problems = []
    for stage in stages:
        if not stage.label.strip():
            problems.append("Give every stage a label.")
        elif stage.low > stage.high:
            problems.append(
                f"Stage {_quoted(stage.label)} starts at {stage.low}, which is higher than "
                f"where it ends ({stage.high}): the ‘from’ score must be the lower one."
            )
        elif stage.low < scale_min or stage.high > scale_max:
            problems.append(
                f"Stage {_quoted(stage.label)} goes outside the scale: use scores from "
                f"{scale_min} to {scale_max}."
            )
    if problems:
        return problems
    ordered = sorted(stages, key=lambda stage: (stage.low, stage.high))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.low <= first.high:
                problems.append(
                    f"Stages overlap: {_quoted(first.label)} and {_quoted(second.label)} "
                    f"both include {second.low}."
                )
    covered = {score for stage in stages for score in range(stage.low, stage.high + 1)}
    runs: list[list[int]] = []
    for score in range(scale_min, scale_max + 1):
        if score in covered:
            continue
        if runs and runs[-1][-1] == score - 1:
            runs[-1].append(score)
        else:
            runs.append([score])
    for run in runs:
        if run[0] == scale_min or run[-1] == scale_max:
            problems.append(
                f"The stages must cover the whole scale from {scale_min} to {scale_max}: "
                f"no stage covers {_numbers(run)}."
            )
        else:
            problems.append(f"No stage covers {_numbers(run)}.")
    return problems


def domain_problems(domains: Sequence[DomainEntry]) -> list[str]:
    if not domains:
        return ["Add at least one area of life."]
    problems = []
    if len(domains) > MOST_DOMAINS:
        problems.append(f"A framework can have at most {MOST_DOMAINS} areas of life.")
    seen = set()
    reported = set()
    for domain in domains:
        key = domain.name.strip().casefold()
        if not key:
            problems.append("Give every area of life a name.")
        elif key in seen and key not in reported:
            reported.add(key)
            problems.append(
                f"More than one area of life is called {_quoted(domain.name)}: "
                "give each its own name."
            )
        seen.add(key)
    return problems


def _removal_problem(domain: Domain) -> str | None:
    """Why an area of life cannot be removed, if it cannot: ratings, goals or anything
    else recorded in it keep it."""
    if domain.ratings.exists():
        return (
            f"{_quoted(domain.name)} cannot be removed because ratings have been recorded "
            "in it. You can rename it or change its description instead."
        )
    try:
        Collector(using=router.db_for_write(Domain)).collect([domain])
    except (ProtectedError, RestrictedError):
        return (
            f"{_quoted(domain.name)} cannot be removed because support plans use it. "
            "You can rename it or change its description instead."
        )
    return None


def _name_problem(organisation_id: int, name: str, framework: Framework) -> str | None:
    if not name:
        return "Enter a name for the framework."
    if name.casefold() == spec.NAME.casefold():
        return f"{spec.NAME} is the name of Keywork’s own framework: choose another name."
    taken = Framework.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if framework.pk is not None:
        taken = taken.exclude(pk=framework.pk)
    if taken.exists():
        return "Your organisation already has a framework with this name."
    return None


def _lock_organisation(actor: "User") -> None:
    # Serialises an organisation's framework writes, so that two administrators cannot
    # both take the same name, or both choose a framework for new plans, at once.
    from keywork.organisations.models import Organisation

    list(Organisation.objects.select_for_update().filter(pk=actor.organisation_id))


@dataclass
class _Plan:
    """The framework's areas of life and stages as they will be after the save."""

    domains: list[DomainEntry]
    stages: list[StageEntry]
    remove_domains: list[Domain]
    remove_stages: list[Stage]


def _plan_structure(
    framework: Framework, domains: Sequence[DomainEntry], stages: Sequence[StageEntry]
) -> tuple[_Plan, dict[str, list[str]]]:
    """Reads only: what the save would leave, and everything wrong with it."""
    existing_domains = {d.pk: d for d in framework.domains.all()} if framework.pk else {}
    existing_stages = {s.pk: s for s in framework.stages.all()} if framework.pk else {}
    domain_ids = [d.id for d in domains if d.id is not None]
    stage_ids = [s.id for s in stages if s.id is not None]
    if (
        not set(domain_ids) <= existing_domains.keys()
        or not set(stage_ids) <= existing_stages.keys()
        or len(set(domain_ids)) < len(domain_ids)
        or len(set(stage_ids)) < len(stage_ids)
    ):
        raise ValidationError(
            "Some rows on this page are no longer part of the framework. Open the framework "
            "again and re-enter your changes."
        )
    entered_domains = {d.id for d in domains if d.id is not None}
    entered_stages = {s.id for s in stages if s.id is not None}
    # Rows missing from what was entered stay as they are: only a ticked "remove" removes.
    plan = _Plan(
        domains=[d for d in domains if not d.remove]
        + [
            DomainEntry(name=d.name, description=d.description, id=d.pk)
            for d in existing_domains.values()
            if d.pk not in entered_domains
        ],
        stages=[s for s in stages if not s.remove]
        + [
            StageEntry(label=s.label, description=s.description, low=s.low, high=s.high, id=s.pk)
            for s in existing_stages.values()
            if s.pk not in entered_stages
        ],
        remove_domains=[existing_domains[d.id] for d in domains if d.remove and d.id],
        remove_stages=[existing_stages[s.id] for s in stages if s.remove and s.id],
    )
    errors = {}
    domain_errors = domain_problems(plan.domains)
    domain_errors += [p for d in plan.remove_domains if (p := _removal_problem(d))]
    if domain_errors:
        errors["domains"] = domain_errors
    stage_errors = stage_problems(plan.stages, framework.scale_min, framework.scale_max)
    if stage_errors:
        errors["stages"] = stage_errors
    return plan, errors


def _check(
    actor: "User",
    framework: Framework,
    domains: Sequence[DomainEntry],
    stages: Sequence[StageEntry],
) -> _Plan:
    """Every check, before any write; all problems are reported together."""
    errors: dict[str, list[str]] = {}
    try:
        framework.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    problem = _name_problem(actor.organisation_id, framework.name, framework)
    if problem:
        errors["name"] = [problem]
    plan, structure_errors = _plan_structure(framework, domains, stages)
    errors.update(structure_errors)
    if errors:
        raise ValidationError(errors)
    return plan


def _write(actor: "User", framework: Framework, plan: _Plan) -> None:
    with set_actor(actor):
        framework.save()
        for domain in plan.remove_domains:
            domain.delete()
        for stage in plan.remove_stages:
            stage.delete()
        existing_domains: dict[int | None, Domain] = {d.pk: d for d in framework.domains.all()}
        existing_stages: dict[int | None, Stage] = {s.pk: s for s in framework.stages.all()}
        # Areas of life swapping names would break the one-name-per-framework rule half
        # way through: if any takes a name another still holds, the renamed ones all
        # step aside under a passing name first.
        renamed = {
            entry.id: entry.name.strip()
            for entry in plan.domains
            if entry.id is not None and entry.name.strip() != existing_domains[entry.id].name
        }
        held = {d.name for d in existing_domains.values()}
        if any(name in held for name in renamed.values()):
            for domain_id in renamed:
                domain = existing_domains[domain_id]
                domain.name = f"(renaming {domain.pk})"
                domain.save(update_fields=["name"])
        for position, entry in enumerate(plan.domains):
            domain = existing_domains.get(entry.id) or Domain()
            domain.framework = framework
            domain.name = entry.name.strip()
            domain.description = entry.description.strip()
            domain.position = position
            domain.full_clean()
            domain.save()
        for stage_entry in plan.stages:
            stage = existing_stages.get(stage_entry.id) or Stage()
            stage.framework = framework
            stage.label = stage_entry.label.strip()
            stage.description = stage_entry.description.strip()
            stage.low, stage.high = stage_entry.low, stage_entry.high
            stage.full_clean()
            stage.save()


@transaction.atomic
def framework_create(
    *,
    actor: "User",
    name: str,
    description: str = "",
    domains: Sequence[DomainEntry],
    stages: Sequence[StageEntry],
) -> Framework:
    """A new framework of the actor's organisation, on the 1 to 10 scale. New support
    plans do not use it until an administrator chooses it."""
    access.check_or_404(actor, "organisations.manage", actor.organisation)
    _lock_organisation(actor)
    framework = Framework(
        organisation_id=actor.organisation_id,
        name=name.strip(),
        description=description.strip(),
        scale_min=SCALE_MIN,
        scale_max=SCALE_MAX,
    )
    plan = _check(actor, framework, domains, stages)
    _write(actor, framework, plan)
    return framework


@transaction.atomic
def framework_update(
    *,
    actor: "User",
    framework: Framework,
    version: int,
    name: str,
    description: str = "",
    domains: Sequence[DomainEntry],
    stages: Sequence[StageEntry],
) -> Framework:
    """Saves only over the version the user opened; otherwise nothing is saved and the
    user is told, with what they entered kept on the form. Areas of life with ratings or
    goals recorded in them can be renamed and reworded but not removed."""
    access.check_or_404(actor, "organisations.manage", framework)
    _lock_organisation(actor)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    check_version(framework, version, what="framework")
    framework.name = name.strip()
    framework.description = description.strip()
    framework.version += 1
    plan = _check(actor, framework, domains, stages)
    _write(actor, framework, plan)
    return framework


@transaction.atomic
def framework_archive(*, actor: "User", framework: Framework, archive: bool = True) -> Framework:
    """Archived, a framework is offered for no new plan; plans already using it keep it.
    Archiving the one chosen for new plans hands them back to Keywork's own."""
    access.check_or_404(actor, "organisations.manage", framework)
    _lock_organisation(actor)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    framework.archived_at = timezone.now() if archive else None
    if archive:
        framework.used_for_new_plans = False
    with set_actor(actor):
        framework.save(update_fields=["archived_at", "used_for_new_plans"])
    return framework


@transaction.atomic
def framework_choose_for_new_plans(*, actor: "User", framework: Framework) -> Framework:
    """The framework new support plans in the actor's organisation will use: one of its
    own that is not archived, or Keywork's own. Plans already started keep theirs."""
    access.check_or_404(actor, "organisations.manage", actor.organisation)
    if framework.organisation_id is not None:
        access.check_or_404(actor, "organisations.manage", framework)
    _lock_organisation(actor)
    if framework.organisation_id is not None:
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.archived_at is not None:
            raise ValidationError(
                {"framework": f"{framework.name} is archived: restore it before choosing it."}
            )
    with set_actor(actor):
        for other in Framework.objects.filter(
            organisation_id=actor.organisation_id, used_for_new_plans=True
        ).exclude(pk=framework.pk):
            other.used_for_new_plans = False
            other.save(update_fields=["used_for_new_plans"])
        if framework.organisation_id is not None and not framework.used_for_new_plans:
            framework.used_for_new_plans = True
            framework.save(update_fields=["used_for_new_plans"])
    return framework
