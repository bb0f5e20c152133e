"""Every write of supervision and staff development: who supervises whom, how often,
the supervision records (locked once the supervisee agrees, then only amended), the
competency frameworks, assessments and development plans."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Role, User
from keywork.accounts.selectors import memberships_of
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import check_version, save_checked
from keywork.notes.models import FileNote
from keywork.notes.services import clean_text, note_create
from keywork.people.models import Episode, Person
from keywork.supervision import default_framework as spec
from keywork.supervision.models import (
    ActionProgress,
    AgreedAction,
    Amendment,
    Arrangement,
    Assessment,
    CaseDiscussion,
    Competency,
    CompetencyFramework,
    DevelopmentGoal,
    Frequency,
    GoalReview,
    Level,
    LevelDescriptor,
    RequiredLevel,
    Score,
    Supervision,
)

# Every role in a team is supervised every six weeks, monthly while in probation, until
# the organisation says otherwise.
DEFAULT_EVERY_WEEKS = 6
DEFAULT_PROBATION_WEEKS = 4
# The role whose frequency and required levels apply, for someone with more than one.
ROLE_ORDER = (
    Role.LEAD_MANAGER,
    Role.SENIOR_PRACTITIONER,
    Role.COMPLEX_CASEWORKER,
    Role.SUPPORT_WORKER,
    Role.SUPPORT_ASSISTANT,
)
AMENDABLE = ("present", "wellbeing", "workload", "learning")


def role_of(member: User) -> str | None:
    """The member's main role in a team (the most senior, if they have several)."""
    roles = {m.role for m in memberships_of(member)}
    return next((role for role in ROLE_ORDER if role in roles), None)


def _same_organisation(actor: User, *users: User | None) -> None:
    for user in users:
        if user is not None and user.organisation_id != actor.organisation_id:
            raise NotFoundOrNotAllowed


# --- Who supervises whom, and how often ---------------------------------------------------


@transaction.atomic
def arrangement_set(
    *,
    actor: User,
    supervisee: User,
    supervisor: User,
    stand_in: User | None = None,
    probation_ends_on: date | None = None,
    version: int = 0,
) -> Arrangement:
    """Who supervises `supervisee`, and who stands in: staff of the same organisation
    who can sign in, neither of them the supervisee."""
    _same_organisation(actor, supervisee)
    access.check_or_404(actor, "supervision.arrange", supervisee)
    errors: dict[str, str] = {}
    if supervisor.pk == supervisee.pk:
        errors["supervisor"] = "Choose someone else as supervisor: no one supervises themselves."
    elif supervisor.organisation_id != actor.organisation_id or not supervisor.is_active:
        errors["supervisor"] = "Choose a supervisor who works in your organisation."
    if stand_in is not None:
        if stand_in.pk == supervisee.pk:
            errors["stand_in"] = "Choose someone else to stand in: not the supervisee."
        elif stand_in.organisation_id != actor.organisation_id or not stand_in.is_active:
            errors["stand_in"] = "Choose someone to stand in who works in your organisation."
        elif stand_in.pk == supervisor.pk:
            errors["stand_in"] = "Choose someone other than the supervisor to stand in."
    if errors:
        raise ValidationError(errors)
    current = Arrangement.objects.select_for_update().filter(supervisee=supervisee).first()
    check_version(current, version, what="supervision arrangement")
    arrangement = current or Arrangement(
        organisation_id=actor.organisation_id, supervisee=supervisee
    )
    arrangement.supervisor = supervisor
    arrangement.stand_in = stand_in
    arrangement.probation_ends_on = probation_ends_on
    if current is not None:
        arrangement.version += 1
    save_checked(actor, arrangement)
    supervisee.__dict__.pop("_supervision_arrangement", None)
    return arrangement


