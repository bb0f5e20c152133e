"""Every read of supervision and staff development, scoped to who asks. A supervision
record, an assessment or a development plan is read only by the member of staff, whoever
supervises them and their team's managers; anyone else is answered as if it did not
exist. Each read of a record is audited."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Membership, User
from keywork.audit import reads
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.people.models import Person
from keywork.supervision import permissions
from keywork.supervision.models import (
    AgreedAction,
    Arrangement,
    Assessment,
    Competency,
    CompetencyFramework,
    DevelopmentGoal,
    Frequency,
    RequiredLevel,
    Score,
    Supervision,
)
from keywork.supervision.services import (
    DEFAULT_EVERY_WEEKS,
    DEFAULT_PROBATION_WEEKS,
    role_of,
    shipped_competency_framework,
)


def staff_in_organisation(user: User) -> QuerySet[User]:
    return access.scoped_to_organisation(user, User.objects.all()).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("team"))
    )


def staff_member_or_404(*, fetched_by: User, user_id: int) -> User:
    """A member of staff whose supervision and development the user may see."""
    try:
        member = staff_in_organisation(fetched_by).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as error:
        raise NotFoundOrNotAllowed from error
    access.check_or_404(fetched_by, "supervision.see_development", member)
    return member


def supervision_or_404(*, fetched_by: User, supervision_id: int) -> Supervision:
    """One supervision record; its read is audited."""
    try:
        supervision = Supervision.objects.select_related("supervisee", "supervisor").get(
            pk=supervision_id, organisation_id=fetched_by.organisation_id
        )
    except (Supervision.DoesNotExist, ValueError, TypeError) as error:
        raise NotFoundOrNotAllowed from error
    access.check_or_404(fetched_by, "supervision.see", supervision)
    reads.record_read(actor=fetched_by, obj=supervision)
    return supervision


def supervision_parts(supervision: Supervision, *, fetched_by: User) -> dict:
    """What the record page shows: discussions (only of people the reader may see),
    actions agreed, actions carried over with their progress, the development plan."""
    discussions = list(supervision.discussions.select_related("person"))
    visible = set(
        access.people_visible_to(fetched_by)
        .filter(pk__in=[d.person_id for d in discussions])
        .values_list("pk", flat=True)
    )
    shown_discussions = [d for d in discussions if d.person_id in visible]
    if shown_discussions:
        reads.record_shown(
            actor=fetched_by, model=Person, objects=[d.person for d in shown_discussions]
        )
    carried = list(
        AgreedAction.objects.filter(
            supervision__supervisee_id=supervision.supervisee_id,
            supervision__scheduled_for__lte=supervision.scheduled_for,
        )
        .exclude(supervision=supervision)
        .filter(Q(done_on=None) | Q(progress__supervision=supervision))
        .select_related("owner")
        .prefetch_related("progress")
        .distinct()
    )
    for action in carried:
        action.progress_here = [  # type: ignore[attr-defined]
            p for p in action.progress.all() if p.supervision_id == supervision.pk
        ]
    goals = list(
        DevelopmentGoal.objects.filter(staff_member_id=supervision.supervisee_id)
        .filter(Q(done_on=None) | Q(reviews__supervision=supervision))
        .prefetch_related("reviews")
        .distinct()
    )
    for goal in goals:
        goal.reviews_here = [  # type: ignore[attr-defined]
            r for r in goal.reviews.all() if r.supervision_id == supervision.pk
        ]
    return {
        "discussions": shown_discussions,
        "hidden_discussions": len(discussions) - len(shown_discussions),
        "actions": list(supervision.actions.select_related("owner")),
        "carried": carried,
        "goals": goals,
        "amendments": list(supervision.amendments.select_related("made_by")),
    }


def supervisions_of(*, fetched_by: User, member: User) -> list[Supervision]:
    access.check_or_404(fetched_by, "supervision.see_development", member)
    return list(Supervision.objects.filter(supervisee=member).select_related("supervisor"))


def caseload_to_discuss(*, fetched_by: User, supervisee: User) -> QuerySet[Person]:
    """The supervisee's caseload (open episodes they work on) that the reader may see."""
    return (
        access.people_visible_to(fetched_by)
        .filter(
            Q(episodes__key_worker=supervisee, episodes__end_date=None)
            | Q(episodes__co_workers__user=supervisee, episodes__end_date=None)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


# --- Who is due supervision -----------------------------------------------------------


@dataclass
class Due:
    member: User
    supervisor: User | None
    last_held: date | None
    next_due: date
    planned: bool
    overdue: bool


def frequency_weeks(organisation_id: int) -> dict[str, tuple[int, int]]:
    return {
        f.role: (f.every_weeks, f.probation_every_weeks)
        for f in Frequency.objects.filter(organisation_id=organisation_id)
    }


def _arrangement(member: User) -> Arrangement | None:
    # Joined with the member where a page lists many (_members_with_memberships).
    try:
        return member.supervision_arrangement
    except Arrangement.DoesNotExist:
        return None


def due_for_members(members: list[User], *, organisation_id: int) -> list[Due]:
    """When each member is next due supervision, in a few queries however many: the
    next one planned, else their last held plus their role's frequency, else now."""
    if not members:
        return []
    ids = [m.pk for m in members]
    # The last held and the next planned, for everyone, in one query.
    last_held: dict[int, date] = {}
    planned: dict[int, date] = {}
    for supervisee_id, held_on, planned_for in (
        Supervision.objects.filter(supervisee_id__in=ids)
        .values_list("supervisee_id")
        .annotate(last=Max("held_on"), next=Min("scheduled_for", filter=Q(held_on=None)))
    ):
        if held_on is not None:
            last_held[supervisee_id] = held_on
        if planned_for is not None:
            planned[supervisee_id] = planned_for
    weeks = frequency_weeks(organisation_id)
    today = timezone.localdate()
    rows = []
    for member in members:
        arrangement = _arrangement(member)
        every, in_probation = weeks.get(
            role_of(member) or "", (DEFAULT_EVERY_WEEKS, DEFAULT_PROBATION_WEEKS)
        )
        probation = bool(
            arrangement and arrangement.probation_ends_on and arrangement.probation_ends_on >= today
        )
        held = last_held.get(member.pk)
        if member.pk in planned:
            next_due = planned[member.pk]
        elif held is not None:
            next_due = held + timedelta(weeks=in_probation if probation else every)
        else:
            next_due = today
        rows.append(
            Due(
                member=member,
                supervisor=arrangement.supervisor if arrangement else None,
                last_held=held,
                next_due=next_due,
                planned=member.pk in planned,
                overdue=next_due < today,
            )
        )
    return sorted(rows, key=lambda row: (row.next_due, row.member.full_name))


def _members_with_memberships(queryset: QuerySet[User]) -> list[User]:
    members = list(
        queryset.filter(is_active=True)
        .select_related("supervision_arrangement__supervisor")
        .prefetch_related("memberships")
        .distinct()
        .order_by("full_name")
    )
    for member in members:
        member._keywork_memberships = list(member.memberships.all())  # type: ignore[attr-defined]
    return members


def supervised_by(user: User) -> list[Due]:
    """Those the user supervises or stands in for."""
    if not user.is_authenticated:
        return []
    members = _members_with_memberships(
        access.scoped_to_organisation(user, User.objects.all()).filter(
            Q(supervision_arrangement__supervisor=user) | Q(supervision_arrangement__stand_in=user)
        )
    )
    return due_for_members(members, organisation_id=user.organisation_id)


def managed_by(user: User) -> list[Due]:
    """The staff of the teams the user manages (senior practitioner, lead manager)."""
    team_ids = {
        m.team_id for m in access.memberships_of(user) if m.role in permissions.TEAM_MANAGER_ROLES
    }
    if not team_ids:
        return []
    members = _members_with_memberships(
        access.scoped_to_organisation(user, User.objects.all())
        .filter(memberships__team_id__in=team_ids)
        .exclude(pk=user.pk)
    )
    return due_for_members(members, organisation_id=user.organisation_id)


def summary_for(member: User) -> Due:
    member._keywork_memberships = list(member.memberships.all())  # type: ignore[attr-defined]
    return due_for_members([member], organisation_id=member.organisation_id)[0]


# --- Competency frameworks, assessments and the development plan -------------------------


def frameworks_for(user: User) -> QuerySet[CompetencyFramework]:
    shipped_competency_framework()
    return CompetencyFramework.objects.filter(
        Q(organisation=None) | Q(organisation_id=user.organisation_id)
    ).order_by("organisation_id", "name")


def framework_or_404(*, fetched_by: User, framework_id: int) -> CompetencyFramework:
    try:
        return (
            frameworks_for(fetched_by)
            .prefetch_related("levels", "competencies__descriptors", "competencies__required")
            .get(pk=framework_id)
        )
    except (CompetencyFramework.DoesNotExist, ValueError, TypeError) as error:
        raise NotFoundOrNotAllowed from error


def assessment_or_404(*, fetched_by: User, assessment_id: int) -> Assessment:
    try:
        assessment = Assessment.objects.select_related("staff_member", "framework").get(
            pk=assessment_id, organisation_id=fetched_by.organisation_id
        )
    except (Assessment.DoesNotExist, ValueError, TypeError) as error:
        raise NotFoundOrNotAllowed from error
    access.check_or_404(fetched_by, "supervision.see_assessment", assessment)
    reads.record_read(actor=fetched_by, obj=assessment)
    return assessment


@dataclass
class ScoreRow:
    competency: Competency
    score: Score
    required: int | None
    earlier: int | None  # the agreed level at the last assessment before

    @property
    def change(self) -> int | None:
        if self.score.agreed_level is None or self.earlier is None:
            return None
        return self.score.agreed_level - self.earlier

    @property
    def gap(self) -> int | None:
        if self.required is None or self.score.agreed_level is None:
            return None
        return max(self.required - self.score.agreed_level, 0)


def score_rows(assessment: Assessment) -> list[ScoreRow]:
    """Each competency of the assessment, with the level the member's role needs and
    the change since their last assessment on the same framework."""
    role = role_of(assessment.staff_member) or ""
    scores = list(
        assessment.scores.select_related("competency").prefetch_related(
            Prefetch("competency__descriptors")
        )
    )
    required = dict(
        RequiredLevel.objects.filter(
            competency__framework=assessment.framework, role=role
        ).values_list("competency_id", "level")
    )
    earlier_assessment = (
        Assessment.objects.filter(
            staff_member_id=assessment.staff_member_id, framework_id=assessment.framework_id
        )
        .filter(
            Q(assessed_on__lt=assessment.assessed_on)
            | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk)
        )
        .order_by("-assessed_on", "-pk")
        .first()
    )
    earlier = (
        dict(
            Score.objects.filter(assessment=earlier_assessment).values_list(
                "competency_id", "agreed_level"
            )
        )
        if earlier_assessment
        else {}
    )
    return [
        ScoreRow(
            competency=score.competency,
            score=score,
            required=required.get(score.competency_id),
            earlier=earlier.get(score.competency_id),
        )
        for score in scores
    ]


def development_of(*, fetched_by: User, member: User) -> dict:
    """A member's assessments, development plan and the gap against their role's needs
    at their latest assessment."""
    access.check_or_404(fetched_by, "supervision.see_development", member)
    assessments = list(Assessment.objects.filter(staff_member=member).select_related("framework"))
    latest = assessments[0] if assessments else None
    rows = score_rows(latest) if latest else []
    return {
        "assessments": assessments,
        "latest": latest,
        "rows": rows,
        "gaps": [row for row in rows if row.gap],
        "goals": list(
            DevelopmentGoal.objects.filter(staff_member=member)
            .select_related("competency")
            .prefetch_related("reviews")
        ),
    }
