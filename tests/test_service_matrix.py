"""The service matrix: every public service, called by someone who may not reach the
record it is given, is refused with NotFoundOrNotAllowed and writes nothing; called by
someone who may, it does its work in one transaction, so that a failure at its last
write leaves nothing half-saved.

A public service is a function of a keywork module, not named with a leading underscore,
that takes a keyword-only `actor`; each is found by introspection and must be declared
below (how to call it on a record of each kind, who is refused, who is let). A service
missing from the declarations fails, and so does a declaration of one that has gone.

The records, of three kinds ("own": supported by the worker's team; "other team": by the
other team, in the same organisation; "other organisation": by Elsewhere), are built once
for the module. Every call runs in a savepoint rolled back after it, so calls cannot
disturb each other, and every failure is gathered into one message."""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from keywork.accounts.models import Invitation, Role, User
from keywork.activities.models import Activity
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.housing.models import HousingApplication, MoveOnPlan, Property, Tenancy, Unit
from keywork.imports.models import ImportJob
from keywork.notes.models import Appointment, CalendarFeed, FileNote, FileNoteVersion
from keywork.outcomes.models import Domain, Framework, Stage
from keywork.outcomes.services import DomainEntry, StageEntry, shipped_framework
from keywork.people.models import Alert, Consent, Episode, EpisodeWorker, Person, Referral
from keywork.planning.models import Action, Goal, SupportPlan
from keywork.risk.models import Incident, IncidentPerson, RiskAssessment, SafeguardingReferral
from keywork.supervision.services import CompetencyEntry, LevelEntry
from keywork.tasks.models import Task
from keywork.testing.personas import World, build_world

OWN, OTHER_TEAM, OTHER_ORG = "own", "other team", "other organisation"
# For services that make something new in the actor's own organisation.
NEW = "new"
# Keywork's own outcome framework, which belongs to no organisation.
KEYWORK = "keywork"
# Variants: one's own record, given another organisation's record to go with it.
ITS_FRAMEWORK = "own, other organisation's framework"
ITS_PERSON = "other organisation's person, own service"

# Functions that take an actor only to name them in the audit: they decide nothing, and
# are called by services after those have checked the actor.
RECORDERS = frozenset(
    {
        "auth_event_record",
        "record_bulk_change",
        "record_bulk_create",
        "record_read",
        "record_shown",
        "record_view",
    }
)
# Services with no record to name: they act on the actor's own calendar feed alone.
ON_THE_ACTORS_OWN = frozenset({"calendar_feed_issue", "calendar_feed_revoke"})


# --- The records ---------------------------------------------------------------------------


@dataclass
class Records:
    world: World
    pks: dict[tuple[str, str], tuple[type, int]] = field(default_factory=dict)

    def add(self, target: str, **objects) -> None:
        for name, obj in objects.items():
            self.pks[target, name] = (type(obj), obj.pk)

    def __call__(self, target: str, name: str):
        """A fresh copy of the record, as a request would read it."""
        model, pk = self.pks[target, name]
        return model._default_manager.get(pk=pk)

    def user(self, persona: str) -> User:
        return User.objects.get(pk=getattr(self.world, persona).pk)


def _home_service(me: User):
    """A service the actor's team works in, or any of the actor's organisation's."""
    membership = me.memberships.filter(team__isnull=False).first()
    if membership is not None:
        return membership.team.services.first()
    from keywork.organisations.models import Service

    return Service.objects.filter(organisation_id=me.organisation_id).first()


def _casework(records: Records, target: str, service, key_worker) -> None:
    organisation = service.organisation
    today, now = timezone.localdate(), timezone.now()
    days = timedelta(days=1)

    def person(first_name: str) -> Person:
        return Person.objects.create(
            organisation=organisation,
            first_name=first_name,
            last_name=target.title(),
            created_by=key_worker,
        )

    def episode_of(who: Person, **more) -> Episode:
        return Episode.objects.create(
            organisation=organisation,
            person=who,
            service=service,
            key_worker=key_worker,
            created_by=key_worker,
            **{"start_date": today - 20 * days, **more},
        )

    supported = person("Supported")
    referral = Referral.objects.create(
        organisation=organisation,
        person=supported,
        service=service,
        received_on=today - 30 * days,
        source="self",
        reason="Needs a home.",
        status="accepted",
        decided_on=today - 20 * days,
        decided_by=key_worker,
        created_by=key_worker,
    )
    episode = episode_of(supported, referral=referral)
    framework = shipped_framework()
    plan = SupportPlan.objects.create(
        organisation=organisation,
        person=supported,
        episode=episode,
        framework=framework,
        next_review_on=today + 60 * days,
        created_by=key_worker,
    )
    goal = Goal.objects.create(plan=plan, domain=framework.domains.first(), in_own_words="A home")
    building = Property.objects.create(
        organisation=organisation,
        service=service,
        name=f"{target} house",
        address="1 Road",
        type="shared_house",
    )
    room = Unit.objects.create(property=building, name="Room 1", opened_on=today - 365 * days)
    move_on = MoveOnPlan.objects.create(episode=episode, person=supported, readiness="not_yet")
    note = FileNote.objects.create(
        organisation=organisation,
        person=supported,
        episode=episode,
        contact_type="phone",
        contact_at=now - 2 * days,
        subject="Phone call",
        text="Talked about the move.",
        author=key_worker,
        recorded_at=now - 2 * days,
    )
    FileNoteVersion.objects.create(
        note=note,
        number=1,
        subject=note.subject,
        text=note.text,
        written_by=key_worker,
        written_at=note.recorded_at,
    )
    appointments = {}
    for name, starts_at in (("held", now - timedelta(hours=1)), ("planned", now + 2 * days)):
        appointments[name] = Appointment.objects.create(
            organisation=organisation,
            person=supported,
            episode=episode,
            starts_at=starts_at,
            created_by=key_worker,
        )
        appointments[name].staff.set([key_worker])
    incident = Incident.objects.create(
        organisation=organisation,
        service=service,
        type="other",
        severity="low",
        occurred_at=now - timedelta(hours=3),
        place="Kitchen",
        what_happened="A fall.",
        immediate_action="First aid.",
        reported_by=key_worker,
        reported_at=now - timedelta(hours=2),
    )
    # Someone who moved on yesterday and has been referred again; someone taken on
    # yesterday who has no support plan yet.
    moved_on = person("Moved")
    ended = episode_of(
        moved_on,
        start_date=today - 100 * days,
        end_date=today - days,
        end_reason="planned",
        destination="social_tenancy",
        ended_by=key_worker,
    )
    newcomer = person("New")
    records.add(
        target,
        service=service,
        key_worker=key_worker,
        person=supported,
        referral=referral,
        episode=episode,
        alert=Alert.objects.create(person=supported, text="Matrix alert", created_by=key_worker),
        consent=Consent.objects.create(
            person=supported, shared_with="GP", purpose="Care", given_on=today - 10 * days
        ),
        plan=plan,
        goal=goal,
        action=Action.objects.create(
            goal=goal, what="View flats", owner="person", due_on=today + 7 * days
        ),
        property=building,
        room=room,
        other_room=Unit.objects.create(
            property=building, name="Room 2", opened_on=today - 365 * days
        ),
        tenancy=Tenancy.objects.create(
            episode=episode,
            person=supported,
            unit=room,
            kind="licence",
            start_date=today - 10 * days,
            created_by=key_worker,
        ),
        move_on=move_on,
        application=HousingApplication.objects.create(
            plan=move_on,
            route="council",
            band="B",
            applied_on=today - 5 * days,
            status="submitted",
            status_on=today - 5 * days,
        ),
        activity=Activity.objects.create(
            person=supported,
            kind="course",
            title="Cooking",
            start_date=today - 10 * days,
            created_by=key_worker,
        ),
        note=note,
        held_appointment=appointments["held"],
        planned_appointment=appointments["planned"],
        task=Task.objects.create(
            organisation=organisation,
            assigned_to=key_worker,
            person=supported,
            title="Ring the GP",
            due_on=today + 3 * days,
            created_by=key_worker,
        ),
        risk=RiskAssessment.objects.create(
            organisation=organisation,
            person=supported,
            overall="low",
            review_on=today + 30 * days,
            updated_by=key_worker,
            updated_at=now,
        ),
        incident=incident,
        part=IncidentPerson.objects.create(incident=incident, person=supported),
        safeguarding=SafeguardingReferral.objects.create(
            organisation=organisation,
            person=supported,
            service=service,
            about="adult",
            concern="A worry.",
            referred_to="The council",
            referred_on=today - 2 * days,
            created_by=key_worker,
        ),
        moved_on=moved_on,
        ended=ended,
        waiting=Referral.objects.create(
            organisation=organisation,
            person=moved_on,
            service=service,
            received_on=today,
            source="self",
            reason="Back again.",
            created_by=key_worker,
        ),
        newcomer=newcomer,
        newcomer_episode=episode_of(newcomer, start_date=today - days),
    )