@transaction.atomic
def frequency_set(
    *, actor: User, role: str, every_weeks: int, probation_every_weeks: int
) -> Frequency:
    """How often a role is supervised across the organisation."""
    access.check_or_404(actor, "supervision.manage_frameworks", actor.organisation)
    errors = {}
    if not 1 <= every_weeks <= 52:
        errors["every_weeks"] = "Enter how often, in weeks, from 1 to 52."
    if not 1 <= probation_every_weeks <= 52:
        errors["probation_every_weeks"] = "Enter how often in probation, in weeks, from 1 to 52."
    if errors:
        raise ValidationError(errors)
    frequency = Frequency.objects.filter(organisation_id=actor.organisation_id, role=role).first()
    frequency = frequency or Frequency(organisation_id=actor.organisation_id, role=role)
    frequency.every_weeks = every_weeks
    frequency.probation_every_weeks = probation_every_weeks
    return save_checked(actor, frequency)


# --- Supervision records ----------------------------------------------------------------


def _check_future_date(value: date | None, name: str, label: str) -> None:
    if value is not None and value > timezone.localdate() + timedelta(days=366):
        raise ValidationError({name: f"The {label} must be within a year from today."})


@transaction.atomic
def supervision_schedule(*, actor: User, supervisee: User, scheduled_for: date) -> Supervision:
    """A supervision planned for a day, with the supervisee's supervisor."""
    _same_organisation(actor, supervisee)
    access.check_or_404(actor, "supervision.hold_for", supervisee)
    arrangement = Arrangement.objects.filter(supervisee=supervisee).first()
    if arrangement is None:
        raise ValidationError(
            {"scheduled_for": "Say who supervises them first, then plan their supervision."}
        )
    _check_future_date(scheduled_for, "scheduled_for", "date planned")
    if scheduled_for < timezone.localdate() - timedelta(days=366):
        raise ValidationError({"scheduled_for": "The date planned must be within the last year."})
    supervision = Supervision(
        organisation_id=actor.organisation_id,
        supervisee=supervisee,
        supervisor=arrangement.supervisor if actor.pk != arrangement.stand_in_id else actor,
        scheduled_for=scheduled_for,
        created_by=actor,
    )
    return save_checked(actor, supervision)


def _open_for_writing(actor: User, supervision: Supervision, version: int | None) -> Supervision:
    access.check_or_404(actor, "supervision.hold", supervision)
    current = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if version is not None:
        check_version(current, version, what="supervision record")
    if current.is_locked:
        raise ValidationError(
            "This supervision has been agreed and is locked: correct it with an amendment."
        )
    return current


@transaction.atomic
def supervision_record(
    *,
    actor: User,
    supervision: Supervision,
    version: int,
    held_on: date,
    present: str = "",
    wellbeing: str = "",
    workload: str = "",
    learning: str = "",
    next_on: date | None = None,
) -> Supervision:
    """The write-up of a supervision held. A next date plans the next supervision."""
    supervision = _open_for_writing(actor, supervision, version)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date held cannot be in the future."})
    if next_on is not None and next_on <= held_on:
        raise ValidationError({"next_on": "The next supervision must be after the date held."})
    _check_future_date(next_on, "next_on", "next supervision")
    supervision.held_on = held_on
    supervision.present = clean_text(present)
    supervision.wellbeing = clean_text(wellbeing)
    supervision.workload = clean_text(workload)
    supervision.learning = clean_text(learning)
    supervision.next_on = next_on
    supervision.version += 1
    save_checked(actor, supervision)
    if next_on is not None:
        planned = Supervision.objects.filter(
            supervisee_id=supervision.supervisee_id, held_on=None, scheduled_for__gt=held_on
        ).exclude(pk=supervision.pk)
        if not planned.exists():
            save_checked(
                actor,
                Supervision(
                    organisation_id=supervision.organisation_id,
                    supervisee_id=supervision.supervisee_id,
                    supervisor_id=supervision.supervisor_id,
                    scheduled_for=next_on,
                    created_by=actor,
                ),
            )
    return supervision


