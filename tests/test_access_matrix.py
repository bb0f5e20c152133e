"""The access matrix: every URL pattern x method x persona (x target, for pages about one
record) against the declared policy below. A URL missing from the policy fails; so does
any answer other than the one declared. What a persona may not see answers 404."""

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from keywork.accounts.models import Invitation, Role
from keywork.imports.models import ImportJob
from keywork.notes.models import Appointment, Attachment, FileNote
from keywork.people.models import Alert, Consent, Episode, EpisodeWorker, Person, Referral
from keywork.planning.models import Action, Goal, PlanVersion, SupportPlan
from keywork.tasks.models import Task
from keywork.testing.personas import PERSONA_NAMES, World, build_world, signed_in_client

OK, NOT_FOUND, SIGN_IN = "ok", "404", "sign-in"
FORBIDDEN, METHOD_NOT_ALLOWED = "403", "405"
SIGNED_IN = frozenset(PERSONA_NAMES) - {"anonymous"}
EVERYONE = frozenset(PERSONA_NAMES)
NOBODY = frozenset()


def _invitation(organisation_of: Callable[[World], object]) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        org = organisation_of(world)
        invitation = Invitation.objects.create(
            organisation=org,
            email=f"new-{org.pk}@keywork.test",
            full_name="New Starter",
            role=Role.ADMINISTRATOR,
            token_hash=f"{org.pk:064d}",
            expires_at=timezone.now() + timezone.timedelta(days=7),
        )
        return {"invitation_id": invitation.pk}

    return make


def _role_of(owner, address) -> dict:
    return {"user_id": address.pk, "membership_id": owner.memberships.get().pk}


def _supported_person(world: World, which: str) -> Person:
    """A person with an open episode (and its referral, an alert and a consent) in the
    worker's service, the other team's service, or another organisation's. In Harbour the
    complex caseworker is allocated to the episode as co-worker."""
    service, key_worker = {
        "own": (world.service, world.worker),
        "other team": (world.other_service, world.other_team_worker),
        "other organisation": (world.other_org_service, world.other_org_worker),
    }[which]
    person = Person.objects.create(
        organisation=service.organisation,
        first_name="Test",
        last_name=f"Person {which}",
        created_by=key_worker,
    )
    referral = Referral.objects.create(
        organisation=service.organisation,
        person=person,
        service=service,
        received_on=timezone.localdate(),
        source="self",
        reason="Matrix",
        status="accepted",
        created_by=key_worker,
    )
    episode = Episode.objects.create(
        organisation=service.organisation,
        person=person,
        service=service,
        referral=referral,
        start_date=timezone.localdate(),
        key_worker=key_worker,
        created_by=key_worker,
    )
    if which != "other organisation":
        EpisodeWorker.objects.create(episode=episode, user=world.complex_caseworker)
    Alert.objects.create(person=person, text="Matrix alert", created_by=key_worker)
    Consent.objects.create(
        person=person, shared_with="GP", purpose="Care", given_on=timezone.localdate()
    )
    return person


def _person_target(which: str, part: str | None = None) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        person = _supported_person(world, which)
        if part is None:
            return {"person_id": person.pk}
        if part == "alert":
            return {"person_id": person.pk, "alert_id": person.alerts.get().pk}
        if part == "consent":
            return {"person_id": person.pk, "consent_id": person.consents.get().pk}
        if part == "referral":
            return {"referral_id": person.referrals.get().pk}
        return {"episode_id": person.episodes.get().pk}

    return make


def _import_job(
    organisation_of: Callable[[World], object],
    service_of: Callable[[World], object] | None = None,
) -> Callable[[World], dict]:
    """An administrator's import; with `service_of`, checked, every row for that service."""

    def make(world: World) -> dict:
        org = organisation_of(world)
        creator = world.admin if org == world.organisation else world.other_org_admin
        service = service_of(world) if service_of else None
        job = ImportJob.objects.create(
            organisation=org,
            created_by=creator,
            original_name="people.csv",
            stored_name=f"matrix-{org.pk}-{service.pk if service else 0}.csv",
            file_format="csv",
            headers=["First name", "Last name"],
            mapping={"first_name": "First name", "last_name": "Last name"},
            beyond_services=service is None,
        )
        if service is not None:
            job.services.set([service])
        return {"job_id": job.pk}

    return make


def _note_target(which: str, restricted: bool = False) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        person = _supported_person(world, which)
        episode = person.episodes.get()
        note = FileNote.objects.create(
            organisation=person.organisation,
            person=person,
            episode=episode,
            contact_type="phone",
            contact_at=timezone.now(),
            subject="Matrix note",
            text="Matrix",
            author=episode.key_worker,
            recorded_at=timezone.now(),
            restricted=restricted,
        )
        return {"note_id": note.pk}

    return make