def _organisation_records(records: Records, target: str, service, team, admin, staff) -> None:
    organisation = service.organisation
    framework = Framework.objects.create(organisation=organisation, name=f"{target} framework")
    Domain.objects.create(framework=framework, name="Home")
    Stage.objects.create(framework=framework, label="Any", low=1, high=10)
    records.add(
        target,
        organisation=organisation,
        area=service.area,
        team=team,
        framework=framework,
        invitation=Invitation.objects.create(
            organisation=organisation,
            email=f"invited-{organisation.pk}@keywork.test",
            full_name="New Starter",
            role=Role.SUPPORT_WORKER,
            team=team,
            token_hash=f"{organisation.pk:064d}",
            invited_by=admin,
            expires_at=timezone.now() + timedelta(days=7),
        ),
        import_job=ImportJob.objects.create(
            organisation=organisation,
            created_by=admin,
            original_name="people.csv",
            stored_name=f"matrix-{organisation.pk}.csv",
            file_format="csv",
            headers=["First name", "Last name"],
            mapping={"first_name": "First name", "last_name": "Last name"},
        ),
        staff=staff,
        staff_membership=staff.memberships.get(),
    )


def _events(records: Records, target: str) -> None:
    """A weekly group of the service, with a session to come and one that started two
    hours ago, the supported person having a place on each, and the service's feed."""

    from keywork.events.models import Event, EventFeed, Session, SignUp

    service, key_worker = records(target, "service"), records(target, "key_worker")
    supported = records(target, "person")
    now = timezone.now()
    event = Event.objects.create(
        organisation=service.organisation,
        title="Matrix group",
        kind="social",
        venue="Hall",
        capacity=4,
        repeat="weekly",
        first_date=timezone.localdate() - timedelta(days=7),
        until=timezone.localdate() + timedelta(days=14),
        starts_at=time(10, 0),
        ends_at=time(11, 0),
        created_by=key_worker,
    )
    event.services.set([service])
    sessions = {
        name: Session.objects.create(
            event=event, starts_at=at, ends_at=at + timedelta(hours=1), venue="Hall"
        )
        for name, at in (
            ("past_session", now - timedelta(hours=2)),
            ("future_session", now + timedelta(days=2)),
        )
    }
    places = {
        name.replace("session", "place"): SignUp.objects.create(
            session=session,
            person=supported,
            status="place",
            signed_up_at=now - timedelta(days=3),
            signed_up_by=key_worker,
        )
        for name, session in sessions.items()
    }
    EventFeed.objects.create(
        service=service, token_hash=f"{service.pk:064d}", created_by=key_worker
    )
    records.add(target, event=event, **sessions, **places)


def _oncall(records: Records, target: str) -> None:
    """A rota covering the service; the key worker first on call now and in three days,
    someone else in four; a call they logged about the supported person, and its
    follow-up for them."""
    from keywork.oncall.models import ContactNumber, FollowUp, LogEntry, Rota, Shift

    service, key_worker = records(target, "service"), records(target, "key_worker")
    world = records.world
    other = world.colleague if target == OWN else key_worker
    for user in {key_worker, other}:
        ContactNumber.objects.get_or_create(
            user=user, defaults={"organisation": user.organisation, "number": "07700 900123"}
        )
    rota = Rota.objects.create(
        organisation=service.organisation, name="Matrix rota", created_by=key_worker
    )
    rota.services.set([service])
    now = timezone.now()

    def shift(worker, start):
        return Shift.objects.create(
            rota=rota, worker=worker, starts_at=start, ends_at=start + timedelta(hours=8)
        )

    shift_now = shift(key_worker, now - timedelta(hours=1))
    entry = LogEntry.objects.create(
        organisation=service.organisation,
        rota=rota,
        shift=shift_now,
        written_by=key_worker,
        call_at=now - timedelta(minutes=30),
        caller="person",
        person=records(target, "person"),
        service=service,
        what_happened="Matrix call",
    )
    records.add(
        target,
        rota=rota,
        shift_now=shift_now,
        future_shift=shift(key_worker, now + timedelta(days=3)),
        other_shift=shift(other, now + timedelta(days=4)),
        entry=entry,
        follow_up=FollowUp.objects.create(
            entry=entry, assigned_to=key_worker, what="Matrix", due_on=timezone.localdate()
        ),
    )


def _feedback(records: Records, target: str) -> None:
    """Complaints from the supported person (in Harbour about the worker's colleague),
    logged by the key worker, handled at stage 1 by a manager of the service: one just
    received, one acknowledged, one answered."""
    from keywork.feedback.models import Complaint, Stage

    service, key_worker = records(target, "service"), records(target, "key_worker")
    world = records.world
    handler = {OWN: world.senior, OTHER_TEAM: world.other_lead_manager}.get(target, key_worker)
    received = timezone.localdate() - timedelta(days=40)

    def complaint(acknowledged: bool, answered: bool) -> Complaint:
        made = Complaint.objects.create(
            organisation=service.organisation,
            service=service,
            who=Complaint.Who.PERSON,
            person=records(target, "person"),
            how=Complaint.How.PHONE,
            about=Complaint.About.STAFF if target == OWN else Complaint.About.SERVICE,
            about_staff=world.colleague if target == OWN else None,
            summary="Matrix complaint",
            wanted="Matrix",
            received_on=received,
            logged_by=key_worker,
        )
        Stage.objects.create(
            complaint=made,
            number=1,
            opened_on=received,
            handler=handler,
            acknowledged_on=received + timedelta(days=1) if acknowledged else None,
            responded_on=received + timedelta(days=9) if answered else None,
            decision="Matrix" if answered else "",
        )
        return made

    records.add(
        target,
        complaint_received=complaint(False, False),
        complaint_acknowledged=complaint(True, False),
        complaint_answered=complaint(True, True),
    )


def _training(records: Records, target: str) -> None:
    """A course of the organisation; for a member of staff of the team (the colleague, the
    other team's worker, Elsewhere's worker), a record of it and a booking."""
    from keywork.training.models import Booking, Course, TrainingRecord

    world = records.world
    trainee = {OWN: world.colleague, OTHER_TEAM: world.other_team_worker}.get(
        target, world.other_org_worker
    )
    course = Course.objects.filter(organisation=trainee.organisation).first()
    if course is None:
        course = Course.objects.create(
            organisation=trainee.organisation,
            name="Matrix safeguarding",
            renewal_months=12,
            created_by=trainee,
        )
    records.add(
        target,
        trainee=trainee,
        course=course,
        training_record=TrainingRecord.objects.create(
            organisation=trainee.organisation,
            staff=trainee,
            course=course,
            completed_on=_days(-100),
            expires_on=_days(265),
            recorded_by=trainee,
        ),
        booking=Booking.objects.create(
            organisation=trainee.organisation,
            staff=trainee,
            course=course,
            booked_for=_days(20),
            booked_by=trainee,
        ),
    )


def _supervision(records: Records, target: str) -> None:
    """The worker supervised by the senior, the lead manager standing in (the other
    team's worker by its lead manager; Elsewhere's worker by its administrator): an
    earlier supervision with an action agreed, one held and not yet agreed, one agreed
    and locked, a development goal and an assessment on Keywork's own framework."""
    from keywork.supervision.models import (
        AgreedAction,
        Arrangement,
        Assessment,
        DevelopmentGoal,
        Score,
        Supervision,
    )
    from keywork.supervision.services import shipped_competency_framework

    world = records.world
    supervisee, supervisor, stand_in = {
        OWN: (world.worker, world.senior, world.lead_manager),
        OTHER_TEAM: (world.other_team_worker, world.other_lead_manager, None),
        OTHER_ORG: (world.other_org_worker, world.other_org_admin, None),
    }[target]
    org = supervisee.organisation

    def supervision(days_ago: int, **more) -> Supervision:
        return Supervision.objects.create(
            organisation=org,
            supervisee=supervisee,
            supervisor=supervisor,
            scheduled_for=_days(-days_ago),
            held_on=_days(-days_ago),
            created_by=supervisor,
            **more,
        )

    earlier = supervision(60, agreed_at=timezone.now() - timedelta(days=59))
    framework = shipped_competency_framework()
    assessment = Assessment.objects.create(
        organisation=org,
        framework=framework,
        staff_member=supervisee,
        occasion="any_time",
        assessed_on=_today(),
        created_by=supervisor,
    )
    Score.objects.bulk_create(
        Score(assessment=assessment, competency=c) for c in framework.competencies.all()
    )
    records.add(
        target,
        sv_supervisee=supervisee,
        sv_supervisor=supervisor,
        sv_arrangement=Arrangement.objects.create(
            organisation=org, supervisee=supervisee, supervisor=supervisor, stand_in=stand_in
        ),
        sv_earlier_action=AgreedAction.objects.create(
            supervision=earlier, text="Matrix action", owner=supervisee, due_on=_days(-30)
        ),
        sv_held=supervision(1),
        sv_locked=supervision(30, agreed_at=timezone.now() - timedelta(days=29)),
        sv_goal=DevelopmentGoal.objects.create(
            organisation=org,
            staff_member=supervisee,
            goal="Matrix goal",
            due_on=_days(30),
            created_by=supervisee,
        ),
        sv_competency_framework=framework,
        sv_assessment=assessment,
    )