def _episode_for_note(person: Person, supervisee_id: int) -> Episode | None:
    open_episodes = Episode.objects.filter(person=person, end_date=None).order_by("-start_date")
    return (
        open_episodes.filter(key_worker_id=supervisee_id).first()
        or open_episodes.first()
        or Episode.objects.filter(person=person).order_by("-start_date").first()
    )


@transaction.atomic
def case_discussion_add(
    *, actor: User, supervision: Supervision, person: Person, decision: str
) -> CaseDiscussion:
    """A person discussed, and what was decided: written on their record as a file note
    of its own kind, so whoever may see them reads it there, and no one else."""
    supervision = _open_for_writing(actor, supervision, None)
    access.check_can_record_on(actor, person)
    decision = clean_text(decision)
    if not decision:
        raise ValidationError({"decision": "Enter what was decided about them."})
    episode = _episode_for_note(person, supervision.supervisee_id)
    if episode is None:
        raise ValidationError({"person": "Choose someone who has had support: they have none."})
    when = supervision.held_on or timezone.localdate()
    note = note_create(
        actor=actor,
        person=person,
        episode=episode,
        contact_type=FileNote.ContactType.SUPERVISION,
        contact_at=min(timezone.make_aware(datetime.combine(when, time(12))), timezone.now()),
        subject="Case discussion in supervision",
        text=decision,
    )
    discussion = CaseDiscussion(
        supervision=supervision, person=person, decision=decision, file_note=note
    )
    return save_checked(actor, discussion)


@transaction.atomic
def supervision_action_add(
    *, actor: User, supervision: Supervision, text: str, owner: User, due_on: date
) -> AgreedAction:
    """An action agreed: the supervisee's, the supervisor's or a colleague's."""
    supervision = _open_for_writing(actor, supervision, None)
    if owner.organisation_id != actor.organisation_id or not owner.is_active:
        raise ValidationError({"owner": "Choose someone in your organisation for the action."})
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": "Enter the action."})
    _check_future_date(due_on, "due_on", "due date")
    action = AgreedAction(supervision=supervision, text=text, owner=owner, due_on=due_on)
    return save_checked(actor, action)


@transaction.atomic
def supervision_action_progress(
    *,
    actor: User,
    supervision: Supervision,
    action: AgreedAction,
    progress: str,
    done: bool = False,
) -> ActionProgress:
    """What became of an action from an earlier supervision of the same supervisee."""
    supervision = _open_for_writing(actor, supervision, None)
    if (
        action.supervision.supervisee_id != supervision.supervisee_id
        or action.supervision_id == supervision.pk
    ):
        raise NotFoundOrNotAllowed
    progress = clean_text(progress)
    if not progress:
        raise ValidationError({"progress": "Enter the progress made."})
    row = save_checked(
        actor, ActionProgress(action=action, supervision=supervision, progress=progress, done=done)
    )
    if done and action.done_on is None:
        action.done_on = supervision.held_on or timezone.localdate()
        save_checked(actor, action, update_fields=["done_on"])
    return row


@transaction.atomic
def development_goal_review(
    *, actor: User, supervision: Supervision, goal: DevelopmentGoal, note: str, done: bool = False
) -> GoalReview:
    """Supervision reviews the supervisee's development plan, goal by goal."""
    supervision = _open_for_writing(actor, supervision, None)
    if goal.staff_member_id != supervision.supervisee_id:
        raise NotFoundOrNotAllowed
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": "Enter how the goal is going."})
    review = save_checked(
        actor, GoalReview(goal=goal, supervision=supervision, note=note, done=done)
    )
    if done and goal.done_on is None:
        goal.done_on = supervision.held_on or timezone.localdate()
        save_checked(actor, goal, update_fields=["done_on"])
    return review


