"""Supervision and staff development in the demo: the first team's senior practitioner
supervises its workers (the lead manager standing in) and is supervised by the lead
manager. The demo support worker's last supervision is agreed, with two people from
their caseload discussed and an action carried to the next, planned for next week; the
second worker's was planned ten days ago and has not been held (overdue, red on the
senior's and the lead manager's home pages); the support assistant, in probation, has
one written up and waiting for them to agree. The support worker has an appraisal on
Keywork's own framework with one competency short of what the role needs, and a
development plan for it."""

from datetime import timedelta

from django.utils import timezone

from keywork.accounts.models import Role, User
from keywork.organisations.models import Organisation
from keywork.people.models import Episode
from keywork.supervision import services


def _first_team_staff(org: Organisation) -> dict[str, list[User]]:
    team_id = (
        User.objects.filter(organisation=org, memberships__role=Role.SENIOR_PRACTITIONER)
        .values_list("memberships__team_id", flat=True)
        .first()
    )
    staff: dict[str, list[User]] = {}
    for user in User.objects.filter(memberships__team_id=team_id).order_by("pk"):
        for membership in user.memberships.all():
            staff.setdefault(membership.role, []).append(user)
    return staff


def seed_supervision(org: Organisation) -> None:
    staff = _first_team_staff(org)
    senior = staff[Role.SENIOR_PRACTITIONER][0]
    lead = staff[Role.LEAD_MANAGER][0]
    worker, worker2 = staff[Role.SUPPORT_WORKER][:2]
    assistant = staff[Role.SUPPORT_ASSISTANT][0]
    today = timezone.localdate()
    weeks = timedelta(weeks=1)

    for member in (worker, worker2, assistant):
        services.arrangement_set(
            actor=lead,
            supervisee=member,
            supervisor=senior,
            stand_in=lead,
            probation_ends_on=today + 8 * weeks if member == assistant else None,
        )
    services.arrangement_set(actor=lead, supervisee=senior, supervisor=lead)

    # The support worker: held five weeks ago, agreed; the next one next week.
    last = services.supervision_schedule(
        actor=senior, supervisee=worker, scheduled_for=today - 5 * weeks
    )
    last = services.supervision_record(
        actor=senior,
        supervision=last,
        version=last.version,
        held_on=today - 5 * weeks,
        present=f"{worker.full_name} and {senior.full_name}",
        wellbeing="Feeling settled; sleeping better since changing shift pattern.",
        workload="Twelve people, two close to moving on. Manageable.",
        learning="Would like to do the trauma-informed practice course this year.",
        next_on=today + weeks,
    )
    caseload = (
        Episode.objects.filter(key_worker=worker, end_date=None)
        .select_related("person")
        .order_by("pk")[:2]
    )
    decisions = (
        "Bring the support plan review forward and invite the care co-ordinator.",
        "Start the housing application now; look at two shared-house options.",
    )
    for episode, decision in zip(caseload, decisions, strict=False):
        services.case_discussion_add(
            actor=senior, supervision=last, person=episode.person, decision=decision
        )
    services.supervision_action_add(
        actor=senior,
        supervision=last,
        text="Book the trauma-informed practice course",
        owner=worker,
        due_on=today - weeks,
    )
    last.refresh_from_db()
    services.supervision_agree(
        actor=worker,
        supervision=last,
        version=last.version,
        comment="Agreed. Thanks for the help with the housing application.",
    )

    # The second worker: planned ten days ago, not held.
    services.supervision_schedule(
        actor=senior, supervisee=worker2, scheduled_for=today - timedelta(days=10)
    )

    # The support assistant: held last week, waiting for them to agree.
    held = services.supervision_schedule(
        actor=senior, supervisee=assistant, scheduled_for=today - weeks
    )
    services.supervision_record(
        actor=senior,
        supervision=held,
        version=held.version,
        held_on=today - weeks,
        present=f"{assistant.full_name} and {senior.full_name}",
        wellbeing="Enjoying the role; finds evening shifts tiring.",
        workload="Helping on eight cases and running the cooking group.",
        learning="Shadowing key-work sessions; first aid booked.",
        next_on=today + 3 * weeks,
    )

    # The support worker's appraisal, and their development plan.
    framework = services.shipped_competency_framework()
    competencies = list(framework.competencies.all())
    assessment = services.competency_assessment_start(
        actor=senior,
        staff_member=worker,
        framework=framework,
        occasion="appraisal",
        assessed_on=today - 4 * weeks,
    )
    mine = {c.pk: 2 for c in competencies}
    assessment = services.competency_self_assess(
        actor=worker,
        assessment=assessment,
        version=assessment.version,
        levels=mine,
        evidence={competencies[0].pk: "Kept two people engaged through difficult months."},
    )
    agreed = {c.pk: 2 for c in competencies}
    agreed[competencies[2].pk] = 1  # recognising and managing risk
    agreed[competencies[0].pk] = 3
    services.competency_supervisor_assess(
        actor=senior,
        assessment=assessment,
        version=assessment.version,
        levels=agreed,
        evidence={competencies[2].pk: "Risk plans are not yet reviewed when things change."},
        agreed=agreed,
    )
    services.development_goal_add(
        actor=senior,
        staff_member=worker,
        competency=competencies[2],
        goal="Review risk management plans whenever circumstances change",
        actions="Review each plan on the caseload with the senior; bring one to each supervision.",
        training="Positive risk-taking workshop",
        due_on=today + 12 * weeks,
    )