def build_records() -> Records:
    world = build_world()
    records = Records(world=world)
    _casework(records, OWN, world.service, world.worker)
    _casework(records, OTHER_TEAM, world.other_service, world.other_team_worker)
    _casework(records, OTHER_ORG, world.other_org_service, world.other_org_worker)
    _organisation_records(records, OWN, world.service, world.team, world.admin, world.colleague)
    _organisation_records(
        records,
        OTHER_ORG,
        world.other_org_service,
        world.other_org_team,
        world.other_org_admin,
        world.other_org_worker,
    )
    records.add(OTHER_TEAM, team=world.other_team, area=world.other_service.area)
    records.add(KEYWORK, framework=shipped_framework())
    CalendarFeed.objects.create(user=world.worker, token_hash="f" * 64)
    for target in (OWN, OTHER_TEAM, OTHER_ORG):
        _events(records, target)
        _oncall(records, target)
        _supervision(records, target)
        _training(records, target)
        _feedback(records, target)
    return records


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker):
    """One world for the module, taken away again after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_records()
        transaction.set_rollback(True)


# --- What each service is given ---------------------------------------------------------------


def _today():
    return timezone.localdate()


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _co_worker_on(r: Records, t: str, me: User) -> dict:
    episode = r(t, "episode")
    other = User.objects.filter(organisation_id=episode.organisation_id).exclude(
        pk__in=[episode.key_worker_id, me.pk]
    )
    return {"worker": EpisodeWorker.objects.create(episode=episode, user=other.first())}


def _import_job(r: Records, t: str, me: User, status: str = ImportJob.Status.UPLOADED) -> dict:
    from keywork.imports.services import path_of

    job = r(t, "import_job")
    path = path_of(job)
    if not path.exists():
        path.write_text("First name,Last name\nAnn,Import\n")
    if job.status != status:
        job.status = status
        job.save(update_fields=["status"])
    return {"job": job}


def _duplicate_reference(person: Person) -> str:
    from keywork.people.selectors import duplicate_reference

    return duplicate_reference(person.pk)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _area_of(me: User):
    return _home_service(me).area


def _existing_or_none(name: str) -> Callable[[Records, str], object]:
    return lambda r, t: None if t == NEW else r(t, name)


_area = _existing_or_none("area")
_service = _existing_or_none("service")
_team = _existing_or_none("team")


def _person_update(r: Records, t: str, me: User) -> dict:
    person = r(t, "person")
    return {
        "person": person,
        "version": person.version,
        "first_name": person.first_name,
        "last_name": "Moved",
    }


def _note_amend(r: Records, t: str, me: User) -> dict:
    note = r(t, "note")
    return {
        "note": note,
        "subject": note.subject,
        "text": "We talked about the move.",
        "reason": "Left out a word",
        "version": note.version,
    }


def _plan_update(r: Records, t: str, me: User) -> dict:
    plan = r(t, "plan")
    return {
        "plan": plan,
        "version": plan.version,
        "next_review_on": _days(30),
        "person_comments": "Fine",
    }


def _goal_add(r: Records, t: str, me: User) -> dict:
    plan = r(t, "plan")
    return {"plan": plan, "domain": plan.framework.domains.last(), "in_own_words": "Get fit"}


def _framework_for(r: Records, t: str) -> tuple[Episode, Framework]:
    """The episode and its plan's framework; for the variant, another organisation's."""
    if t == ITS_FRAMEWORK:
        return r(OWN, "episode"), r(OTHER_ORG, "framework")
    return r(t, "episode"), r(t, "plan").framework


def _assessment(r: Records, t: str, me: User) -> dict:
    episode, framework = _framework_for(r, t)
    area = {"person_view": "Fine", "worker_view": "Fine", "strengths": "Many", "need": "low"}
    return {
        "episode": episode,
        "framework": framework,
        "assessed_on": _today(),
        "areas": {framework.domains.first().pk: area},
    }


def _ratings(r: Records, t: str, me: User) -> dict:
    episode, framework = _framework_for(r, t)
    return {
        "episode": episode,
        "framework": framework,
        "rated_on": _today(),
        "rated_by": "together",
        "scores": {framework.domains.first().pk: 5},
    }


def _framework_update(r: Records, t: str, me: User) -> dict:
    framework = r(t, "framework")
    return {
        "framework": framework,
        "version": framework.version,
        "name": f"{framework.name} renamed",
        "domains": [],
        "stages": [],
    }


def _risk_assessment(r: Records, t: str, me: User) -> dict:
    return {
        "person": r(t, "person"),
        "version": r(t, "risk").version,
        "overall": "low",
        "summary": "",
        "areas": {"self": {"level": "low", "history": "None known"}},
    }


def _import_mapping(r: Records, t: str, me: User) -> dict:
    job = _import_job(r, t, me)["job"]
    return {"job": job, "mapping": job.mapping}


def _matrix_session(r: Records, t: str):
    from keywork.involvement.models import InvolvementSession

    service = r(t, "service")
    return InvolvementSession.objects.create(
        organisation=service.organisation,
        service=service,
        kind="residents_meeting",
        title="Matrix meeting",
        held_on=_days(-1),
        created_by=r(t, "key_worker"),
    )


def _matrix_participation(r: Records, t: str):
    from keywork.involvement.models import Participation

    return Participation.objects.create(
        session=_matrix_session(r, t), person=r(t, "person"), added_by=r(t, "key_worker")
    )


def _matrix_involvement_action(r: Records, t: str):
    from keywork.involvement.models import InvolvementAction

    return InvolvementAction.objects.create(
        session=_matrix_session(r, t),
        what="Fix the washing machine",
        owner=r(t, "key_worker"),
        due_on=_days(7),
        created_by=r(t, "key_worker"),
    )


def _matrix_notice(r: Records, t: str):
    from keywork.notices.models import Notice

    service = r(t, "service")
    return Notice.objects.create(
        organisation=service.organisation,
        service=service,
        title="Matrix notice",
        body="Plain words.",
        audience="service",
        published_on=_days(-3),
        needs_acknowledgement=True,
        created_by=r(t, "key_worker"),
    )


def _matrix_receipt(r: Records, t: str):
    from keywork.notices.models import Receipt

    return Receipt.objects.create(
        notice=_matrix_notice(r, t),
        person=r(t, "person"),
        received_on=_days(-1),
        given_by=r(t, "key_worker"),
    )


@dataclass(frozen=True)
class Entry:
    """How to call one service: `build(records, target, actor)` gives its arguments;
    `refused` are (persona, target) pairs that must be answered NotFoundOrNotAllowed;
    `allowed` are pairs for which the same call must succeed."""

    build: Callable[[Records, str, User], dict]
    refused: tuple[tuple[str, str], ...]
    allowed: tuple[tuple[str, str], ...] = (("worker", OWN),)


def _point_answer():
    from keywork.feedback.services import PointAnswer

    return PointAnswer("The lift", "upheld")


# A person's record: staff of another organisation or another team, and staff who do no
# casework at all.
ON_A_PERSON = (
    ("other_org_worker", OWN),
    ("other_team_worker", OWN),
    ("worker", OTHER_TEAM),
    ("worker", OTHER_ORG),
    ("commissioner", OWN),
    ("admin", OWN),
)
# Casework only a manager of the service does.
MANAGING = (
    ("other_org_worker", OWN),
    ("other_team_worker", OWN),
    ("other_lead_manager", OWN),
    ("lead_manager", OTHER_TEAM),
    ("lead_manager", OTHER_ORG),
    ("commissioner", OWN),
)
# The organisation's set-up and staff: another organisation's administrator, and staff
# who are not administrators.
SETTING_UP = (
    ("other_org_admin", OWN),
    ("admin", OTHER_ORG),
    ("worker", OWN),
    ("lead_manager", OWN),
    ("commissioner", OWN),
)
MAKING_NEW = (("worker", NEW), ("lead_manager", NEW), ("commissioner", NEW))
BY_ADMIN = (("admin", OWN),)
# Properties and rooms: the organisation's administrators, and the service's managers.
HOUSING_MANAGE = (
    ("worker", OWN),
    ("other_lead_manager", OWN),
    ("other_org_admin", OWN),
    ("other_org_worker", OWN),
    ("admin", OTHER_ORG),
    ("lead_manager", OTHER_TEAM),
    ("lead_manager", OTHER_ORG),
    ("commissioner", OWN),
)
IMPORTING = (
    ("other_org_admin", OWN),
    ("admin", OTHER_ORG),
    ("lead_manager", OTHER_ORG),
    ("worker", OWN),
    ("commissioner", OWN),
)

# Events and groups: run by the staff of the event's services (support assistants too),
# never by another team, a complex caseworker joining one case, or staff doing no casework.
RUNNING_EVENTS = (
    ("other_org_worker", OWN),
    ("other_team_worker", OWN),
    ("complex_caseworker", OWN),
    ("worker", OTHER_TEAM),
    ("worker", OTHER_ORG),
    ("commissioner", OWN),
    ("admin", OWN),
)
BY_THE_SERVICE = (("worker", OWN), ("support_assistant", OWN))


ROTA_MANAGERS = (("lead_manager", OWN), ("senior", OWN))
MANAGING_ROTAS = (
    ("worker", OWN),
    ("other_lead_manager", OWN),
    ("lead_manager", OTHER_TEAM),
    ("lead_manager", OTHER_ORG),
    ("admin", OWN),
    ("commissioner", OWN),
)
# One's own details, or a manager's for their staff.
FOR_ONESELF = (("colleague", OWN), ("other_org_worker", OWN), ("other_org_worker", OTHER_TEAM))
# A call logged on call: its writer and the service's managers.
ON_A_CALL = (
    ("colleague", OWN),
    ("other_team_worker", OWN),
    ("other_org_worker", OWN),
    ("admin", OWN),
    ("commissioner", OWN),
)


# Supervision: the supervisor, stand-in and team managers of the member of staff (for
# "own", the worker); not the member, a colleague, an administrator or another team.
SUPERVISING = (("senior", OWN), ("lead_manager", OWN))
NOT_ARRANGING = (
    ("worker", OWN),
    ("colleague", OWN),
    ("admin", OWN),
    ("other_lead_manager", OWN),
    ("senior", OTHER_TEAM),
    ("senior", OTHER_ORG),
    ("commissioner", OWN),
)
NOT_SEEING_DEVELOPMENT = (
    ("colleague", OWN),
    ("admin", OWN),
    ("other_lead_manager", OWN),
    ("worker", OTHER_TEAM),
    ("worker", OTHER_ORG),
    ("senior", OTHER_ORG),
)
NOT_THE_SUPERVISEE = (
    ("senior", OWN),
    ("colleague", OWN),
    ("admin", OWN),
    ("worker", OTHER_TEAM),
    ("worker", OTHER_ORG),
)


def _rota_args(r: Records, t: str) -> dict:
    rota = r(t, "rota")
    return {"rota": rota, "version": rota.version}


def _event_new(r: Records, t: str, me: User) -> dict:
    from datetime import time

    return {
        "services": [r(t, "service")],
        "title": "Cooking group",
        "kind": "skills",
        "venue": "Kitchen",
        "capacity": 6,
        "repeat": "weekly",
        "first_date": _days(3),
        "until": _days(3 + 28),
        "starts_at": time(14, 0),
        "ends_at": time(16, 0),
        "organisers": [me],
    }


def _event_update(r: Records, t: str, me: User) -> dict:
    event = r(t, "event")
    return {
        "event": event,
        "version": event.version,
        "title": "Matrix group renamed",
        "kind": "skills",
        "venue": "Garden",
        "capacity": 6,
    }


def _session_move(r: Records, t: str, me: User) -> dict:
    at = timezone.now() + timedelta(days=3)
    return {
        "session": r(t, "future_session"),
        "starts_at": at,
        "ends_at": at + timedelta(hours=1),
        "venue": "Garden",
    }


# Training: a member of staff's line managers and the organisation's administrators
# record it, never the member of staff themself, a colleague, or another team's manager;
# the administrators and lead managers keep the catalogue.
RECORDING_TRAINING = (
    ("senior", OWN),
    ("lead_manager", OWN),
    ("admin", OWN),
    ("other_lead_manager", OTHER_TEAM),
)
RECORDING_TRAINING_REFUSED = (
    ("colleague", OWN),
    ("worker", OWN),
    ("other_lead_manager", OWN),
    ("lead_manager", OTHER_TEAM),
    ("lead_manager", OTHER_ORG),
    ("admin", OTHER_ORG),
    ("commissioner", OWN),
)
KEEPING_THE_CATALOGUE_REFUSED = (
    ("worker", OWN),
    ("senior", OWN),
    ("commissioner", OWN),
    ("admin", OTHER_ORG),
    ("lead_manager", OTHER_ORG),
)


MATRIX: dict[str, Entry] = {
    # Supervision and development: the member of staff, their supervisor and stand-in
    # (for the worker, the senior and the lead manager) and their team's managers.
    "arrangement_set": Entry(
        lambda r, t, me: {
            "supervisee": r(t, "sv_supervisee"),
            "supervisor": r(t, "sv_supervisor"),
            "version": r(t, "sv_arrangement").version,
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "frequency_set": Entry(
        lambda r, t, me: {"role": "support_worker", "every_weeks": 4, "probation_every_weeks": 2},
        refused=(("worker", OWN), ("lead_manager", OWN), ("commissioner", OWN)),
        allowed=BY_ADMIN,
    ),
    "supervision_schedule": Entry(
        lambda r, t, me: {"supervisee": r(t, "sv_supervisee"), "scheduled_for": _days(7)},
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "supervision_record": Entry(
        lambda r, t, me: {
            "supervision": r(t, "sv_held"),
            "version": r(t, "sv_held").version,
            "held_on": _days(-1),
            "next_on": _days(40),
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "case_discussion_add": Entry(
        lambda r, t, me: {
            "supervision": r(t, "sv_held"),
            "person": r(t, "person"),
            "decision": "Review the plan",
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "supervision_action_add": Entry(
        lambda r, t, me: {
            "supervision": r(t, "sv_held"),
            "text": "Book the course",
            "owner": r(t, "sv_supervisee"),
            "due_on": _days(14),
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "supervision_action_progress": Entry(
        lambda r, t, me: {
            "supervision": r(t, "sv_held"),
            "action": r(t, "sv_earlier_action"),
            "progress": "Booked",
            "done": True,
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "development_goal_review": Entry(
        lambda r, t, me: {
            "supervision": r(t, "sv_held"),
            "goal": r(t, "sv_goal"),
            "note": "Going well",
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "supervision_agree": Entry(
        lambda r, t, me: {"supervision": r(t, "sv_held"), "version": r(t, "sv_held").version},
        refused=NOT_THE_SUPERVISEE,
    ),
    "supervision_amend": Entry(
        lambda r, t, me: {
            "supervision": r(t, "sv_locked"),
            "field": "wellbeing",
            "text": "Corrected",
            "reason": "A typing slip",
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "competency_framework_create": Entry(
        lambda r, t, me: {
            "name": "Matrix competencies",
            "levels": [LevelEntry(1, "Entry"), LevelEntry(2, "Desired")],
            "competencies": [CompetencyEntry("Listening", "Hears", {1: "a", 2: "b"}, {})],
        },
        refused=(("worker", OWN), ("lead_manager", OWN), ("commissioner", OWN)),
        allowed=BY_ADMIN,
    ),
    "competency_assessment_start": Entry(
        lambda r, t, me: {
            "staff_member": r(t, "sv_supervisee"),
            "framework": r(t, "sv_competency_framework"),
            "occasion": "appraisal",
            "assessed_on": _today(),
        },
        refused=NOT_SEEING_DEVELOPMENT,
        allowed=(("worker", OWN), ("senior", OWN)),
    ),
    "competency_self_assess": Entry(
        lambda r, t, me: {
            "assessment": r(t, "sv_assessment"),
            "version": r(t, "sv_assessment").version,
            "levels": {r(t, "sv_assessment").scores.first().competency_id: 2},
            "evidence": {},
        },
        refused=NOT_THE_SUPERVISEE,
    ),
    "competency_supervisor_assess": Entry(
        lambda r, t, me: {
            "assessment": r(t, "sv_assessment"),
            "version": r(t, "sv_assessment").version,
            "levels": {},
            "evidence": {},
            "agreed": {r(t, "sv_assessment").scores.first().competency_id: 2},
        },
        refused=NOT_ARRANGING,
        allowed=SUPERVISING,
    ),
    "development_goal_add": Entry(
        lambda r, t, me: {
            "staff_member": r(t, "sv_supervisee"),
            "goal": "Learn",
            "due_on": _days(30),
        },
        refused=NOT_SEEING_DEVELOPMENT,
        allowed=(("worker", OWN), ("senior", OWN)),
    ),
    # --- training ------------------------------------------------------------------------------
    "course_create": Entry(
        lambda r, t, me: {"name": "Matrix first aid", "renewal_months": 12},
        refused=(("worker", NEW), ("senior", NEW), ("commissioner", NEW)),
        allowed=(("admin", NEW), ("lead_manager", NEW)),
    ),
    "course_update": Entry(
        lambda r, t, me: {
            "course": r(t, "course"),
            "version": r(t, "course").version,
            "name": "Matrix safeguarding renamed",
            "renewal_months": 12,
        },
        refused=KEEPING_THE_CATALOGUE_REFUSED,
        allowed=(("admin", OWN), ("lead_manager", OWN)),
    ),
    "training_record_create": Entry(
        lambda r, t, me: {
            "staff": r(t, "trainee"),
            "course": r(t, "course"),
            "completed_on": _days(-1),
        },
        refused=RECORDING_TRAINING_REFUSED,
        allowed=RECORDING_TRAINING,
    ),
    "training_record_update": Entry(
        lambda r, t, me: {
            "record": r(t, "training_record"),
            "version": r(t, "training_record").version,
            "completed_on": _days(-2),
        },
        refused=RECORDING_TRAINING_REFUSED,
        allowed=RECORDING_TRAINING,
    ),
    "training_booking_create": Entry(
        lambda r, t, me: {
            "staff": r(t, "trainee"),
            "course": r(t, "course"),
            "booked_for": _days(10),
        },
        refused=RECORDING_TRAINING_REFUSED,
        allowed=RECORDING_TRAINING,
    ),
    "training_booking_cancel": Entry(
        lambda r, t, me: {"booking": r(t, "booking")},
        refused=RECORDING_TRAINING_REFUSED,
        allowed=RECORDING_TRAINING,
    ),
    # --- on call -------------------------------------------------------------------------------
    "rota_create": Entry(
        lambda r, t, me: {"name": "Nights", "services": [r(t, "service")], "nation": "ENG"},
        refused=(
            ("worker", OWN),
            ("lead_manager", OTHER_TEAM),
            ("lead_manager", OTHER_ORG),
            ("admin", OWN),
            ("commissioner", OWN),
        ),
        allowed=ROTA_MANAGERS,
    ),
    "rota_change": Entry(
        lambda r, t, me: {
            **_rota_args(r, t),
            "name": "Nights",
            "services": [r(t, "service")],
            "nation": "SCT",
        },
        refused=MANAGING_ROTAS,
        allowed=ROTA_MANAGERS,
    ),
    "contact_number_set": Entry(
        lambda r, t, me: {"user": r(t, "key_worker"), "number": "0117 496 0123"},
        refused=FOR_ONESELF,
        allowed=(("worker", OWN), ("lead_manager", OWN)),
    ),
    "time_off_add": Entry(
        lambda r, t, me: {
            "worker": r(t, "key_worker"),
            "first_day": _today() + timedelta(days=10),
            "last_day": _today() + timedelta(days=12),
        },
        refused=FOR_ONESELF,
        allowed=(("worker", OWN), ("lead_manager", OWN)),
    ),
    "shift_add": Entry(
        lambda r, t, me: {
            **_rota_args(r, t),
            "line": "second",
            "worker": r(t, "key_worker"),
            "starts_at": timezone.now() + timedelta(days=6),
            "ends_at": timezone.now() + timedelta(days=6, hours=8),
        },
        refused=MANAGING_ROTAS,
        allowed=ROTA_MANAGERS,
    ),
    "shift_change": Entry(
        lambda r, t, me: {
            "shift": r(t, "future_shift"),
            "version": r(t, "rota").version,
            "worker": r(t, "key_worker"),
            "starts_at": timezone.now() + timedelta(days=3, hours=1),
            "ends_at": timezone.now() + timedelta(days=3, hours=9),
        },
        refused=MANAGING_ROTAS,
        allowed=ROTA_MANAGERS,
    ),
    "shift_remove": Entry(
        lambda r, t, me: {"shift": r(t, "future_shift"), "version": r(t, "rota").version},
        refused=MANAGING_ROTAS,
        allowed=ROTA_MANAGERS,
    ),
    "shifts_swap": Entry(
        lambda r, t, me: {
            "shift": r(t, "future_shift"),
            "other": r(t, "other_shift"),
            "version": r(t, "rota").version,
        },
        refused=MANAGING_ROTAS,
        allowed=ROTA_MANAGERS,
    ),
    "pattern_add": Entry(
        lambda r, t, me: {
            **_rota_args(r, t),
            "line": "second",
            "worker": r(t, "key_worker"),
            "days": ["mon", "sat"],
            "starts_at": time(17, 0),
            "ends_at": time(9, 0),
            "first_date": _today() + timedelta(days=7),
            "last_date": _today() + timedelta(days=21),
        },
        refused=MANAGING_ROTAS,
        allowed=ROTA_MANAGERS,
    ),
    "complaint_log": Entry(
        lambda r, t, me: {
            "service": r(t, "service"),
            "who": "person",
            "person": r(t, "person"),
            "how": "phone",
            "about": "building",
            "summary": "The lift is broken",
            "wanted": "Fix it",
            "received_on": _today(),
            "handler": r.user("senior"),
        },
        refused=ON_A_PERSON,
    ),
    "stage_acknowledge": Entry(
        lambda r, t, me: {
            "complaint": r(t, "complaint_received"),
            "number": 1,
            "acknowledged_on": _today(),
            "version": r(t, "complaint_received").version,
        },
        refused=(*MANAGING, ("worker", OWN), ("colleague", OWN)),
        allowed=(("senior", OWN), ("lead_manager", OWN)),
    ),
    "stage_extend": Entry(
        lambda r, t, me: {
            "complaint": r(t, "complaint_received"),
            "number": 1,
            "extended_to": _today() + timedelta(days=60),
            "reason": "Waiting for a witness",
            "version": r(t, "complaint_received").version,
        },
        refused=(*MANAGING, ("worker", OWN), ("colleague", OWN)),
        allowed=(("senior", OWN), ("lead_manager", OWN)),
    ),
    "stage_respond": Entry(
        lambda r, t, me: {
            "complaint": r(t, "complaint_acknowledged"),
            "number": 1,
            "responded_on": _today(),
            "decision": "Upheld: we are sorry",
            "points": [_point_answer()],
            "remedies": [],
            "version": r(t, "complaint_acknowledged").version,
        },
        refused=(*MANAGING, ("worker", OWN), ("colleague", OWN)),
        allowed=(("senior", OWN), ("lead_manager", OWN)),
    ),
    "complaint_escalate": Entry(
        lambda r, t, me: {
            "complaint": r(t, "complaint_answered"),
            "asked_on": _today(),
            "reason": "Not satisfied",
            "handler": r.user("lead_manager"),
            "version": r(t, "complaint_answered").version,
        },
        refused=(*MANAGING, ("worker", OWN), ("colleague", OWN)),
        allowed=(("senior", OWN), ("lead_manager", OWN)),
    ),
    "log_entry_write": Entry(
        lambda r, t, me: {
            "shift": r(t, "shift_now"),
            "call_at": timezone.now() - timedelta(minutes=5),
            "caller": "person",
            "person": r(t, "person"),
            "what_happened": "Rang about the heating",
        },
        refused=(
            ("colleague", OWN),
            ("other_org_worker", OWN),
            ("worker", OTHER_TEAM),
            ("worker", OTHER_ORG),
            ("lead_manager", OWN),
        ),
    ),
    "log_entry_amend": Entry(
        lambda r, t, me: {
            "entry": r(t, "entry"),
            "reason": "Wrong flat",
            "what_happened": "Rang about the heating",
            "advice": "",
            "action_taken": "",
        },
        refused=ON_A_CALL,
        allowed=(("worker", OWN), ("lead_manager", OWN)),
    ),
    "follow_up_done": Entry(
        lambda r, t, me: {"follow_up": r(t, "follow_up")},
        refused=ON_A_CALL,
        allowed=(("worker", OWN), ("lead_manager", OWN)),
    ),
    "handover_mark_read": Entry(
        lambda r, t, me: {"service": r(t, "service"), "day": _today()},
        refused=(
            ("worker", OWN),
            ("other_lead_manager", OWN),
            ("lead_manager", OTHER_ORG),
            ("admin", OWN),
            ("commissioner", OWN),
        ),
        allowed=ROTA_MANAGERS,
    ),
    # --- events and groups ---------------------------------------------------------------------
    "event_create": Entry(_event_new, refused=RUNNING_EVENTS, allowed=BY_THE_SERVICE),
    "event_end": Entry(
        lambda r, t, me: {"event": r(t, "event"), "last_date": _today()},
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    "event_update": Entry(_event_update, refused=RUNNING_EVENTS, allowed=BY_THE_SERVICE),
    "session_move": Entry(_session_move, refused=RUNNING_EVENTS, allowed=BY_THE_SERVICE),
    "session_cancel": Entry(
        lambda r, t, me: {"session": r(t, "future_session"), "reason": "Snow"},
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    "signup_add": Entry(
        lambda r, t, me: {"session": r(t, "future_session"), "person": r(t, "newcomer")},
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    "signup_cancel": Entry(
        lambda r, t, me: {"sign_up": r(t, "future_place"), "reason": "Unwell"},
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    "register_save": Entry(
        lambda r, t, me: {
            "session": r(t, "past_session"),
            "marks": {r(t, "past_place").pk: ("attended", "")},
        },
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    "walk_in_add": Entry(
        lambda r, t, me: {"session": r(t, "past_session"), "person": r(t, "newcomer")},
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    "events_feed_issue": Entry(
        lambda r, t, me: {"service": r(t, "service")},
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    "events_feed_revoke": Entry(
        lambda r, t, me: {"service": r(t, "service")},
        refused=RUNNING_EVENTS,
        allowed=BY_THE_SERVICE,
    ),
    # --- people --------------------------------------------------------------------------------
    "person_create": Entry(
        lambda r, t, me: {"first_name": "Newly", "last_name": "Recorded"},
        refused=(("commissioner", NEW), ("admin", NEW)),
        allowed=(("worker", NEW),),
    ),
    "person_update": Entry(
        _person_update,
        ON_A_PERSON,
    ),
    "identifier_add": Entry(
        lambda r, t, me: {"person": r(t, "person"), "kind": "chain", "value": "CH123"},
        ON_A_PERSON,
    ),
    "alert_add": Entry(
        lambda r, t, me: {"person": r(t, "person"), "text": "Dog in the flat", "level": "warning"},
        ON_A_PERSON,
    ),
    "alert_end": Entry(lambda r, t, me: {"alert": r(t, "alert"), "reason": "Gone"}, ON_A_PERSON),
    "emergency_contact_add": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "name": "Sam",
            "relationship": "Sister",
            "phone": "0117 000 0000",
        },
        ON_A_PERSON,
    ),
    "consent_add": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "shared_with": "Probation",
            "purpose": "Risk",
            "given_on": _today(),
        },
        ON_A_PERSON,
    ),
    "consent_withdraw": Entry(
        lambda r, t, me: {"consent": r(t, "consent"), "withdrawn_on": _today()}, ON_A_PERSON
    ),
    "professional_add": Entry(
        lambda r, t, me: {"person": r(t, "person"), "role": "gp", "name": "Dr Matrix"},
        ON_A_PERSON,
    ),
    "possible_duplicate_mark": Entry(
        lambda r, t, me: {"person": r(t, "person"), "other": r(t, "moved_on"), "note": "Same?"},
        ON_A_PERSON,
    ),
    "person_merge": Entry(
        lambda r, t, me: {"keep": r(t, "person"), "merge": r(t, "moved_on")},
        refused=(
            ("other_org_worker", OWN),
            ("worker", OWN),
            ("senior", OTHER_TEAM),
            ("senior", OTHER_ORG),
        ),
        allowed=(("senior", OWN),),
    ),
    "confidential_address_release": Entry(
        lambda r, t, me: {"person": r(t, "person"), "purpose": "A letter to the council"},
        ON_A_PERSON,
    ),
    "duplicate_check_ask": Entry(
        lambda r, t, me: {"reference": _duplicate_reference(r(t, "person"))},
        # Asking the managers who hold a possible match is for those who may not see it.
        refused=(("other_org_worker", OWN), ("worker", OTHER_ORG), ("commissioner", OWN)),
        allowed=(("other_team_worker", OWN),),
    ),
    "break_glass": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "reason": "Out of hours crisis call, no one else",
        },
        # Opening a record outside one's team is what it is for; never another organisation's.
        refused=(("other_org_worker", OWN), ("worker", OTHER_ORG), ("commissioner", OWN)),
        allowed=(("worker", OTHER_TEAM),),
    ),
    "referral_create": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "service": r(t, "service"),
            "received_on": _today(),
            "source": "self",
            "reason": "Asked again.",
        },
        ON_A_PERSON,
    ),
    "referral_start_assessment": Entry(lambda r, t, me: {"referral": r(t, "waiting")}, ON_A_PERSON),
    "referral_decline": Entry(
        lambda r, t, me: {"referral": r(t, "waiting"), "reason": "No room"}, ON_A_PERSON
    ),
    "referral_withdraw": Entry(
        lambda r, t, me: {"referral": r(t, "waiting"), "reason": "Moved away"}, ON_A_PERSON
    ),
    "referral_accept": Entry(
        lambda r, t, me: {
            "referral": r(t, "waiting"),
            "start_date": _today(),
            "key_worker": r(t, "key_worker"),
        },
        ON_A_PERSON,
    ),
    "episode_open": Entry(
        lambda r, t, me: {
            "person": r(OTHER_ORG if t == ITS_PERSON else t, "moved_on"),
            "service": _home_service(me) if t == ITS_PERSON else r(t, "service"),
            "start_date": _today(),
            "key_worker": me if t == ITS_PERSON else r(t, "key_worker"),
        },
        # Another organisation's person is never taken on, even into one's own service.
        (*ON_A_PERSON, ("worker", ITS_PERSON)),
    ),
    "episode_close": Entry(
        lambda r, t, me: {
            "episode": r(t, "episode"),
            "end_date": _today(),
            "end_reason": "planned",
            "destination": "social_tenancy",
        },
        ON_A_PERSON,
    ),
    "episode_reopen": Entry(lambda r, t, me: {"episode": r(t, "ended")}, ON_A_PERSON),
    "co_worker_add": Entry(
        lambda r, t, me: {
            "episode": r(t, "episode"),
            "user": r.user("colleague") if t != OTHER_ORG else r.user("other_org_admin"),
        },
        ON_A_PERSON,
    ),
    "co_worker_remove": Entry(_co_worker_on, ON_A_PERSON),
    "caseload_reallocate": Entry(
        lambda r, t, me: {"episodes": [r(t, "episode")], "new_key_worker": r.user("colleague")},
        refused=(*MANAGING, ("worker", OWN), ("senior", OTHER_TEAM)),
        allowed=(("lead_manager", OWN), ("senior", OWN)),
    ),
    # --- tasks ---------------------------------------------------------------------------------
    "task_create": Entry(
        lambda r, t, me: {
            "assigned_to": me,
            "title": "Ring back",
            "due_on": _days(1),
            "person": r(t, "person"),
        },
        ON_A_PERSON,
    ),
    "task_done": Entry(lambda r, t, me: {"task": r(t, "task")}, ON_A_PERSON),
    # --- notes, appointments, attachments -----------------------------------------------------
    "note_create": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "episode": r(t, "episode"),
            "contact_type": "phone",
            "contact_at": timezone.now() - timedelta(hours=1),
            "subject": "A call",
            "text": "We talked.",
        },
        ON_A_PERSON,
    ),
    "note_amend": Entry(
        _note_amend,
        ON_A_PERSON,
    ),
    "note_void": Entry(
        lambda r, t, me: {"note": r(t, "note"), "reason": "Wrong person"}, ON_A_PERSON
    ),
    "draft_save": Entry(
        lambda r, t, me: {"person": r(t, "person"), "subject": "Half", "text": "Half a note"},
        ON_A_PERSON,
    ),
    "appointment_create": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "episode": r(t, "episode"),
            "kind": "key_work",
            "starts_at": timezone.now() + timedelta(days=3),
            "duration_minutes": 60,
            "place": "Office",
            "staff": [me],
        },
        ON_A_PERSON,
    ),
    "appointment_set_status": Entry(
        lambda r, t, me: {"appointment": r(t, "held_appointment"), "status": "attended"},
        ON_A_PERSON,
    ),
    "appointment_cancel": Entry(
        lambda r, t, me: {"appointment": r(t, "planned_appointment"), "reason": "They are ill"},
        ON_A_PERSON,
    ),
    "appointment_change": Entry(
        lambda r, t, me: {
            "appointment": r(t, "planned_appointment"),
            "starts_at": timezone.now() + timedelta(days=4),
            "duration_minutes": 45,
            "place": "The café",
        },
        ON_A_PERSON,
    ),
    "appointment_write_note": Entry(
        lambda r, t, me: {
            "appointment": r(t, "held_appointment"),
            "subject": "Key work",
            "text": "We met.",
        },
        ON_A_PERSON,
    ),
    "attachment_add": Entry(
        lambda r, t, me: {
            "note": r(t, "note"),
            "upload": _upload("letter.pdf", b"%PDF-1.7\nA letter\n"),
        },
        ON_A_PERSON,
    ),
    # --- planning and outcomes -------------------------------------------------------------
    "plan_start": Entry(lambda r, t, me: {"episode": r(t, "newcomer_episode")}, ON_A_PERSON),
    "plan_update": Entry(
        _plan_update,
        ON_A_PERSON,
    ),
    "goal_add": Entry(
        _goal_add,
        ON_A_PERSON,
    ),
    "action_add": Entry(
        lambda r, t, me: {
            "goal": r(t, "goal"),
            "what": "Join the gym",
            "owner": "person",
            "due_on": _days(7),
        },
        ON_A_PERSON,
    ),
    "action_set_status": Entry(
        lambda r, t, me: {
            "action": r(t, "action"),
            "status": "in_progress",
            "version": r(t, "plan").version,
        },
        ON_A_PERSON,
    ),
    "plan_agree": Entry(
        lambda r, t, me: {
            "plan": r(t, "plan"),
            "agreed_on": _today(),
            "agreed_how": "verbal",
            "person_comments": "Agreed",
        },
        ON_A_PERSON,
    ),
    "plan_review": Entry(
        lambda r, t, me: {
            "plan": r(t, "plan"),
            "held_on": _today(),
            "summary": "Going well",
            "next_review_on": _days(60),
            "progress": {r(t, "goal").pk: ("Viewing flats", "open", "")},
        },
        ON_A_PERSON,
    ),
    "assessment_record": Entry(
        _assessment,
        (*ON_A_PERSON, ("worker", ITS_FRAMEWORK)),
    ),
    "ratings_record": Entry(
        _ratings,
        (*ON_A_PERSON, ("worker", ITS_FRAMEWORK)),
    ),
    "framework_create": Entry(
        lambda r, t, me: {
            "name": "A new framework",
            "domains": [DomainEntry(name="Home")],
            "stages": [StageEntry(label="Any", low=1, high=10)],
        },
        refused=MAKING_NEW,
        allowed=(("admin", NEW),),
    ),
    "framework_update": Entry(
        _framework_update,
        refused=(*SETTING_UP, ("admin", KEYWORK)),
        allowed=BY_ADMIN,
    ),
    "framework_archive": Entry(
        lambda r, t, me: {"framework": r(t, "framework")},
        refused=(*SETTING_UP, ("admin", KEYWORK)),
        allowed=BY_ADMIN,
    ),
    "framework_choose_for_new_plans": Entry(
        lambda r, t, me: {"framework": r(t, "framework")},
        refused=(*SETTING_UP, ("worker", KEYWORK)),
        allowed=BY_ADMIN,
    ),
    # --- risk ----------------------------------------------------------------------------------
    "risk_assessment_save": Entry(
        _risk_assessment,
        ON_A_PERSON,
    ),
    "incident_report": Entry(
        lambda r, t, me: {
            "service": r(t, "service"),
            "type": "other",
            "severity": "low",
            "occurred_at": timezone.now() - timedelta(hours=1),
            "place": "Hall",
            "what_happened": "A trip on the stairs.",
            "immediate_action": "Checked for injury.",
            "people": [r(t, "person")],
        },
        ON_A_PERSON,
    ),
    "incident_part_set": Entry(
        lambda r, t, me: {"part": r(t, "part"), "their_part": "Tripped."}, ON_A_PERSON
    ),
    "incident_sign_off": Entry(
        lambda r, t, me: {"incident": r(t, "incident"), "manager_review": "Handled well."},
        refused=(*MANAGING, ("admin", OWN)),
        allowed=(("lead_manager", OWN),),
    ),
    "safeguarding_refer": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "service": r(t, "service"),
            "about": "adult",
            "concern": "Someone is taking his money.",
            "referred_to": "Adult social care",
            "referred_on": _today(),
        },
        ON_A_PERSON,
    ),
    "safeguarding_outcome": Entry(
        lambda r, t, me: {
            "referral": r(t, "safeguarding"),
            "outcome": "nfa",
            "outcome_on": _today(),
        },
        ON_A_PERSON,
    ),
    # --- housing -------------------------------------------------------------------------------
    "property_add": Entry(
        lambda r, t, me: {
            "service": r(t, "service"),
            "name": "Another house",
            "address": "2 Road",
            "type": "hostel",
        },
        refused=HOUSING_MANAGE,
        allowed=(("admin", OWN), ("lead_manager", OWN)),
    ),
    "unit_add": Entry(
        lambda r, t, me: {
            "property": r(t, "property"),
            "name": "Room 9",
            "capacity": 1,
            "opened_on": _today(),
        },
        refused=HOUSING_MANAGE,
        allowed=(("admin", OWN), ("lead_manager", OWN)),
    ),
    "move_in": Entry(
        lambda r, t, me: {
            "episode": r(t, "episode"),
            "unit": r(t, "other_room"),
            "start_date": _today(),
            "kind": "licence",
        },
        ON_A_PERSON,
    ),
    "move_out": Entry(
        lambda r, t, me: {"tenancy": r(t, "tenancy"), "end_date": _today()}, ON_A_PERSON
    ),
    "move_on_plan_save": Entry(
        lambda r, t, me: {"episode": r(t, "episode"), "readiness": "nearly", "barriers": "Debt"},
        ON_A_PERSON,
    ),
    "application_add": Entry(
        lambda r, t, me: {
            "plan": r(t, "move_on"),
            "route": "private",
            "band": "",
            "applied_on": _today(),
            "status": "preparing",
            "status_on": _today(),
        },
        ON_A_PERSON,
    ),
    "application_update": Entry(
        lambda r, t, me: {
            "application": r(t, "application"),
            "status": "accepted",
            "status_on": _today(),
            "note": "On the list",
        },
        ON_A_PERSON,
    ),
    "sustainment_check": Entry(
        lambda r, t, me: {
            "episode": r(t, "ended"),
            "months": 3,
            "checked_on": _today(),
            "still_housed": True,
            "where": "Same flat",
            "how_known": "person",
        },
        ON_A_PERSON,
    ),
    # --- involvement -----------------------------------------------------------------------------
    "session_record": Entry(
        lambda r, t, me: {
            "service": r(t, "service"),
            "kind": "residents_meeting",
            "title": "Residents' meeting",
            "held_on": _today(),
            "decided": "A new rota for the kitchen.",
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "participant_add": Entry(
        lambda r, t, me: {
            "session": _matrix_session(r, t),
            "person": r(t, "person"),
            "role": "chair",
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "session_update": Entry(
        lambda r, t, me: {
            "session": _matrix_session(r, t),
            "version": 1,
            "kind": "feedback_group",
            "title": "Feedback group",
            "held_on": _days(-1),
            "decided": "A new rota for the kitchen.",
            "notes": "Quiet.",
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "participant_remove": Entry(
        lambda r, t, me: {"participation": _matrix_participation(r, t)},
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "involvement_action_add": Entry(
        lambda r, t, me: {
            "session": _matrix_session(r, t),
            "what": "Fix the washing machine",
            "owner": r(t, "key_worker"),
            "due_on": _days(7),
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "involvement_action_done": Entry(
        lambda r, t, me: {"action": _matrix_involvement_action(r, t), "done_on": _today()},
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "said_did_add": Entry(
        lambda r, t, me: {
            "session": _matrix_session(r, t),
            "you_said": "The kitchen is always busy.",
            "we_did": "A rota.",
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    # --- notices and leaflets -------------------------------------------------------------------
    "notice_create": Entry(
        lambda r, t, me: {
            "service": r(t, "service"),
            "title": "Fire doors",
            "body": "New doors next week.",
            "language": "en",
            "audience": "service",
            "published_on": _today(),
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "notice_update": Entry(
        lambda r, t, me: {
            "notice": _matrix_notice(r, t),
            "version": 1,
            "title": "Fire doors on Tuesday",
            "body": "New doors on Tuesday.",
            "language": "en",
            "audience": "service",
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "notice_withdraw": Entry(
        lambda r, t, me: {"notice": _matrix_notice(r, t), "reason": "Written in error."},
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "receipts_record": Entry(
        lambda r, t, me: {
            "notice": _matrix_notice(r, t),
            "people": [r(t, "person")],
            "received_on": _today(),
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "receipt_acknowledge": Entry(
        lambda r, t, me: {"receipt": _matrix_receipt(r, t), "acknowledged_on": _today()},
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    "notice_file_add": Entry(
        lambda r, t, me: {
            "notice": _matrix_notice(r, t),
            "upload": _upload("leaflet.pdf", b"%PDF-1.4 leaflet"),
            "kind": "easy_read",
        },
        ON_A_PERSON,
        allowed=(("worker", OWN), ("support_assistant", OWN)),
    ),
    # --- activities ----------------------------------------------------------------------------
    "activity_add": Entry(
        lambda r, t, me: {
            "person": r(t, "person"),
            "kind": "volunteering",
            "title": "Food bank",
            "provider": "The church",
            "start_date": _today(),
        },
        ON_A_PERSON,
    ),
    "event_add": Entry(
        lambda r, t, me: {
            "activity": r(t, "activity"),
            "kind": "completed",
            "happened_on": _today(),
        },
        ON_A_PERSON,
    ),
    # --- the organisation's set-up -------------------------------------------------------------
    "area_save": Entry(
        lambda r, t, me: {"area": _area(r, t), "name": "Matrix area", "kind": "council_area"},
        refused=(*SETTING_UP, *MAKING_NEW),
        allowed=(("admin", OWN), ("admin", NEW)),
    ),
    "service_save": Entry(
        lambda r, t, me: {
            "service": _service(r, t),
            "name": "Matrix service",
            "type": "floating",
            "area": _area_of(me) if t == NEW else r(t, "area"),
            "commissioner": "",
            "note_interval_days": 7,
            "plan_review_weeks": 12,
            "risk_review_weeks": 12,
        },
        refused=(*SETTING_UP, *MAKING_NEW),
        allowed=(("admin", OWN), ("admin", NEW)),
    ),
    "team_save": Entry(
        lambda r, t, me: {
            "team": _team(r, t),
            "name": "Matrix team",
            "services": [_home_service(me) if t == NEW else r(t, "service")],
        },
        refused=(*SETTING_UP, *MAKING_NEW),
        allowed=(("admin", OWN), ("admin", NEW)),
    ),
    "service_archive": Entry(
        lambda r, t, me: {"service": r(t, "service")}, refused=SETTING_UP, allowed=BY_ADMIN
    ),
    "team_archive": Entry(
        lambda r, t, me: {"team": r(t, "team")}, refused=SETTING_UP, allowed=BY_ADMIN
    ),
    # --- staff ---------------------------------------------------------------------------------
    "invitation_create": Entry(
        lambda r, t, me: {
            "email": f"starter-{me.pk}@keywork.test",
            "full_name": "Nell Starter",
            "role": Role.SUPPORT_WORKER,
            "team": me.organisation.teams.first(),
        },
        refused=MAKING_NEW,
        allowed=(("admin", NEW),),
    ),
    "invitation_revoke": Entry(
        lambda r, t, me: {"invitation": r(t, "invitation")}, refused=SETTING_UP, allowed=BY_ADMIN
    ),
    "membership_add": Entry(
        lambda r, t, me: {
            "user": r(t, "staff"),
            "role": Role.SENIOR_PRACTITIONER,
            "team": r(t, "team"),
        },
        refused=SETTING_UP,
        allowed=BY_ADMIN,
    ),
    "membership_remove": Entry(
        lambda r, t, me: {"membership": r(t, "staff_membership")},
        refused=SETTING_UP,
        allowed=BY_ADMIN,
    ),
    "user_deactivate": Entry(
        lambda r, t, me: {"user": r(t, "staff")}, refused=SETTING_UP, allowed=BY_ADMIN
    ),
    # --- imports -------------------------------------------------------------------------------
    "import_upload": Entry(
        lambda r, t, me: {"upload": _upload("people.csv", b"First name,Last name\nAnn,Bee\n")},
        refused=(("worker", NEW), ("senior", NEW), ("commissioner", NEW)),
        allowed=(("admin", NEW), ("lead_manager", NEW)),
    ),
    "import_set_mapping": Entry(
        _import_mapping,
        refused=IMPORTING,
        allowed=BY_ADMIN,
    ),
    "import_start_check": Entry(_import_job, refused=IMPORTING, allowed=BY_ADMIN),
    "import_start": Entry(
        lambda r, t, me: _import_job(r, t, me, status=ImportJob.Status.CHECKED),
        refused=IMPORTING,
        allowed=BY_ADMIN,
    ),
}


# --- Finding the services ------------------------------------------------------------------


def public_services() -> dict[str, Callable]:
    """Every public function of keywork's modules (not its tests) taking a keyword-only
    actor, by name."""
    import keywork.urls  # noqa: F401  (registers the URL converters the apps' urls use)

    found: dict[str, Callable] = {}
    for module_info in pkgutil.walk_packages(keywork.__path__, "keywork."):
        parts = module_info.name.split(".")
        if "tests" in parts or "migrations" in parts or parts[1] == "testing":
            continue
        module = importlib.import_module(module_info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            actor = inspect.signature(function).parameters.get("actor")
            if actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY:
                assert name not in found, f"two services are called {name}"
                found[name] = function
    return found


SERVICES = public_services()


def test_it_knows_every_public_service():
    declared = set(MATRIX) | RECORDERS | ON_THE_ACTORS_OWN
    missing = sorted(set(SERVICES) - declared)
    gone = sorted(declared - set(SERVICES))
    assert not missing, f"public services missing from the matrix: {', '.join(missing)}"
    assert not gone, f"the matrix declares services that no longer exist: {', '.join(gone)}"


# --- Watching a call --------------------------------------------------------------------------

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class Watch:
    """While a service runs: every write it sends to the database, and inside which of its
    own transactions (atomic blocks entered during the call, numbered from 1) it was
    made; optionally, the n-th write fails."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at
        self.writes: list[int | None] = []
        self.depth = 0
        self.blocks = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip()[:7].upper().startswith(WRITES):
            self.writes.append(self.blocks if self.depth else None)
            if len(self.writes) == self.fail_at:
                raise DatabaseError("The matrix makes this write fail.")
        return execute(sql, params, many, context)

    def run(self, monkeypatch, service: Callable, kwargs: dict):
        enter, leave = transaction.Atomic.__enter__, transaction.Atomic.__exit__

        def entering(atomic):
            if self.depth == 0:
                self.blocks += 1
            self.depth += 1
            return enter(atomic)

        def leaving(atomic, *exc):
            try:
                return leave(atomic, *exc)
            finally:
                self.depth -= 1

        with monkeypatch.context() as patch, connection.execute_wrapper(self):
            patch.setattr(transaction.Atomic, "__enter__", entering)
            patch.setattr(transaction.Atomic, "__exit__", leaving)
            return service(**kwargs)

    @property
    def in_one_transaction(self) -> bool:
        # A single write is all or nothing on its own.
        return len(self.writes) < 2 or (None not in self.writes and len(set(self.writes)) == 1)


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def row_counts() -> dict[str, int]:
    """The number of rows of every model's table, in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _files() -> set[Path]:
    folder = Path(settings.KEYWORK_PRIVATE_DIR)
    return set(folder.rglob("*")) if folder.exists() else set()


def _changed(before: dict[str, int], after: dict[str, int]) -> str:
    return ", ".join(
        f"{table} {before[table]}→{after[table]}"
        for table in before
        if before[table] != after[table]
    )


def _described(error: BaseException) -> str:
    return f"{type(error).__name__}({str(error)[:120]!r})"


class RolledBack(Exception):
    """Raised to leave a savepoint: everything done inside it is undone."""


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise RolledBack
    except RolledBack:
        pass


def _arguments(records: Records, name: str, persona: str, target: str) -> dict:
    """Built before anything is counted: a builder may add the record it needs."""
    me = records.user(persona)
    return {"actor": me, **MATRIX[name].build(records, target, me)}


# --- The matrix ---------------------------------------------------------------------------------


def refusal_problems(records: Records, name: str, persona: str, target: str, monkeypatch):
    """What went wrong when the persona, who may not, called the service on the record."""
    kwargs = _arguments(records, name, persona, target)
    counts, files, watch = row_counts(), _files(), Watch()
    try:
        watch.run(monkeypatch, SERVICES[name], kwargs)
    except NotFoundOrNotAllowed:
        found = [f"wrote {len(watch.writes)} times before refusing"] if watch.writes else []
    except Exception as error:  # noqa: BLE001  (any other answer is what is looked for)
        found = [f"refused with {_described(error)}, not NotFoundOrNotAllowed"]
    else:
        found = ["was let do it"]
    if changed := _changed(counts, row_counts()):
        found.append(f"changed rows ({changed})")
    if new_files := _files() - files:
        found.append(f"left {len(new_files)} files")
    return found


def own_feed_problems(records: Records, name: str, persona: str, monkeypatch) -> list[str]:
    """The calendar feed services name no record: someone else calling them never touches
    the worker's own feed."""
    feed = CalendarFeed.objects.filter(user=records.world.worker)
    before = list(feed.values())
    Watch().run(monkeypatch, SERVICES[name], {"actor": records.user(persona)})
    return [] if list(feed.values()) == before else ["changed the worker's calendar feed"]