@transaction.atomic
def supervision_agree(
    *, actor: User, supervision: Supervision, version: int, comment: str = ""
) -> Supervision:
    """The supervisee agrees the record, with a comment if they wish; it is then locked."""
    access.check_or_404(actor, "supervision.agree", supervision)
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    check_version(supervision, version, what="supervision record")
    if supervision.is_locked:
        raise ValidationError("You have already agreed this supervision.")
    if supervision.held_on is None:
        raise ValidationError("This supervision has not been written up yet.")
    supervision.supervisee_comment = clean_text(comment)
    supervision.agreed_at = timezone.now()
    supervision.version += 1
    return save_checked(actor, supervision)


@transaction.atomic
def supervision_amend(
    *, actor: User, supervision: Supervision, field: str, text: str, reason: str
) -> Amendment:
    """A correction to an agreed record: the original stays, with who changed it and why."""
    access.check_or_404(actor, "supervision.hold", supervision)
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if not supervision.is_locked:
        raise ValidationError("Change the record itself: it has not been agreed yet.")
    errors = {}
    if field not in AMENDABLE:
        errors["field"] = "Choose the part of the record to correct."
    reason = clean_text(reason)
    if not reason:
        errors["reason"] = "Say why the record is corrected."
    text = clean_text(text)
    if not text:
        errors["text"] = "Enter the corrected text."
    if errors:
        raise ValidationError(errors)
    amendment = Amendment(
        supervision=supervision,
        field=field,
        before=getattr(supervision, field),
        after=text,
        reason=reason[:300],
        made_by=actor,
        made_at=timezone.now(),
    )
    save_checked(actor, amendment)
    setattr(supervision, field, text)
    supervision.version += 1
    save_checked(actor, supervision)
    return amendment


# --- Competency frameworks --------------------------------------------------------------


@dataclass
class LevelEntry:
    number: int
    label: str


@dataclass
class CompetencyEntry:
    name: str
    description: str
    descriptors: Mapping[int, str]  # level number -> what it looks like there
    required: Mapping[str, int] = field(default_factory=dict)  # role -> level


def level_problems(levels: Sequence[LevelEntry]) -> list[str]:
    """The levels must be numbered from 1 in order with no gap, each with a label, as
    the stages of an outcome framework must cover its scale."""
    if not levels:
        return ["Add at least one level."]
    problems = []
    numbers = [level.number for level in levels]
    if any(not level.label.strip() for level in levels):
        problems.append("Give every level a label.")
    if len(set(numbers)) < len(numbers):
        problems.append("Give each level its own number.")
    elif numbers != sorted(numbers):
        problems.append("Put the levels in order, lowest first.")
    expected = list(range(1, len(levels) + 1))
    if sorted(set(numbers)) != expected and len(set(numbers)) == len(numbers):
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if min(numbers) < 1:
            problems.append("Number the levels from 1.")
        elif missing:
            problems.append(
                "Number the levels from 1 with no gap: no level "
                + ", ".join(str(n) for n in missing)
                + "."
            )
    labels = [level.label.strip().casefold() for level in levels if level.label.strip()]
    if len(set(labels)) < len(labels):
        problems.append("Give each level its own label.")
    return problems


def competency_problems(
    competencies: Sequence[CompetencyEntry], level_numbers: set[int]
) -> list[str]:
    if not competencies:
        return ["Add at least one competency."]
    problems = []
    seen: set[str] = set()
    valid_roles = set(ROLE_ORDER)
    for entry in competencies:
        name = entry.name.strip()
        if not name:
            problems.append("Give every competency a name.")
            continue
        if name.casefold() in seen:
            problems.append(f"More than one competency is called ‘{name}’.")
        seen.add(name.casefold())
        if not entry.description.strip():
            problems.append(f"Describe the competency ‘{name}’.")
        given = {n for n, text in entry.descriptors.items() if text.strip()}
        if given != level_numbers:
            problems.append(f"Describe ‘{name}’ at every level of the framework, and no other.")
        for role, level in entry.required.items():
            if role not in valid_roles:
                problems.append(f"‘{name}’ names a role that is not one of Keywork's.")
            elif level not in level_numbers:
                problems.append(
                    f"The level ‘{name}’ needs for a role must be one of the framework's "
                    f"levels (1 to {max(level_numbers)})."
                )
    return problems