def _appointment_target(which: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        person = _supported_person(world, which)
        episode = person.episodes.get()
        appointment = Appointment.objects.create(
            organisation=person.organisation,
            person=person,
            episode=episode,
            starts_at=timezone.now(),
            created_by=episode.key_worker,
        )
        appointment.staff.add(episode.key_worker)
        return {"appointment_id": appointment.pk}

    return make


def _calendar_token(world: World) -> dict:
    from keywork.notes.appointments import calendar_feed_issue

    return {"token": calendar_feed_issue(actor=world.worker)}


def _task_target(owner: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        user = getattr(world, owner)
        task = Task.objects.create(
            organisation=user.organisation,
            assigned_to=user,
            title="Matrix task",
            due_on=timezone.localdate(),
            created_by=user,
        )
        return {"task_id": task.pk}

    return make


def _attachment_target(which: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        from keywork.notes.attachments import path_of

        note = FileNote.objects.get(pk=_note_target(which)(world)["note_id"])
        item = Attachment.objects.create(
            note=note,
            original_name="letter.pdf",
            stored_name=f"matrix-{note.pk}",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            uploaded_by=note.author,
        )
        path_of(item).write_bytes(b"%PDF-1.7\n")
        return {"attachment_id": item.pk}

    return make


def _plan_target(which: str, part: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        from keywork.outcomes.services import shipped_framework

        person = _supported_person(world, which)
        episode = person.episodes.get()
        framework = shipped_framework()
        plan = SupportPlan.objects.create(
            organisation=person.organisation,
            person=person,
            episode=episode,
            framework=framework,
            next_review_on=timezone.localdate(),
            created_by=episode.key_worker,
        )
        goal = Goal.objects.create(plan=plan, domain=framework.domains.first(), in_own_words="x")
        action = Action.objects.create(
            goal=goal, what="y", owner="person", due_on=timezone.localdate()
        )
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            frozen_at=timezone.now(),
            frozen_by=episode.key_worker,
            reason="Agreed",
            snapshot={"goals": []},
        )
        return {
            "plan": {"plan_id": plan.pk},
            "version": {"plan_id": plan.pk, "number": 1},
            "goal": {"goal_id": goal.pk},
            "action": {"action_id": action.pk},
        }[part]

    return make


def _assessment_target(which: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        from keywork.outcomes.services import shipped_framework
        from keywork.planning.models import Assessment

        person = _supported_person(world, which)
        episode = person.episodes.get()
        assessment = Assessment.objects.create(
            organisation=person.organisation,
            person=person,
            episode=episode,
            framework=shipped_framework(),
            assessed_on=timezone.localdate(),
            assessed_by=episode.key_worker,
        )
        return {"assessment_id": assessment.pk}

    return make


def _risk_target(which: str, part: str) -> Callable[[World], dict]:
    """A person's risk assessment version, an incident they were in (reported by their
    key worker), their part in it, or a safeguarding referral about them."""

    def make(world: World) -> dict:
        from keywork.risk.models import (
            Incident,
            IncidentPerson,
            RiskAssessment,
            RiskVersion,
            SafeguardingReferral,
        )

        person = _supported_person(world, which)
        episode = person.episodes.get()
        worker, service = episode.key_worker, episode.service
        if part == "risk version":
            assessment = RiskAssessment.objects.create(
                organisation=person.organisation,
                person=person,
                overall="low",
                review_on=timezone.localdate(),
                updated_by=worker,
                updated_at=timezone.now(),
            )
            RiskVersion.objects.create(
                assessment=assessment,
                number=1,
                saved_by=worker,
                saved_at=timezone.now(),
                overall="low",
                snapshot={"areas": []},
            )
            return {"person_id": person.pk, "number": 1}
        if part == "safeguarding":
            referral = SafeguardingReferral.objects.create(
                organisation=person.organisation,
                person=person,
                service=service,
                about="adult",
                concern="Matrix",
                referred_to="Council",
                referred_on=timezone.localdate(),
                created_by=worker,
            )
            return {"referral_id": referral.pk}
        incident = Incident.objects.create(
            organisation=person.organisation,
            service=service,
            type="other",
            severity="low",
            occurred_at=timezone.now(),
            place="Matrix",
            what_happened="Matrix",
            immediate_action="Matrix",
            reported_by=worker,
            reported_at=timezone.now(),
        )
        their_part = IncidentPerson.objects.create(incident=incident, person=person)
        if part == "incident":
            return {"incident_id": incident.pk}
        return {"part_id": their_part.pk}

    return make


def _housing_target(which: str, part: str) -> Callable[[World], dict]:
    """A property in the service, or a person's stay, housing application or activity."""

    def make(world: World) -> dict:
        from keywork.activities.models import Activity
        from keywork.housing.models import HousingApplication, MoveOnPlan, Property, Tenancy, Unit

        service = {
            "own": world.service,
            "other team": world.other_service,
            "other organisation": world.other_org_service,
        }[which]
        house = Property.objects.create(
            organisation=service.organisation,
            service=service,
            name=f"Matrix {which}",
            address="1 Street",
            type="hostel",
        )
        if part == "property":
            return {"property_id": house.pk}
        person = _supported_person(world, which)
        episode = person.episodes.get()
        if part == "tenancy":
            unit = Unit.objects.create(property=house, name="Room", opened_on=episode.start_date)
            stay = Tenancy.objects.create(
                episode=episode,
                person=person,
                unit=unit,
                kind="licence",
                start_date=episode.start_date,
                created_by=episode.key_worker,
            )
            return {"tenancy_id": stay.pk}
        if part == "application":
            plan = MoveOnPlan.objects.create(episode=episode, person=person, readiness="ready")
            application = HousingApplication.objects.create(
                plan=plan,
                route="council",
                applied_on=timezone.localdate(),
                status="submitted",
                status_on=timezone.localdate(),
            )
            return {"application_id": application.pk}
        activity = Activity.objects.create(
            person=person,
            kind="course",
            title="Matrix",
            start_date=timezone.localdate(),
            created_by=episode.key_worker,
        )
        return {"activity_id": activity.pk}

    return make


def _notice_target(which: str, part: str) -> Callable[[World], dict]:
    """A notice for everyone in the service, its file, or a person's receipt of it."""

    def make(world: World) -> dict:
        from keywork.notices.models import Notice, NoticeFile, Receipt
        from keywork.notices.services import path_of

        person = _supported_person(world, which)
        episode = person.episodes.get()
        notice = Notice.objects.create(
            organisation=episode.service.organisation,
            service=episode.service,
            title=f"Matrix notice {which}",
            body="Plain words.",
            audience="service",
            published_on=timezone.localdate(),
            created_by=episode.key_worker,
        )
        if part == "notice":
            return {"notice_id": notice.pk}
        if part == "notice file":
            item = NoticeFile.objects.create(
                notice=notice,
                original_name="leaflet.pdf",
                stored_name=f"matrix{notice.pk:08d}",
                content_type="application/pdf",
                size=9,
                sha256="0" * 64,
                uploaded_by=episode.key_worker,
            )
            path_of(item).write_bytes(b"%PDF-1.4\n")
            return {"file_id": item.pk}
        receipt = Receipt.objects.create(
            notice=notice,
            person=person,
            received_on=timezone.localdate(),
            given_by=episode.key_worker,
        )
        return {"receipt_id": receipt.pk}

    return make


def _events_target(which: str, part: str) -> Callable[[World], dict]:
    """An event of the service, yesterday's session of it, or a person's place on it (a
    person supported by the service, planted on the session's list)."""

    def make(world: World) -> dict:
        from datetime import time

        from keywork.events.models import Event, Session, SignUp

        person = _supported_person(world, which)
        episode = person.episodes.get()
        event = Event.objects.create(
            organisation=episode.service.organisation,
            title=f"Matrix group {which}",
            kind="social",
            venue="Matrix hall",
            capacity=5,
            first_date=timezone.localdate(),
            starts_at=time(10, 0),
            ends_at=time(11, 0),
            created_by=episode.key_worker,
        )
        event.services.set([episode.service])
        if part == "service":
            return {"service_id": episode.service_id}
        if part == "event":
            return {"event_id": event.pk}
        starts_at = timezone.now() - timezone.timedelta(days=1)
        session = Session.objects.create(
            event=event,
            starts_at=starts_at,
            ends_at=starts_at + timezone.timedelta(hours=1),
            venue="Matrix hall",
        )
        place = SignUp.objects.create(
            session=session,
            person=person,
            status="place",
            signed_up_at=starts_at - timezone.timedelta(days=1),
            signed_up_by=episode.key_worker,
        )
        if part == "session":
            return {"session_id": session.pk}
        return {"sign_up_id": place.pk}

    return make


def _events_feed(world: World) -> dict:
    from keywork.events.services import events_feed_issue

    return {"token": events_feed_issue(actor=world.worker, service=world.service)}


def _involvement_target(which: str, part: str) -> Callable[[World], dict]:
    """A residents' meeting of the service, with one person taking part and an action."""

    def make(world: World) -> dict:
        from keywork.involvement.models import InvolvementAction, InvolvementSession, Participation

        person = _supported_person(world, which)
        episode = person.episodes.get()
        session = InvolvementSession.objects.create(
            organisation=episode.service.organisation,
            service=episode.service,
            kind="residents_meeting",
            title=f"Matrix meeting {which}",
            held_on=timezone.localdate(),
            created_by=episode.key_worker,
        )
        took_part = Participation.objects.create(
            session=session, person=person, added_by=episode.key_worker
        )
        if part == "session":
            return {"session_id": session.pk}
        if part == "participation":
            return {"participation_id": took_part.pk}
        action = InvolvementAction.objects.create(
            session=session,
            what="Fix the washing machine",
            owner=episode.key_worker,
            due_on=timezone.localdate(),
            created_by=episode.key_worker,
        )
        return {"action_id": action.pk}

    return make


def _framework_target(which: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        from keywork.outcomes.models import Domain, Framework, Stage
        from keywork.outcomes.services import shipped_framework

        if which == "shipped":
            return {"framework_id": shipped_framework().pk}
        organisation = world.organisation if which == "own" else world.other_organisation
        framework = Framework.objects.create(organisation=organisation, name=f"Matrix {which}")
        Domain.objects.create(framework=framework, name="Home")
        Stage.objects.create(framework=framework, label="Whole scale", low=1, high=10)
        return {"framework_id": framework.pk}

    return make


def _pair_target(which: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        first, second = _supported_person(world, which), _supported_person(world, which)
        return {"person_id": first.pk, "other_id": second.pk}

    return make


def _training_target(which: str, part: str) -> Callable[[World], dict]:
    """A course of the organisation; a member of staff (the colleague, the other team's
    worker, Elsewhere's worker) who did it, with a certificate planted in the record
    ("Matrix planted provider"), and a booking of it."""

    def make(world: World) -> dict:
        from keywork.training.models import Booking, Course, TrainingRecord
        from keywork.training.services import certificate_path

        trainee = {"own": world.colleague, "other team": world.other_team_worker}.get(
            which, world.other_org_worker
        )
        course = Course.objects.create(
            organisation=trainee.organisation,
            name=f"Matrix course {which} {part}",
            renewal_months=12,
            created_by=trainee,
        )
        if part == "course":
            return {"course_id": course.pk}
        record = TrainingRecord.objects.create(
            organisation=trainee.organisation,
            staff=trainee,
            course=course,
            completed_on=timezone.localdate(),
            expires_on=timezone.localdate() + timezone.timedelta(days=365),
            provider="Matrix planted provider",
            certificate_name="cert.pdf",
            certificate_stored_name=f"matrix{course.pk:058d}",
            certificate_type="application/pdf",
            certificate_size=8,
            recorded_by=trainee,
        )
        certificate_path(record).write_bytes(b"%PDF-1.4")
        if part == "record":
            return {"record_id": record.pk}
        if part == "staff":
            return {"user_id": trainee.pk}
        booking = Booking.objects.create(
            organisation=trainee.organisation,
            staff=trainee,
            course=course,
            booked_for=timezone.localdate() + timezone.timedelta(days=10),
            booked_by=trainee,
        )
        return {"booking_id": booking.pk}

    return make


def _supervision_target(which: str, part: str) -> Callable[[World], dict]:
    """The worker, supervised by the senior practitioner with the lead manager standing
    in (or, elsewhere, the other organisation's worker by its administrator): a
    supervision held and not yet agreed, with an action agreed in it, a later one that
    carries the action over and reviews a development goal, and an assessment."""

    def make(world: World) -> dict:
        from keywork.supervision.models import (
            AgreedAction,
            Arrangement,
            Assessment,
            DevelopmentGoal,
            Supervision,
        )
        from keywork.supervision.services import shipped_competency_framework

        today = timezone.localdate()
        if which == "own":
            member, supervisor, stand_in = world.worker, world.senior, world.lead_manager
        else:
            member, supervisor, stand_in = world.other_org_worker, world.other_org_admin, None
        org = member.organisation
        Arrangement.objects.get_or_create(
            supervisee=member,
            defaults={"organisation": org, "supervisor": supervisor, "stand_in": stand_in},
        )
        if part == "member":
            return {"user_id": member.pk}
        held = Supervision.objects.create(
            organisation=org,
            supervisee=member,
            supervisor=supervisor,
            scheduled_for=today - timezone.timedelta(days=30),
            held_on=today - timezone.timedelta(days=30),
            wellbeing="Matrix wellbeing",
            created_by=supervisor,
        )
        if part == "supervision":
            return {"supervision_id": held.pk}
        if part == "assessment":
            assessment = Assessment.objects.create(
                organisation=org,
                framework=shipped_competency_framework(),
                staff_member=member,
                occasion="any_time",
                assessed_on=today,
                created_by=supervisor,
            )
            return {"assessment_id": assessment.pk}
        later = Supervision.objects.create(
            organisation=org,
            supervisee=member,
            supervisor=supervisor,
            scheduled_for=today,
            created_by=supervisor,
        )
        if part == "action":
            action = AgreedAction.objects.create(
                supervision=held, text="Matrix action", owner=member, due_on=today
            )
            return {"supervision_id": later.pk, "action_id": action.pk}
        goal = DevelopmentGoal.objects.create(
            organisation=org,
            staff_member=member,
            goal="Matrix goal",
            due_on=today,
            created_by=member,
        )
        return {"supervision_id": later.pk, "goal_id": goal.pk}

    return make


def _competency_framework_target(which: str) -> Callable[[World], dict]:
    def make(world: World) -> dict:
        from keywork.supervision.models import CompetencyFramework
        from keywork.supervision.services import shipped_competency_framework

        if which == "shipped":
            return {"framework_id": shipped_competency_framework().pk}
        org = world.organisation if which == "own" else world.other_organisation
        framework = CompetencyFramework.objects.create(organisation=org, name=f"Matrix {which}")
        return {"framework_id": framework.pk}

    return make


# Targets: how to build the URL's arguments for one record, from the test world.
def _oncall_target(which: str, part: str) -> Callable[[World], dict]:
    """A rota covering the service, a shift on it for the service's key worker (on now),
    a call they logged about a person the service supports, and its follow-up."""

    def make(world: World) -> dict:
        from keywork.oncall.models import FollowUp, LogEntry, Rota, Shift

        person = _supported_person(world, which)
        episode = person.episodes.get()
        rota = Rota.objects.create(
            organisation=episode.service.organisation,
            name=f"Matrix rota {which}",
            created_by=episode.key_worker,
        )
        rota.services.set([episode.service])
        if part == "rota":
            return {"rota_id": rota.pk}
        now = timezone.now()
        shift = Shift.objects.create(
            rota=rota,
            worker=episode.key_worker,
            starts_at=now - timezone.timedelta(hours=1),
            ends_at=now + timezone.timedelta(hours=7),
        )
        if part == "shift":
            return {"shift_id": shift.pk}
        entry = LogEntry.objects.create(
            organisation=rota.organisation,
            rota=rota,
            shift=shift,
            written_by=episode.key_worker,
            call_at=now - timezone.timedelta(minutes=30),
            caller="person",
            person=person,
            service=episode.service,
            what_happened="Matrix call",
        )
        if part == "entry":
            return {"entry_id": entry.pk}
        follow_up = FollowUp.objects.create(
            entry=entry, assigned_to=episode.key_worker, what="Matrix follow-up", due_on=now.date()
        )
        return {"follow_up_id": follow_up.pk}

    return make


def _complaint_target(which: str) -> Callable[[World], dict]:
    """A complaint from a person the service supports about a member of its staff (in
    Harbour the worker's colleague, who may see it nowhere), logged by the service's key
    worker, its stage 1 acknowledged and answered by a manager of the service."""

    def make(world: World) -> dict:
        from keywork.feedback.models import Complaint, Point, Stage

        person = _supported_person(world, which)
        episode = person.episodes.get()
        service = episode.service
        about, handler = {
            "own": (world.colleague, world.senior),
            "other team": (None, world.other_lead_manager),
            "other organisation": (None, world.other_org_worker),
        }[which]
        received = timezone.localdate() - timezone.timedelta(days=30)
        complaint = Complaint.objects.create(
            organisation=service.organisation,
            service=service,
            who=Complaint.Who.PERSON,
            person=person,
            how=Complaint.How.PHONE,
            about=Complaint.About.STAFF if about else Complaint.About.SERVICE,
            about_staff=about,
            summary="Matrix planted complaint",
            wanted="Matrix",
            received_on=received,
            logged_by=episode.key_worker,
        )
        stage = Stage.objects.create(
            complaint=complaint,
            number=1,
            opened_on=received,
            handler=handler,
            acknowledged_on=received + timezone.timedelta(days=1),
            responded_on=received + timezone.timedelta(days=8),
            decision="Matrix decision",
        )
        Point.objects.create(stage=stage, what="Matrix point", outcome="upheld")
        return {"complaint_id": complaint.pk}

    return make


def _stage_of(which: str) -> Callable[[World], dict]:
    return lambda world: _complaint_target(which)(world) | {"number": 1}


TARGETS: dict[str, Callable[[World], dict]] = {
    "none": lambda w: {},
    **{
        f"{which} complaint": _complaint_target(which)
        for which in ("own", "other team", "other organisation")
    },
    **{
        f"{which} complaint stage": _stage_of(which)
        for which in ("own", "other team", "other organisation")
    },
    **{
        f"incidents {which}": lambda w, which=which: {"which": which}
        for which in ("waiting", "signed-off", "by-month", "safeguarding")
    },
    "colleague": lambda w: {"user_id": w.colleague.pk},
    "other team's worker": lambda w: {"user_id": w.other_team_worker.pk},
    "other organisation's worker": lambda w: {"user_id": w.other_org_worker.pk},
    "the administrator": lambda w: {"user_id": w.admin.pk},
    "own area": lambda w: {"area_id": w.service.area_id},
    "other organisation's area": lambda w: {"area_id": w.other_org_service.area_id},
    "own service": lambda w: {"service_id": w.service.pk},
    "other organisation's service": lambda w: {"service_id": w.other_org_service.pk},
    "own team": lambda w: {"team_id": w.team.pk},
    "other organisation's team": lambda w: {"team_id": w.other_org_team.pk},
    "own invitation": _invitation(lambda w: w.organisation),
    "other organisation's invitation": _invitation(lambda w: w.other_organisation),
    "unknown token": lambda w: {"token": "not-a-real-invitation-token"},
    "colleague's role": lambda w: _role_of(w.colleague, w.colleague),
    "other organisation's worker's role": lambda w: _role_of(
        w.other_org_worker, w.other_org_worker
    ),
    # A real role id, under the wrong person's address.
    "a role of someone else": lambda w: _role_of(w.colleague, w.worker),
    "other team's service": lambda w: {"service_id": w.other_service.pk},
    "other team": lambda w: {"team_id": w.other_team.pk},
    "own import": _import_job(lambda w: w.organisation, lambda w: w.service),
    "import for the other team's service": _import_job(
        lambda w: w.organisation, lambda w: w.other_service
    ),
    "import not yet checked": _import_job(lambda w: w.organisation),
    "own framework": _framework_target("own"),
    "other organisation's framework": _framework_target("other organisation"),
    "shipped framework": _framework_target("shipped"),
    "own pair": _pair_target("own"),
    **{
        f"{which} {part}": _plan_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("plan", "version", "goal", "action")
    },
    **{
        f"{which} assessment": _assessment_target(which)
        for which in ("own", "other team", "other organisation")
    },
    **{
        f"{which} {part}": _risk_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("risk version", "safeguarding", "incident", "incident part")
    },
    **{
        f"{which} {part}": _housing_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("property", "tenancy", "application", "activity")
    },
    **{
        f"{which} {part}": _notice_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("notice", "notice file", "receipt")
    },
    **{
        f"{which} events {part}": _events_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("service", "event", "session", "sign-up")
    },
    "service's events calendar": _events_feed,
    **{
        f"{which} oncall {part}": _oncall_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("rota", "shift", "entry", "follow-up")
    },
    **{
        f"{which} involvement {part}": _involvement_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("session", "action", "participation")
    },
    **{
        f"{which} training {part}": _training_target(which, part)
        for which in ("own", "other team", "other organisation")
        for part in ("course", "record", "staff", "booking")
    },
    **{
        f"{which} supervision {part}": _supervision_target(which, part)
        for which in ("own", "other organisation")
        for part in ("member", "supervision", "assessment", "action", "goal")
    },
    **{
        f"{which} competency framework": _competency_framework_target(which)
        for which in ("shipped", "own", "other organisation")
    },
    "own attachment": _attachment_target("own"),
    "other team attachment": _attachment_target("other team"),
    "other organisation attachment": _attachment_target("other organisation"),
    "worker's task": _task_target("worker"),
    "other organisation's task": _task_target("other_org_worker"),
    "own appointment": _appointment_target("own"),
    "other team appointment": _appointment_target("other team"),
    "other organisation appointment": _appointment_target("other organisation"),
    "worker's calendar": _calendar_token,
    "unknown calendar": lambda w: {"token": "no-such-calendar"},
    "own note": _note_target("own"),
    "own restricted note": _note_target("own", restricted=True),
    "other team note": _note_target("other team"),
    "other organisation note": _note_target("other organisation"),
    "other team pair": _pair_target("other team"),
    "other organisation pair": _pair_target("other organisation"),
    "other organisation's import": _import_job(lambda w: w.other_organisation),
    **{
        f"{which} {part or 'person'}".replace("own person", "own team's person"): _person_target(
            which, part
        )
        for which in ("own", "other team", "other organisation")
        for part in (None, "alert", "consent", "referral", "episode")
    },
}


@dataclass(frozen=True)
class Rule:
    """Who gets an ordinary answer; every other signed-in persona gets 404 and an
    anonymous visitor is sent to sign in, unless `anonymous` says otherwise."""

    allowed: frozenset[str]
    methods: tuple[str, ...] = ("GET", "POST")
    target: str = "none"
    anonymous: str = SIGN_IN
    allowed_answer: str = OK


ADMIN = frozenset({"admin"})
IMPORTERS = frozenset({"lead_manager", "other_lead_manager", "admin"})
# A note's author (the key worker) and the service's managers.
NOTE_KEEPERS = frozenset({"worker", "senior", "lead_manager"})
OTHER_NOTE_KEEPERS = frozenset({"other_team_worker", "other_lead_manager"})
CASEWORKERS = frozenset(
    {
        "worker",
        "colleague",
        "support_assistant",
        "other_team_worker",
        "complex_caseworker",
        "other_org_worker",
        "senior",
        "lead_manager",
        "other_lead_manager",
    }
)
# Staff of the team whose service holds the person's open episode.
OWN_TEAM = frozenset({"worker", "colleague", "support_assistant", "senior", "lead_manager"})
# The complex caseworker, of the other team, is allocated as co-worker to every "own"
# and "other team" person (_supported_person): they see those cases, and no others.
ON_OWN_CASES = OWN_TEAM | {"complex_caseworker"}
# The other team's staff, and the lead manager of its service.
OTHER_TEAM = frozenset({"other_team_worker", "complex_caseworker", "other_lead_manager"})
# Of those, the ones whose role reaches the service itself: a complex caseworker reaches
# only the cases allocated to them, never their team's services.
OTHER_TEAM_SERVICE = OTHER_TEAM - {"complex_caseworker"}
OTHER_ORG = frozenset({"other_org_worker"})


def _person_rules(
    part: str | None,
    *,
    own: frozenset[str] = ON_OWN_CASES,
    other: frozenset[str] = OTHER_TEAM,
    methods: tuple[str, ...] = ("GET", "POST"),
) -> list["Rule"]:
    """A page about one person or a part of their record: for those working on the
    case (`own` for the worker's team's person), in the other team, or elsewhere."""
    suffix = part or "person"
    own_target = "own team's person" if part is None else f"own {suffix}"
    return [
        Rule(own, methods=methods, target=own_target),
        Rule(other, methods=methods, target=f"other team {suffix}"),
        Rule(OTHER_ORG, methods=methods, target=f"other organisation {suffix}"),
    ]


MANAGERS = frozenset({"senior", "lead_manager", "other_lead_manager", "admin"})


def _whole_incident_rules(target: str) -> list["Rule"]:
    """The whole of an incident: for its reporter (the key worker) and the managers of
    its service; anyone else, even a colleague who may see the person, gets 404."""
    return [
        Rule(NOTE_KEEPERS, target=f"own {target}"),
        Rule(OTHER_NOTE_KEEPERS, target=f"other team {target}"),
        Rule(OTHER_ORG, target=f"other organisation {target}"),
    ]


OWN_MANAGERS = frozenset({"senior", "lead_manager"})
OTHER_MANAGERS = frozenset({"other_lead_manager"})


def _oncall_rules(
    part: str,
    own: frozenset[str],
    other: frozenset[str],
    elsewhere: frozenset[str],
    *,
    methods: tuple[str, ...] = ("GET", "POST"),
    answer: str = OK,
) -> list["Rule"]:
    return [
        Rule(own, methods=methods, target=f"own oncall {part}", allowed_answer=answer),
        Rule(other, methods=methods, target=f"other team oncall {part}", allowed_answer=answer),
        Rule(
            elsewhere,
            methods=methods,
            target=f"other organisation oncall {part}",
            allowed_answer=answer,
        ),
    ]


# Training: staff in a team and administrators have its pages; a member of staff's own
# training is theirs to read, and their line managers' and the administrators' to read
# and record; administrators and lead managers keep the catalogue.
TRAINING_USERS = SIGNED_IN - {"commissioner"}
CATALOGUE_KEEPERS = frozenset({"lead_manager", "other_lead_manager", "admin"})
OWN_TRAINING_RECORDERS = frozenset({"senior", "lead_manager", "admin"})
OTHER_TRAINING_RECORDERS = frozenset({"other_lead_manager", "admin"})


def _training_rules(
    part: str,
    own: frozenset[str],
    other: frozenset[str],
    elsewhere: frozenset[str],
    *,
    methods: tuple[str, ...] = ("GET", "POST"),
    answer: str = OK,
) -> list["Rule"]:
    return [
        Rule(own, methods=methods, target=f"own training {part}", allowed_answer=answer),
        Rule(other, methods=methods, target=f"other team training {part}", allowed_answer=answer),
        Rule(
            elsewhere,
            methods=methods,
            target=f"other organisation training {part}",
            allowed_answer=answer,
        ),
    ]


SUPERVISION_SEERS = frozenset({"worker", "senior", "lead_manager"})
SUPERVISION_HOLDERS = frozenset({"senior", "lead_manager"})

POLICY: dict[str, list[Rule]] = {
    "home:home": [Rule(SIGNED_IN)],
    # Complaints: casework staff log them; the service's managers and whoever logged one
    # read it, its managers handle it, and the member of staff it is about (in Harbour
    # the colleague) gets 404 everywhere.
    "feedback:complaints": [Rule(CASEWORKERS, methods=("GET",))],
    "feedback:complaint_new": [Rule(CASEWORKERS)],
    "feedback:complaint": [
        Rule(NOTE_KEEPERS, methods=("GET",), target="own complaint"),
        Rule(OTHER_NOTE_KEEPERS, methods=("GET",), target="other team complaint"),
        Rule(OTHER_ORG, methods=("GET",), target="other organisation complaint"),
    ],
    "feedback:escalate": [
        Rule(OWN_MANAGERS, target="own complaint"),
        Rule(OTHER_MANAGERS, target="other team complaint"),
        Rule(NOBODY, target="other organisation complaint"),
    ],
    **{
        name: [
            Rule(OWN_MANAGERS, methods=methods, target="own complaint stage"),
            Rule(OTHER_MANAGERS, methods=methods, target="other team complaint stage"),
            Rule(NOBODY, methods=methods, target="other organisation complaint stage"),
        ]
        for name, methods in (
            ("feedback:acknowledge", ("GET", "POST")),
            ("feedback:extend", ("GET", "POST")),
            ("feedback:respond", ("GET", "POST")),
            ("feedback:letter", ("GET",)),
        )
    },
    # Supervision and development: the member of staff (the worker), their supervisor
    # (the senior) and stand-in (the lead manager, also of the team); no colleague, no
    # administrator, nobody of another team or organisation.
    "supervision:home": [Rule(CASEWORKERS)],
    "supervision:frequencies": [Rule(ADMIN)],
    **{
        name: [
            Rule(SUPERVISION_SEERS, target=f"own supervision {part}"),
            Rule(OTHER_ORG, target=f"other organisation supervision {part}"),
        ]
        for name, part in (
            ("supervision:member", "member"),
            ("supervision:development", "member"),
            ("supervision:assessment_new", "member"),
            ("supervision:goal_new", "member"),
            ("supervision:record", "supervision"),
            ("supervision:assessment", "assessment"),
        )
    },
    # What only the member of staff does: agree the record, assess themselves.
    **{
        name: [
            Rule(frozenset({"worker"}), target=f"own supervision {part}"),
            Rule(OTHER_ORG, target=f"other organisation supervision {part}"),
        ]
        for name, part in (
            ("supervision:agree", "supervision"),
            ("supervision:assessment_self", "assessment"),
        )
    },
    **{
        name: [
            Rule(SUPERVISION_HOLDERS, target=f"own supervision {part}"),
            Rule(NOBODY, target=f"other organisation supervision {part}"),
        ]
        for name, part in (
            ("supervision:arrangement", "member"),
            ("supervision:schedule", "member"),
            ("supervision:record_edit", "supervision"),
            ("supervision:discussion_new", "supervision"),
            ("supervision:action_new", "supervision"),
            ("supervision:amend", "supervision"),
            ("supervision:progress", "action"),
            ("supervision:goal_review", "goal"),
            ("supervision:assessment_supervisor", "assessment"),
        )
    },
    "supervision:frameworks": [Rule(CASEWORKERS | ADMIN)],
    "supervision:framework_new": [Rule(ADMIN)],
    "supervision:framework": [
        Rule(CASEWORKERS | ADMIN, target="shipped competency framework"),
        Rule(CASEWORKERS - OTHER_ORG | ADMIN, target="own competency framework"),
        Rule(OTHER_ORG, target="other organisation competency framework"),
    ],
    "training:home": [Rule(TRAINING_USERS)],
    "training:staff": _training_rules(
        "staff",
        OWN_TRAINING_RECORDERS | {"colleague"},
        OTHER_TRAINING_RECORDERS | {"other_team_worker"},
        OTHER_ORG,
    ),
    "training:certificate": _training_rules(
        "record",
        OWN_TRAINING_RECORDERS | {"colleague"},
        OTHER_TRAINING_RECORDERS | {"other_team_worker"},
        OTHER_ORG,
    ),
    **{
        name: _training_rules("staff", OWN_TRAINING_RECORDERS, OTHER_TRAINING_RECORDERS, NOBODY)
        for name in ("training:record_new", "training:booking_new")
    },
    "training:record_edit": _training_rules(
        "record", OWN_TRAINING_RECORDERS, OTHER_TRAINING_RECORDERS, NOBODY
    ),
    "training:booking_cancel": [
        *_training_rules(
            "booking",
            OWN_TRAINING_RECORDERS,
            OTHER_TRAINING_RECORDERS,
            NOBODY,
            methods=("GET",),
            answer=METHOD_NOT_ALLOWED,
        ),
        *_training_rules(
            "booking", OWN_TRAINING_RECORDERS, OTHER_TRAINING_RECORDERS, NOBODY, methods=("POST",)
        ),
    ],
    "training:courses": [Rule(CATALOGUE_KEEPERS)],
    "training:course_new": [Rule(CATALOGUE_KEEPERS)],
    "training:course_edit": _training_rules("course", CATALOGUE_KEEPERS, CATALOGUE_KEEPERS, NOBODY),
    **{
        name: [Rule(ADMIN)]
        for name in ("training:matrix", "training:matrix_xlsx", "training:matrix_csv")
    },
    **{
        name: [
            Rule(OWN_MANAGERS | ADMIN, target="own team"),
            Rule(OTHER_MANAGERS | ADMIN, target="other team"),
            Rule(NOBODY, target="other organisation's team"),
        ]
        for name in (
            "training:team_matrix",
            "training:team_matrix_xlsx",
            "training:team_matrix_csv",
        )
    },
    "risk:incidents": [Rule(CASEWORKERS)],
    # Each of the incidents page's lists in whole: only what each reader may see is in it.
    "risk:incident_list": [
        Rule(CASEWORKERS, target=f"incidents {which}")
        for which in ("waiting", "signed-off", "by-month", "safeguarding")
    ],
    # A service's accommodation: its staff and the organisation's administrators see it;
    # administrators and the service's managers add properties and rooms.
    "housing:service": [
        Rule(OWN_TEAM | ADMIN, target="own service"),
        Rule(OTHER_TEAM_SERVICE | ADMIN, target="other team's service"),
        Rule(OTHER_ORG, target="other organisation's service"),
    ],
    "housing:property_new": [
        Rule(frozenset({"senior", "lead_manager", "admin"}), target="own service"),
        Rule(frozenset({"other_lead_manager", "admin"}), target="other team's service"),
        Rule(NOBODY, target="other organisation's service"),
    ],
    "housing:unit_new": [
        Rule(frozenset({"senior", "lead_manager", "admin"}), target="own property"),
        Rule(frozenset({"other_lead_manager", "admin"}), target="other team property"),
        Rule(NOBODY, target="other organisation property"),
    ],
    "risk:incident_new": [Rule(CASEWORKERS)],
    # Involvement: as notices, for the staff of the session's service; its figures
    # (no personal data) for those who see the service's reports.
    "involvement:list": [Rule(CASEWORKERS)],
    "involvement:new": [Rule(CASEWORKERS)],
    **{
        name: [
            Rule(OWN_TEAM, target=f"own {part}"),
            Rule(OTHER_TEAM_SERVICE, target=f"other team {part}"),
            Rule(OTHER_ORG, target=f"other organisation {part}"),
        ]
        for name, part in (
            ("involvement:session", "involvement session"),
            ("involvement:session_edit", "involvement session"),
            ("involvement:participant_add", "involvement session"),
            ("involvement:participant_remove", "involvement participation"),
            ("involvement:action_add", "involvement session"),
            ("involvement:said_did_add", "involvement session"),
            ("involvement:action_done", "involvement action"),
        )
    },
    "involvement:said_did_print": [
        Rule(OWN_TEAM, target="own service"),
        Rule(OTHER_TEAM_SERVICE, target="other team's service"),
        Rule(OTHER_ORG, target="other organisation's service"),
    ],
    # Its figures: for the casework staff of the service too (how many people took part
    # is shown only to those who may see everyone it supported), never to a complex
    # caseworker, whose role reaches cases, not services.
    "involvement:figures": [
        Rule(OWN_TEAM | {"commissioner"}, target="own service"),
        Rule(OTHER_TEAM_SERVICE, target="other team's service"),
        Rule(OTHER_ORG, target="other organisation's service"),
    ],
    # Notices and leaflets: everyone doing casework has the list and may write one for
    # the services they work in; a notice, its files and who had it are for the staff of
    # its service (support assistants too), never a co-worker joining from another team.
    "notices:list": [Rule(CASEWORKERS)],
    # How a quarter's notices reached everyone they were for: the service's managers.
    "notices:delivery_report": [
        Rule(frozenset({"senior", "lead_manager"}), target="own service"),
        Rule(frozenset({"other_lead_manager"}), target="other team's service"),
        Rule(NOBODY, target="other organisation's service"),
    ],
    "notices:new": [Rule(CASEWORKERS)],
    **{
        name: [
            Rule(OWN_TEAM, target=f"own {part}"),
            Rule(OTHER_TEAM_SERVICE, target=f"other team {part}"),
            Rule(OTHER_ORG, target=f"other organisation {part}"),
        ]
        for name, part in (
            ("notices:notice", "notice"),
            ("notices:change", "notice"),
            ("notices:withdraw", "notice"),
            ("notices:received", "notice"),
            ("notices:file_new", "notice"),
            ("notices:file", "notice file"),
            ("notices:acknowledge", "receipt"),
            ("notices:round", "property"),
            ("notices:round_pdf", "property"),
        )
    },
    # Events and groups: the staff of the event's services run them (support assistants
    # too), never a co-worker joining from another team; a place on one is seen only by
    # those who may see the person too.
    "events:events": [Rule(CASEWORKERS)],
    **{
        name: [
            Rule(OWN_TEAM, target=f"own events {part}"),
            Rule(OTHER_TEAM_SERVICE, target=f"other team events {part}"),
            Rule(OTHER_ORG, target=f"other organisation events {part}"),
        ]
        for name, part in (
            ("events:service", "service"),
            ("events:event_new", "service"),
            ("events:feed_settings", "service"),
            ("events:event", "event"),
            ("events:event_edit", "event"),
            ("events:event_end", "event"),
            ("events:session", "session"),
            ("events:session_move", "session"),
            ("events:session_cancel", "session"),
            ("events:register", "session"),
            ("events:signup_cancel", "sign-up"),
        )
    },
    # On call: a rota is seen by the staff of the services it covers and changed by
    # their managers; a call follows the person's record (and stays its writer's); a
    # service's handover is for its staff, marked read by its managers.
    "oncall:home": [Rule(CASEWORKERS)],
    "oncall:number": [Rule(CASEWORKERS)],
    "oncall:time_off_new": [Rule(CASEWORKERS)],
    "oncall:entry_new": [Rule(CASEWORKERS)],
    "oncall:rota_new": [Rule(frozenset({"senior", "lead_manager", "other_lead_manager"}))],
    "oncall:rota": _oncall_rules("rota", OWN_TEAM, OTHER_TEAM_SERVICE, OTHER_ORG),
    **{
        name: _oncall_rules("rota", OWN_MANAGERS, OTHER_MANAGERS, NOBODY)
        for name in ("oncall:rota_edit", "oncall:pattern_new", "oncall:shift_new")
    },
    "oncall:shift": [
        *_oncall_rules("shift", OWN_TEAM, OTHER_TEAM_SERVICE, OTHER_ORG, methods=("GET",)),
        *_oncall_rules("shift", OWN_MANAGERS, OTHER_MANAGERS, NOBODY, methods=("POST",)),
    ],
    **{
        name: [
            *_oncall_rules(
                "shift",
                OWN_TEAM,
                OTHER_TEAM_SERVICE,
                OTHER_ORG,
                methods=("GET",),
                answer=METHOD_NOT_ALLOWED,
            ),
            *_oncall_rules("shift", OWN_MANAGERS, OTHER_MANAGERS, NOBODY, methods=("POST",)),
        ]
        for name in ("oncall:shift_swap", "oncall:shift_remove")
    },
    "oncall:entry": _oncall_rules("entry", ON_OWN_CASES, OTHER_TEAM, OTHER_ORG),
    "oncall:entry_amend": _oncall_rules("entry", NOTE_KEEPERS, OTHER_NOTE_KEEPERS, OTHER_ORG),
    "oncall:follow_up_done": [
        *_oncall_rules(
            "follow-up",
            ON_OWN_CASES,
            OTHER_TEAM,
            OTHER_ORG,
            methods=("GET",),
            answer=METHOD_NOT_ALLOWED,
        ),
        *_oncall_rules("follow-up", NOTE_KEEPERS, OTHER_NOTE_KEEPERS, OTHER_ORG, methods=("POST",)),
    ],
    **{
        name: [
            Rule(OWN_TEAM, target="own service"),
            Rule(OTHER_TEAM_SERVICE, target="other team's service"),
            Rule(OTHER_ORG, target="other organisation's service"),
        ]
        for name in ("oncall:handover", "oncall:handover_print")
    },
    "oncall:handover_read": [
        Rule(OWN_TEAM, methods=("GET",), target="own service", allowed_answer=METHOD_NOT_ALLOWED),
        Rule(
            OTHER_TEAM_SERVICE,
            methods=("GET",),
            target="other team's service",
            allowed_answer=METHOD_NOT_ALLOWED,
        ),
        Rule(
            OTHER_ORG,
            methods=("GET",),
            target="other organisation's service",
            allowed_answer=METHOD_NOT_ALLOWED,
        ),
        Rule(OWN_MANAGERS, methods=("POST",), target="own service"),
        Rule(OTHER_MANAGERS, methods=("POST",), target="other team's service"),
        Rule(NOBODY, methods=("POST",), target="other organisation's service"),
    ],
    # A capability address: whoever holds it gets the sessions, naming no one supported.
    "events:feed": [
        Rule(EVERYONE, methods=("GET",), target="service's events calendar", anonymous=OK),
        Rule(NOBODY, methods=("GET",), target="unknown calendar", anonymous=NOT_FOUND),
    ],
    "risk:incident": _whole_incident_rules("incident"),
    "risk:incident_sign_off": _whole_incident_rules("incident"),
    "risk:incident_part_edit": _whole_incident_rules("incident part"),
    "planning:service_outcomes": [
        Rule(frozenset({"lead_manager", "commissioner"}), target="own service"),
        Rule(frozenset({"other_lead_manager"}), target="other team's service"),
        Rule(NOBODY, target="other organisation's service"),
    ],
    "accounts:sign_in": [Rule(EVERYONE, anonymous=OK)],
    "accounts:two_factor_verify": [Rule(SIGNED_IN)],
    "accounts:two_factor_setup": [Rule(SIGNED_IN)],
    "accounts:sign_out": [
        # Signing out needs a POST.
        Rule(EVERYONE, methods=("GET",), allowed_answer=METHOD_NOT_ALLOWED),
        # Signing out ends at the sign-in page, for everyone.
        Rule(SIGNED_IN, methods=("POST",), allowed_answer=SIGN_IN),
    ],
    "accounts:account": [Rule(SIGNED_IN)],
    "accounts:confirm_password": [Rule(SIGNED_IN)],
    "accounts:password_change": [Rule(SIGNED_IN)],
    "accounts:two_factor_reset": [Rule(SIGNED_IN)],
    "accounts:invitation_accept": [
        Rule(NOBODY, target="unknown token", anonymous=NOT_FOUND),
    ],
    "administration:staff_list": [Rule(MANAGERS)],
    "administration:staff_invite": [Rule(ADMIN)],
    "administration:invitation_revoke": [
        Rule(ADMIN, target="own invitation"),
        Rule(NOBODY, target="other organisation's invitation"),
    ],
    "administration:staff_detail": [
        Rule(frozenset({"senior", "lead_manager", "admin"}), target="colleague"),
        Rule(frozenset({"other_lead_manager", "admin"}), target="other team's worker"),
        Rule(NOBODY, target="other organisation's worker"),
    ],
    "administration:staff_deactivate": [
        Rule(ADMIN, target="colleague"),
        Rule(ADMIN, target="other team's worker"),
        Rule(NOBODY, target="other organisation's worker"),
        Rule(NOBODY, target="the administrator"),
    ],
    "administration:role_add": [
        Rule(ADMIN, target="colleague"),
        Rule(ADMIN, target="the administrator"),
        Rule(NOBODY, target="other organisation's worker"),
    ],
    "administration:role_remove": [
        Rule(ADMIN, target="colleague's role"),
        Rule(NOBODY, target="other organisation's worker's role"),
        Rule(NOBODY, target="a role of someone else"),
    ],
    "administration:organisation": [Rule(ADMIN)],
    "administration:area_new": [Rule(ADMIN)],
    "administration:area_edit": [
        Rule(ADMIN, target="own area"),
        Rule(NOBODY, target="other organisation's area"),
    ],
    "administration:service_new": [Rule(ADMIN)],
    "administration:service_edit": [
        Rule(ADMIN, target="own service"),
        Rule(NOBODY, target="other organisation's service"),
    ],
    "administration:service_archive": [
        Rule(ADMIN, target="own service"),
        Rule(NOBODY, target="other organisation's service"),
    ],
    "administration:team_new": [Rule(ADMIN)],
    "administration:team_edit": [
        Rule(ADMIN, target="own team"),
        Rule(NOBODY, target="other organisation's team"),
    ],
    "administration:team_archive": [
        Rule(ADMIN, target="own team"),
        Rule(NOBODY, target="other organisation's team"),
    ],
    "outcomes:framework_list": [Rule(ADMIN)],
    "outcomes:framework_new": [Rule(ADMIN)],
    "outcomes:framework_choose": [Rule(ADMIN)],
    # Keywork's own framework is open to read, never to change.
    "outcomes:framework": [
        Rule(ADMIN, target="own framework"),
        Rule(ADMIN, target="shipped framework"),
        Rule(NOBODY, target="other organisation's framework"),
    ],
    "outcomes:framework_edit": [
        Rule(ADMIN, target="own framework"),
        Rule(NOBODY, target="shipped framework"),
        Rule(NOBODY, target="other organisation's framework"),
    ],
    "outcomes:framework_archive": [
        Rule(ADMIN, target="own framework"),
        Rule(NOBODY, target="shipped framework"),
        Rule(NOBODY, target="other organisation's framework"),
    ],
    "administration:audit": [Rule(frozenset({"lead_manager", "other_lead_manager", "admin"}))],
    "home:notifications": [Rule(SIGNED_IN)],
    "imports:imports": [Rule(IMPORTERS)],
    "notes:search": [Rule(CASEWORKERS)],
    "tasks:my_tasks": [Rule(CASEWORKERS)],
    "tasks:task_done": [
        Rule(frozenset({"worker"}), target="worker's task"),
        Rule(frozenset({"other_org_worker"}), target="other organisation's task"),
    ],
    "tasks:team_tasks": [
        Rule(frozenset({"senior", "lead_manager"}), target="own team"),
        Rule(frozenset({"other_lead_manager"}), target="other team"),
        Rule(NOBODY, target="other organisation's team"),
    ],
    "notes:my_appointments": [Rule(CASEWORKERS)],
    "notes:attachment": [
        Rule(ON_OWN_CASES, target="own attachment"),
        Rule(OTHER_TEAM, target="other team attachment"),
        Rule(OTHER_ORG, target="other organisation attachment"),
    ],
    "notes:calendar": [Rule(CASEWORKERS)],
    # A capability address: whoever holds it gets the feed, and it shows initials only.
    "notes:calendar_feed": [
        Rule(EVERYONE, methods=("GET",), target="worker's calendar", anonymous=OK),
        Rule(NOBODY, methods=("GET",), target="unknown calendar", anonymous=NOT_FOUND),
    ],
    **{
        name: [
            Rule(ON_OWN_CASES, target="own appointment"),
            Rule(OTHER_TEAM, target="other team appointment"),
            Rule(OTHER_ORG, target="other organisation appointment"),
        ]
        for name in ("notes:appointment", "notes:appointment_change", "notes:appointment_cancel")
    },
    "notes:note": [
        Rule(ON_OWN_CASES, target="own note"),
        Rule(NOTE_KEEPERS, target="own restricted note"),
        Rule(OTHER_TEAM, target="other team note"),
        Rule(OTHER_ORG, target="other organisation note"),
    ],
    **{
        name: [
            Rule(NOTE_KEEPERS, target="own note"),
            Rule(NOTE_KEEPERS, target="own restricted note"),
            Rule(OTHER_NOTE_KEEPERS, target="other team note"),
            Rule(OTHER_ORG, target="other organisation note"),
        ]
        for name in ("notes:note_amend", "notes:note_void", "notes:attachment_new")
    },
    "people:person_merge": [
        Rule(frozenset({"senior", "lead_manager"}), target="own pair"),
        Rule(frozenset({"other_lead_manager"}), target="other team pair"),
        Rule(NOBODY, target="other organisation pair"),
    ],
    # An import is seen by its creator and by those who may see every service it writes
    # to: the administrator (its creator here) always, a lead manager for their services.
    "imports:job": [
        Rule(frozenset({"lead_manager", "admin"}), target="own import"),
        Rule(
            frozenset({"other_lead_manager", "admin"}), target="import for the other team's service"
        ),
        Rule(ADMIN, target="import not yet checked"),
        Rule(NOBODY, target="other organisation's import"),
    ],
    "imports:progress": [
        Rule(frozenset({"lead_manager", "admin"}), target="own import"),
        Rule(
            frozenset({"other_lead_manager", "admin"}), target="import for the other team's service"
        ),
        Rule(ADMIN, target="import not yet checked"),
        Rule(NOBODY, target="other organisation's import"),
    ],
    "people:search": [Rule(CASEWORKERS)],
    "people:person_new": [Rule(CASEWORKERS)],
    "people:break_glass": [Rule(CASEWORKERS)],
    "people:my_caseload": [Rule(CASEWORKERS)],
    "people:waiting_list": [
        Rule(OWN_TEAM, target="own service"),
        Rule(OTHER_TEAM_SERVICE, target="other team's service"),
        Rule(OTHER_ORG, target="other organisation's service"),
    ],
    # Straight to the team's caseload, or a choice of the teams looked after.
    "people:team_caseloads": [
        Rule(frozenset({"senior", "lead_manager", "other_lead_manager"})),
    ],
    "people:team_caseload": [
        Rule(frozenset({"senior", "lead_manager"}), target="own team"),
        Rule(frozenset({"other_lead_manager"}), target="other team"),
        Rule(NOBODY, target="other organisation's team"),
    ],
    **{
        name: _person_rules(part)
        for name, part in (
            ("people:person", None),
            ("people:person_edit", None),
            ("people:identifier_new", None),
            ("people:alert_new", None),
            ("people:emergency_contact_new", None),
            ("people:consent_new", None),
            ("people:professional_new", None),
            ("people:referral_new", None),
            ("people:possible_duplicate_new", None),
            ("people:person_print", None),
            ("notes:note_list", None),
            ("notes:note_new", None),
            ("notes:draft_save", None),
            ("timeline:timeline", None),
            ("notes:appointment_new", None),
            ("planning:episode_plan", "episode"),
            ("planning:plan", "plan"),
            ("planning:plan_edit", "plan"),
            ("planning:goal_new", "plan"),
            ("planning:plan_agree", "plan"),
            ("planning:plan_review", "plan"),
            ("planning:outcomes", "plan"),
            ("planning:plan_compare", "plan"),
            ("planning:plan_version", "version"),
            ("planning:action_new", "goal"),
            ("planning:goal_notes", "goal"),
            ("planning:action_status", "action"),
            ("tasks:action_done", "action"),
            ("planning:plan_print", "plan"),
            ("planning:assessments", "episode"),
            ("planning:assessment_new", "episode"),
            ("planning:assessment", "assessment"),
            ("risk:risk", None),
            ("risk:risk_edit", None),
            ("risk:safeguarding_new", None),
            ("risk:risk_version", "risk version"),
            ("risk:safeguarding", "safeguarding"),
            ("risk:incident_part", "incident part"),
            ("housing:episode", "episode"),
            ("housing:move_out", "tenancy"),
            ("housing:application", "application"),
            ("activities:activities", None),
            ("activities:activity_new", None),
            ("activities:event_new", "activity"),
            ("people:alert_end", "alert"),
            ("people:consent_withdraw", "consent"),
        )
    },
    # The service's own team's work on a case, not a co-worker's who joins from another
    # team: who is allocated, moving into the service's rooms, checks on the tenancy, and
    # the move-on plan and housing applications.
    **{
        name: _person_rules("episode", own=OWN_TEAM, other=OTHER_TEAM_SERVICE)
        for name in (
            "people:co_workers",
            "housing:move_in",
            "housing:move_on_plan",
            "housing:application_new",
            "housing:sustainment_new",
        )
    },
    # A co-worker from another team reads the referral; its decision is the service's.
    "people:referral": [
        *_person_rules("referral", methods=("GET",)),
        *_person_rules("referral", methods=("POST",), own=OWN_TEAM, other=OTHER_TEAM_SERVICE),
    ],
    # Ending or re-opening support is a decision for a key worker or above in the
    # service: not for a support assistant, nor a co-worker from another team.
    **{
        name: _person_rules(
            "episode", own=OWN_TEAM - {"support_assistant"}, other=OTHER_TEAM_SERVICE
        )
        for name in ("people:episode_end", "people:episode_reopen")
    },
}


# Pages that only take a POST: whoever may use one is told a GET is not allowed (405);
# everyone else still gets 404, so a 405 gives nothing away.
POST_ONLY = (
    "administration:invitation_revoke",
    "administration:role_remove",
    "administration:service_archive",
    "administration:team_archive",
    "outcomes:framework_archive",
    "notes:draft_save",
    "people:episode_reopen",
    "planning:action_status",
    "supervision:agree",
    "supervision:assessment_self",
    "supervision:assessment_supervisor",
    "tasks:action_done",
    "tasks:task_done",
)
for _name in POST_ONLY:
    POLICY[_name] = [
        replace(rule, methods=(method,), allowed_answer=answer)
        for rule in POLICY[_name]
        for method, answer in (("GET", METHOD_NOT_ALLOWED), ("POST", rule.allowed_answer))
    ]


def _named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"every URL pattern needs a name: {entry.pattern}"
            names.add(f"{namespace}{entry.name}")
    return names


def test_it_has_a_policy_for_every_url_pattern():
    patterns = _named_patterns(get_resolver())
    missing = patterns - POLICY.keys()
    assert not missing, f"URL patterns missing from the access policy: {sorted(missing)}"
    stale = POLICY.keys() - patterns
    assert not stale, f"policy rows for URLs that no longer exist: {sorted(stale)}"


def _expected(rule: Rule, persona: str) -> str:
    if persona == "anonymous":
        return rule.allowed_answer if "anonymous" in rule.allowed else rule.anonymous
    return rule.allowed_answer if persona in rule.allowed else NOT_FOUND


def _outcome(response) -> str:
    """404, 403 and 405 are answers of their own: a persona the policy lets in must not
    get any of them, unless its rule names that answer."""
    code = response.status_code
    if code == 404:
        return NOT_FOUND
    if code == 403:
        return FORBIDDEN
    if code == 405:
        return METHOD_NOT_ALLOWED
    if code == 302 and response["Location"].startswith(reverse("accounts:sign_in")):
        return SIGN_IN
    return OK if code < 400 else str(code)


# Every case the policy declares: (URL name, rule, method, persona).
CASES = [
    (name, rule, method, persona)
    for name, rules in POLICY.items()
    for rule in rules
    for method in rule.methods
    for persona in PERSONA_NAMES
]


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for every URL pattern of this module, rolled back when the module ends.
    Each pattern's test builds its targets inside its own transaction, and every
    request runs in a savepoint rolled back after it, so what one POST changes or
    consumes is back as it was for the next case."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


class Visitor:
    """A persona's browser: signed in once per test, its session cookie put back before
    every request (a sign-out or a password change may have dropped it)."""

    def __init__(self, user) -> None:
        self.client = signed_in_client(user)
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        self.session_key = cookie.value if cookie else None

    def answer(self, method: str, url: str, data: dict | None = None):
        """One request, in a savepoint rolled back afterwards: nothing it writes outlives
        it."""
        self.client.cookies.clear()
        if self.session_key:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session_key
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url, data)
            else:
                response = self.client.post(url, data or {})
            transaction.set_rollback(True)
        return response


def visitors(world: World) -> dict[str, Visitor]:
    return {persona: Visitor(world.persona(persona)) for persona in PERSONA_NAMES}


@pytest.mark.parametrize("url_name", sorted(POLICY))
def test_it_answers_as_the_policy_says(shared_world, db, url_name):
    world = shared_world
    browsers = visitors(world)
    mismatches = []
    built: dict[str, dict] = {}
    for rule in POLICY[url_name]:
        if rule.target not in built:
            built[rule.target] = TARGETS[rule.target](world)
        url = reverse(url_name, kwargs=built[rule.target])
        for method in rule.methods:
            for persona in PERSONA_NAMES:
                expected = _expected(rule, persona)
                try:
                    response = browsers[persona].answer(method, url)
                except Exception as error:  # noqa: BLE001 - reported with every other case
                    mismatches.append(f"{persona} {method} {url} ({rule.target}) raised {error!r}")
                    continue
                got = _outcome(response)
                if got != expected:
                    mismatches.append(
                        f"{persona} {method} {url} ({rule.target}): expected {expected}, "
                        f"answered {response.status_code} ({got})"
                    )
    assert not mismatches, f"{len(mismatches)} answers differ from the policy:\n" + "\n".join(
        mismatches
    )


def test_it_names_only_real_targets_and_personas_in_the_policy():
    # A typo in a target or persona would otherwise quietly test nothing.
    for name, rules in POLICY.items():
        for rule in rules:
            assert rule.target in TARGETS, f"{name}: unknown target {rule.target!r}"
            assert rule.allowed <= EVERYONE, f"{name}: unknown persona in {set(rule.allowed)}"
            assert set(rule.methods) <= {"GET", "POST"}, name