def test_it_refuses_outsiders_and_writes_nothing(records, db, monkeypatch):
    problems, checks = [], 0
    for name, entry in sorted(MATRIX.items()):
        for persona, target in entry.refused:
            if getattr(records.world, persona, None) is None:
                continue  # a persona the world does not have (yet)
            checks += 1
            with rolled_back():
                found = refusal_problems(records, name, persona, target, monkeypatch)
            if found:
                problems.append(f"{name} as {persona} ({target}): {'; '.join(found)}")
    for name in sorted(ON_THE_ACTORS_OWN):
        for persona in ("other_org_worker", "other_team_worker", "colleague"):
            checks += 1
            with rolled_back():
                found = own_feed_problems(records, name, persona, monkeypatch)
            if found:
                problems.append(f"{name} as {persona}: {'; '.join(found)}")
    assert not problems, f"{len(problems)} of {checks} refusals went wrong:\n" + "\n".join(problems)


def allowed_problems(records: Records, name: str, persona: str, target: str, watch, monkeypatch):
    """The declared call made by someone allowed: it must succeed (so that the refusals
    are about who asks, not about the arguments) and write in one transaction."""
    kwargs = _arguments(records, name, persona, target)
    try:
        watch.run(monkeypatch, SERVICES[name], kwargs)
    except Exception as error:  # noqa: BLE001
        watch.writes.clear()
        return [f"the declared call fails: {_described(error)}"]
    if not watch.writes:
        return ["the declared call wrote nothing"]
    if not watch.in_one_transaction:
        return [f"writes outside one transaction (in blocks {watch.writes})"]
    return []