def _write_framework(
    framework: CompetencyFramework,
    levels: Sequence[LevelEntry],
    competencies: Sequence[CompetencyEntry],
) -> None:
    Level.objects.bulk_create(
        Level(framework=framework, number=level.number, label=level.label.strip())
        for level in levels
    )
    for position, entry in enumerate(competencies):
        competency = Competency.objects.create(
            framework=framework,
            name=entry.name.strip(),
            description=entry.description.strip(),
            position=position,
        )
        LevelDescriptor.objects.bulk_create(
            LevelDescriptor(competency=competency, level=number, text=text.strip())
            for number, text in sorted(entry.descriptors.items())
        )
        RequiredLevel.objects.bulk_create(
            RequiredLevel(competency=competency, role=role, level=level)
            for role, level in entry.required.items()
        )


@transaction.atomic
def shipped_competency_framework() -> CompetencyFramework:
    """Keywork's own open framework, made from its specification if it is missing."""
    framework = CompetencyFramework.objects.filter(organisation=None, name=spec.NAME).first()
    if framework is None:
        framework = CompetencyFramework.objects.create(
            organisation=None, name=spec.NAME, description=spec.DESCRIPTION
        )
        _write_framework(
            framework,
            [LevelEntry(number, label) for number, label in spec.LEVELS],
            [
                CompetencyEntry(name, description, dict(enumerate(descriptors, 1)), dict(required))
                for name, description, descriptors, required in spec.COMPETENCIES
            ],
        )
    return framework


@transaction.atomic
def competency_framework_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    levels: Sequence[LevelEntry],
    competencies: Sequence[CompetencyEntry],
) -> CompetencyFramework:
    """An organisation's own framework: every problem reported together, nothing saved."""
    access.check_or_404(actor, "supervision.manage_frameworks", actor.organisation)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["Enter a name for the framework."]
    elif name.casefold() == spec.NAME.casefold():
        errors["name"] = [f"{spec.NAME} is the name of Keywork’s own framework: choose another."]
    elif CompetencyFramework.objects.filter(
        organisation_id=actor.organisation_id, name__iexact=name
    ).exists():
        errors["name"] = ["Your organisation already has a framework with this name."]
    if problems := level_problems(levels):
        errors["levels"] = problems
    else:
        if problems := competency_problems(competencies, {level.number for level in levels}):
            errors["competencies"] = problems
    if errors:
        raise ValidationError(errors)
    framework = CompetencyFramework(
        organisation_id=actor.organisation_id, name=name, description=description.strip()
    )
    with set_actor(actor):
        save_checked(actor, framework)
        _write_framework(framework, levels, competencies)
    return framework


# --- Assessments and development plans --------------------------------------------------


def _framework_for(actor: User, framework: CompetencyFramework) -> None:
    if framework.organisation_id not in (None, actor.organisation_id):
        raise NotFoundOrNotAllowed


@transaction.atomic
def competency_assessment_start(
    *,
    actor: User,
    staff_member: User,
    framework: CompetencyFramework,
    occasion: str,
    assessed_on: date,
) -> Assessment:
    """An assessment of a member of staff on a framework: at probation, a yearly
    appraisal or any time. The member or whoever supervises them starts it."""
    _same_organisation(actor, staff_member)
    access.check_or_404(actor, "supervision.see_development", staff_member)
    _framework_for(actor, framework)
    if occasion not in Assessment.Occasion.values:
        raise ValidationError({"occasion": "Choose when the assessment is."})
    if assessed_on > timezone.localdate() + timedelta(days=92):
        raise ValidationError({"assessed_on": "The date must be within three months from today."})
    assessment = Assessment(
        organisation_id=actor.organisation_id,
        framework=framework,
        staff_member=staff_member,
        occasion=occasion,
        assessed_on=assessed_on,
        created_by=actor,
    )
    save_checked(actor, assessment)
    with set_actor(actor):
        Score.objects.bulk_create(
            Score(assessment=assessment, competency=competency)
            for competency in framework.competencies.all()
        )
    return assessment