def failed_last_write_problems(
    records: Records, name: str, persona: str, target: str, allowed, monkeypatch
) -> list[str]:
    """The same call again, its last write failing: nothing it wrote before may stay."""
    kwargs = _arguments(records, name, persona, target)
    counts, files, found = row_counts(), _files(), []
    try:
        Watch(fail_at=len(allowed.writes)).run(monkeypatch, SERVICES[name], kwargs)
    except DatabaseError:
        pass
    except Exception as error:  # noqa: BLE001
        found.append(f"a failed last write became {_described(error)}")
    else:
        found.append("a failed last write went unnoticed")
    if connection.needs_rollback:
        # No savepoint of the service's own caught the failure. Where all its writes sat
        # in one block anyway (Django's own, around a delete), that block is the
        # transaction outside a test's, and the failure undoes it; otherwise what was
        # written before stays, and is counted (the failed write never reached the
        # database, so the connection can carry on).
        transaction.set_rollback(False)
        if allowed.in_one_transaction:
            return found
    if changed := _changed(counts, row_counts()):
        found.append(f"a failed last write left rows ({changed})")
    if new_files := _files() - files:
        found.append(f"a failed last write left {len(new_files)} files")
    return found


def test_it_lets_allowed_calls_succeed_in_one_transaction_and_a_failed_last_write_leaves_nothing(
    records, db, monkeypatch
):
    problems, checks = [], 0
    for name, entry in sorted(MATRIX.items()):
        for persona, target in entry.allowed:
            checks += 1
            watch = Watch()
            with rolled_back():
                found = allowed_problems(records, name, persona, target, watch, monkeypatch)
            if watch.writes:
                with rolled_back():
                    found += failed_last_write_problems(
                        records, name, persona, target, watch, monkeypatch
                    )
            if found:
                problems.append(f"{name} as {persona} ({target}): {'; '.join(found)}")
    assert not problems, f"{len(problems)} of {checks} allowed calls went wrong:\n" + "\n".join(
        problems
    )