def _check_levels(
    assessment: Assessment, levels: Mapping[int, int | None], field_name: str
) -> None:
    numbers = set(assessment.framework.levels.values_list("number", flat=True))
    wrong = [level for level in levels.values() if level is not None and level not in numbers]
    if wrong:
        raise ValidationError(
            {
                field_name: f"Choose a level of the framework ({min(numbers)} to "
                f"{max(numbers)}): {wrong[0]} is not one of them."
            }
        )


def _scores_for(assessment: Assessment, competency_ids: Sequence[int]) -> dict[int, Score]:
    scores = {s.competency_id: s for s in assessment.scores.select_for_update()}
    if not set(competency_ids) <= scores.keys():
        raise ValidationError("Some competencies are no longer part of this assessment.")
    return scores


@transaction.atomic
def competency_self_assess(
    *,
    actor: User,
    assessment: Assessment,
    version: int,
    levels: Mapping[int, int | None],
    evidence: Mapping[int, str],
) -> Assessment:
    """The member's own view, competency by competency ({competency id: level})."""
    access.check_or_404(actor, "supervision.self_assess", assessment)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_version(assessment, version, what="assessment")
    _check_levels(assessment, levels, "self_level")
    scores = _scores_for(assessment, list(levels))
    for competency_id, level in levels.items():
        score = scores[competency_id]
        score.self_level = level
        score.self_evidence = clean_text(evidence.get(competency_id, ""))
        save_checked(actor, score)
    assessment.version += 1
    return save_checked(actor, assessment)


@transaction.atomic
def competency_supervisor_assess(
    *,
    actor: User,
    assessment: Assessment,
    version: int,
    levels: Mapping[int, int | None],
    evidence: Mapping[int, str],
    agreed: Mapping[int, int | None],
) -> Assessment:
    """The supervisor's view and the level agreed with the member, per competency."""
    access.check_or_404(actor, "supervision.assess", assessment)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_version(assessment, version, what="assessment")
    _check_levels(assessment, levels, "supervisor_level")
    _check_levels(assessment, agreed, "agreed_level")
    scores = _scores_for(assessment, [*levels, *agreed])
    for competency_id in {*levels, *agreed}:
        score = scores[competency_id]
        if competency_id in levels:
            score.supervisor_level = levels[competency_id]
            score.supervisor_evidence = clean_text(evidence.get(competency_id, ""))
        if competency_id in agreed:
            score.agreed_level = agreed[competency_id]
        save_checked(actor, score)
    assessment.version += 1
    return save_checked(actor, assessment)


@transaction.atomic
def development_goal_add(
    *,
    actor: User,
    staff_member: User,
    goal: str,
    due_on: date,
    actions: str = "",
    training: str = "",
    competency: Competency | None = None,
) -> DevelopmentGoal:
    """A goal of the member's development plan, with its actions and training to do."""
    _same_organisation(actor, staff_member)
    access.check_or_404(actor, "supervision.see_development", staff_member)
    if competency is not None and competency.framework.organisation_id not in (
        None,
        actor.organisation_id,
    ):
        raise NotFoundOrNotAllowed
    goal = clean_text(goal)
    if not goal:
        raise ValidationError({"goal": "Enter the goal."})
    _check_future_date(due_on, "due_on", "due date")
    row = DevelopmentGoal(
        organisation_id=actor.organisation_id,
        staff_member=staff_member,
        competency=competency,
        goal=goal[:300],
        actions=clean_text(actions),
        training=clean_text(training)[:300],
        due_on=due_on,
        created_by=actor,
    )
    return save_checked(actor, row)
