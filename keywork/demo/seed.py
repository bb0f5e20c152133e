"""The demo organisations: invented, realistic, no real person. Two organisations shaped
like the charities Keywork is written for: one working across four council areas, one
with North and South directorates."""

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.accounts.models import Membership, Role, User
from keywork.demo.oncall import seed_oncall
from keywork.demo.supervision import seed_supervision
from keywork.demo.training import seed_training
from keywork.organisations.models import Area, Organisation, Service, Team

DEMO_PASSWORD = "demo-keywork-2026"


@dataclass(frozen=True)
class DemoService:
    name: str
    type: str
    area: str
    commissioner: str
    team: str
    note_interval_days: int = 7
    plan_review_weeks: int = 12
    risk_review_weeks: int = 12


@dataclass(frozen=True)
class DemoStaff:
    full_name: str
    email_name: str
    role: str
    place: str  # a team's name, or a service's name for a commissioner


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    short_name: str
    domain: str
    area_kind: str
    areas: tuple[str, ...]
    services: tuple[DemoService, ...]
    staff: tuple[DemoStaff, ...]


S = Service.Type
R = Role
DEMO_ORGANISATIONS = (
    DemoOrganisation(
        name="Harbourside Housing and Recovery",
        short_name="Harbourside",
        domain="harbourside.example",
        area_kind=Area.Kind.COUNCIL_AREA,
        areas=(
            "Bristol",
            "Bath and North East Somerset",
            "North Somerset",
            "South Gloucestershire",
        ),
        services=(
            DemoService(
                "Montpelier Recovery House",
                S.ACCOMMODATION,
                "Bristol",
                "Bristol City Council",
                "Montpelier house team",
            ),
            DemoService(
                "Kingswood Floating Support",
                S.FLOATING,
                "South Gloucestershire",
                "South Gloucestershire Council",
                "South Glos floating team",
                14,
                12,
                12,
            ),
            DemoService(
                "Weston Shared Houses",
                S.ACCOMMODATION,
                "North Somerset",
                "North Somerset Council",
                "Weston team",
            ),
            DemoService(
                "Bath Wellbeing Day Service",
                S.DAY_SERVICE,
                "Bath and North East Somerset",
                "",
                "Bath day service team",
                14,
                26,
                26,
            ),
        ),
        staff=(
            DemoStaff("Priya Shah", "support.worker", R.SUPPORT_WORKER, "Montpelier house team"),
            DemoStaff("Tom Okafor", "support.worker2", R.SUPPORT_WORKER, "Montpelier house team"),
            DemoStaff(
                "Jess Morgan", "support.assistant", R.SUPPORT_ASSISTANT, "Montpelier house team"
            ),
            DemoStaff("Dan Whitfield", "senior", R.SENIOR_PRACTITIONER, "Montpelier house team"),
            DemoStaff(
                "Amara Nwosu", "complex.caseworker", R.COMPLEX_CASEWORKER, "Montpelier house team"
            ),
            DemoStaff("Helen Carter", "lead.manager", R.LEAD_MANAGER, "Montpelier house team"),
            DemoStaff("Sam Price", "floating.worker", R.SUPPORT_WORKER, "South Glos floating team"),
            DemoStaff("Gareth Lewis", "weston.worker", R.SUPPORT_WORKER, "Weston team"),
            DemoStaff("Ruth Ellis", "admin", R.ADMINISTRATOR, ""),
            DemoStaff("Mark Bennett", "commissioner", R.COMMISSIONER, "Montpelier Recovery House"),
        ),
    ),
    DemoOrganisation(
        name="Riverside Reach",
        short_name="Riverside",
        domain="riverside-reach.example",
        area_kind=Area.Kind.DIRECTORATE,
        areas=("North", "South"),
        services=(
            DemoService(
                "Camden Street Outreach",
                S.OUTREACH,
                "North",
                "London Borough of Camden",
                "North outreach team",
                3,
                8,
                4,
            ),
            DemoService(
                "Holloway Road Hostel",
                S.ACCOMMODATION,
                "North",
                "London Borough of Islington",
                "Holloway hostel team",
                7,
                12,
                12,
            ),
            DemoService(
                "Lambeth Tenancy Sustainment",
                S.FLOATING,
                "South",
                "London Borough of Lambeth",
                "South tenancy team",
                14,
                12,
                12,
            ),
            DemoService(
                "Southwark Day Centre", S.DAY_SERVICE, "South", "", "Day centre team", 14, 26, 26
            ),
        ),
        staff=(
            DemoStaff("Kemi Adeyemi", "support.worker", R.SUPPORT_WORKER, "Holloway hostel team"),
            DemoStaff("Liam Byrne", "support.worker2", R.SUPPORT_WORKER, "Holloway hostel team"),
            DemoStaff(
                "Rosa Martins", "support.assistant", R.SUPPORT_ASSISTANT, "Holloway hostel team"
            ),
            DemoStaff("Yusuf Hassan", "senior", R.SENIOR_PRACTITIONER, "Holloway hostel team"),
            DemoStaff(
                "Claire Duffy", "complex.caseworker", R.COMPLEX_CASEWORKER, "North outreach team"
            ),
            DemoStaff("Marcus Green", "lead.manager", R.LEAD_MANAGER, "Holloway hostel team"),
            DemoStaff("Ewa Nowak", "outreach.worker", R.SUPPORT_WORKER, "North outreach team"),
            DemoStaff("Joe Campbell", "south.worker", R.SUPPORT_WORKER, "South tenancy team"),
            DemoStaff("Fatima Begum", "admin", R.ADMINISTRATOR, ""),
            DemoStaff("Peter Lang", "commissioner", R.COMMISSIONER, "Holloway Road Hostel"),
        ),
    ),
)


# Invented people for the demo caseloads: (first, last, preferred, born, needs, alert).
DEMO_PEOPLE = (
    ("Daniel", "Hughes", "Danny", "1984-03-12", "mental_health", "Prefers visits after 11am"),
    ("Aisha", "Rahman", "", "1991-07-30", "homelessness", ""),
    ("Michael", "O'Connor", "Mick", "1969-11-02", "alcohol", "Do not visit alone"),
    ("Sophie", "Turner", "", "1998-01-19", "mental_health", ""),
    ("Kwame", "Mensah", "", "1979-05-05", "offending", ""),
    ("Zoë", "Brennan", "", "1987-09-23", "substance_use", "Dog in the flat"),
    ("Jamal", "Ahmed", "", "1994-12-08", "mental_health", ""),
    ("Patricia", "Lowe", "Trish", "1961-04-17", "physical_health", ""),
    ("Connor", "Walsh", "", "2003-02-27", "young_person", ""),
    ("Eleni", "Papadopoulos", "", "1976-08-14", "domestic_abuse", "Address is confidential"),
)


def demo_email(org: DemoOrganisation, staff: DemoStaff) -> str:
    return f"{staff.email_name}@{org.domain}"


@transaction.atomic
def seed_demo() -> list[tuple[str, str, str]]:
    """Builds the demo organisations if they are missing. Returns (organisation, role,
    email) for every demo sign-in. Running it again changes nothing."""
    sign_ins = []
    for org_spec in DEMO_ORGANISATIONS:
        org, created = Organisation.objects.get_or_create(
            name=org_spec.name, defaults={"short_name": org_spec.short_name}
        )
        if created:
            _build(org, org_spec)
        for staff in org_spec.staff:
            sign_ins.append((org.name, Role(staff.role).label, demo_email(org_spec, staff)))
    return sign_ins


def _build(org: Organisation, spec: DemoOrganisation) -> None:
    areas = {
        name: Area.objects.create(organisation=org, name=name, kind=spec.area_kind)
        for name in spec.areas
    }
    services, teams = {}, {}
    for s in spec.services:
        service = Service.objects.create(
            organisation=org,
            name=s.name,
            type=s.type,
            area=areas[s.area],
            commissioner=s.commissioner,
            note_interval_days=s.note_interval_days,
            plan_review_weeks=s.plan_review_weeks,
            risk_review_weeks=s.risk_review_weeks,
        )
        services[s.name] = service
        team = teams.get(s.team) or Team.objects.create(organisation=org, name=s.team)
        team.services.add(service)
        teams[s.team] = team
    for staff in spec.staff:
        user = User(email=demo_email(spec, staff), full_name=staff.full_name, organisation=org)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(
            user=user,
            role=staff.role,
            team=teams.get(staff.place) if staff.role != Role.COMMISSIONER else None,
            service=services.get(staff.place) if staff.role == Role.COMMISSIONER else None,
        )
        # Demo accounts come with an authenticator already set up, so that anyone
        # trying Keywork can sign in with `manage.py demo_code EMAIL`.
        TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    _people(org, spec, services, teams)
    _notes(org)
    _plans(org)
    _risk(org)
    _housing(org)
    _notices(org)
    _involvement(org)
    _events(org)
    seed_oncall(org)
    seed_supervision(org)
    seed_training(org)


def _people(org: Organisation, spec: DemoOrganisation, services: dict, teams: dict) -> None:
    """Caseloads for the demo: most people supported in the first service by the demo
    support worker and colleague, a few waiting, one who moved on."""
    from datetime import date, timedelta

    from django.utils import timezone

    from keywork.people.models import (
        Alert,
        Episode,
        EpisodeWorker,
        Person,
        Referral,
        SupportNeed,
    )
    from keywork.people.services import match_keys_for, search_names_for

    today = timezone.localdate()
    # The service the demo support worker's own team works in, so that their caseload
    # is one they may record on.
    first_service = teams[spec.staff[0].place].services.order_by("pk").first()
    worker = User.objects.get(email=demo_email(spec, spec.staff[0]))
    colleague = User.objects.get(email=demo_email(spec, spec.staff[1]))
    # A complex caseworker joins only the cases allocated to them: two of them here.
    complex_caseworker = User.objects.filter(
        organisation=org, memberships__role=Role.COMPLEX_CASEWORKER
    ).first()
    for i, (first, last, preferred, born, need, alert) in enumerate(DEMO_PEOPLE):
        person = Person(
            organisation=org,
            first_name=first,
            last_name=last,
            preferred_name=preferred,
            date_of_birth=date.fromisoformat(born),
            address_confidential="confidential" in alert,
            created_by=worker,
        )
        person.search_names = search_names_for(person)
        person.match_keys = match_keys_for(person)
        person.save()
        SupportNeed.objects.create(person=person, need=need, is_primary=True)
        if alert:
            level = "danger" if "alone" in alert else "warning"
            kind = Alert.Kind.NOT_ALONE if "alone" in alert else Alert.Kind.GENERAL
            Alert.objects.create(
                person=person, kind=kind, text=alert, level=level, created_by=worker
            )
        received = today - timedelta(days=200 - i * 15)
        waiting = i >= 8
        referral = Referral.objects.create(
            organisation=org,
            person=person,
            service=first_service,
            received_on=received if not waiting else today - timedelta(days=12 - i),
            source="council" if i % 2 else "outreach",
            reason="Needs support to keep a home and stay well.",
            status="new" if waiting else "accepted",
            decided_on=None if waiting else received + timedelta(days=7),
            decided_by=None if waiting else worker,
            created_by=worker,
        )
        if waiting:
            continue
        ended = i == 7
        episode = Episode.objects.create(
            organisation=org,
            person=person,
            service=first_service,
            referral=referral,
            start_date=received + timedelta(days=14),
            key_worker=worker if i % 3 else colleague,
            end_date=today - timedelta(days=20) if ended else None,
            end_reason="planned" if ended else "",
            destination="social_tenancy" if ended else "",
            ended_by=worker if ended else None,
            created_by=worker,
        )
        if complex_caseworker and i in (1, 4):
            EpisodeWorker.objects.create(episode=episode, user=complex_caseworker)


# Days since each open case's latest file note, on the day the demo is loaded: against a
# weekly standard, most are in time, a few due soon, one or two overdue, as in real life.
LAST_NOTE_DAYS_AGO = (1, 2, 1, 3, 9, 4, 6)
DEMO_NOTE_SUBJECTS = (
    "Catch-up about the week",
    "Went through the post together",
    "Phone call about the appointment",
)


def _notes(org: Organisation) -> None:
    """File notes dated from today backwards, written as the visit happened, so that the
    caseload's "File note due" looks as it would on a real day."""
    from datetime import timedelta

    from django.utils import timezone

    from keywork.notes.models import FileNote
    from keywork.notes.services import note_create
    from keywork.people.models import Episode

    now = timezone.now()
    open_episodes = Episode.objects.filter(organisation=org, end_date=None).order_by("pk")
    for i, episode in enumerate(open_episodes):
        last = LAST_NOTE_DAYS_AGO[i % len(LAST_NOTE_DAYS_AGO)]
        for n, days_ago in enumerate((last + 14, last + 7, last)):
            contact_at = now - timedelta(days=days_ago, hours=2)
            note = note_create(
                actor=episode.key_worker,
                person=episode.person,
                episode=episode,
                contact_type="key_work" if n % 2 == 0 else "phone",
                contact_at=contact_at,
                duration_minutes=45 if n % 2 == 0 else 15,
                subject=DEMO_NOTE_SUBJECTS[n],
                text="We talked about how things are going and what comes next.",
            )
            # Written up the same day, as a worker would, not as a late entry today.
            FileNote.objects.filter(pk=note.pk).update(
                recorded_at=contact_at + timedelta(hours=1), is_late_entry=False
            )


DEMO_GOALS = (
    ("Money", "I want to stop owing the gas company", "Ring the gas company about a payment plan"),
    (
        "Home and tenancy",
        "Keep this flat and make it feel like mine",
        "Ask the landlord about the damp",
    ),
    ("Learning, work and activity", "Get back into cooking work", "Find a food hygiene course"),
)


def _plans(org: Organisation) -> None:
    """A support plan for everyone in support: goals in their words, an action each, an
    assessment of needs and strengths, and three rounds of outcome ratings, so the chart,
    the distance travelled and the service's figures have something to show."""
    from datetime import timedelta

    from django.utils import timezone

    from keywork.outcomes.services import ratings_record
    from keywork.people.models import Episode
    from keywork.planning import services as planning

    today = timezone.localdate()
    episodes = Episode.objects.filter(organisation=org, end_date=None).select_related(
        "service", "key_worker", "person"
    )
    for i, episode in enumerate(episodes.order_by("pk")):
        worker = episode.key_worker
        plan = planning.plan_start(actor=worker, episode=episode)
        domains = {d.name: d for d in plan.framework.domains.all()}
        for area, words, action in DEMO_GOALS[: 1 + i % 3]:
            goal = planning.goal_add(
                actor=worker, plan=plan, domain=domains[area], in_own_words=words
            )
            planning.action_add(
                actor=worker,
                goal=goal,
                what=action,
                owner="person" if i % 2 else "worker",
                owner_worker=None if i % 2 else worker,
                due_on=today + timedelta(days=7 + 3 * i),
            )
        planning.assessment_record(
            actor=worker,
            episode=episode,
            framework=plan.framework,
            assessed_on=episode.start_date + timedelta(days=3),
            areas={
                domains[area].pk: {
                    "person_view": words,
                    "worker_view": "Agreed this is where to start.",
                    "strengths": "Knows what they want.",
                    "need": ("high", "medium", "low")[(i + n) % 3],
                }
                for n, (area, words, _action) in enumerate(DEMO_GOALS)
            },
        )
        span = (today - episode.start_date).days
        for round_number, days_in in enumerate((5, span // 2, span - 1)):
            ratings_record(
                actor=worker,
                episode=episode,
                framework=plan.framework,
                rated_on=episode.start_date + timedelta(days=days_in),
                rated_by="together",
                scores={
                    d.pk: max(1, min(10, 2 + (i + n) % 4 + round_number * ((i + n) % 3)))
                    for n, d in enumerate(domains.values())
                },
            )


def _risk(org: Organisation) -> None:
    """Risk assessments for everyone in support (one high, with its plan), and an
    incident waiting for the lead manager's sign-off, so the banner, the caseload column
    and the incidents page have something to show."""
    from datetime import timedelta

    from django.utils import timezone

    from keywork.people.models import Episode
    from keywork.risk import services as risk

    episodes = Episode.objects.filter(organisation=org, end_date=None).select_related(
        "service", "key_worker", "person"
    )
    for i, episode in enumerate(episodes.order_by("pk")):
        high = "alone" in " ".join(episode.person.alerts.values_list("text", flat=True))
        risk.risk_assessment_save(
            actor=episode.key_worker,
            person=episode.person,
            version=None,
            # Never below the highest area: risk to self is medium for every other one.
            overall="high" if high else ("medium" if i % 3 == 0 or i % 2 else "low"),
            summary="Two staff for every visit; meet in daylight; tell the office on arrival."
            if high
            else "",
            areas={
                "self": {
                    "level": "medium" if i % 2 else "low",
                    "triggers": "Letters from the benefits office; anniversaries.",
                    "warning_signs": "Stops answering the phone; curtains stay shut.",
                    "management_plan": "Weekly check-in; crisis line number on the fridge.",
                },
                "staff": {
                    "level": "high" if high else "low",
                    "history": "Threats to staff when drinking." if high else "",
                    "management_plan": "Two staff; office told before and after." if high else "",
                },
            },
        )
        if i == 1:
            risk.incident_report(
                actor=episode.key_worker,
                service=episode.service,
                type="violence",
                severity="high",
                occurred_at=timezone.now() - timedelta(hours=5),
                place="Communal kitchen",
                what_happened="Raised voices over the cooker; a chair was thrown at the wall.",
                immediate_action="Staff calmed the room; no one hurt; police not needed.",
                people=[episode.person],
            )


def _housing(org: Organisation) -> None:
    """A house with a room for each person in support and two to spare, so the vacancy
    board, occupancy and the caseload's "Room or flat" have something to show; and a
    course and a job for one person."""
    from datetime import timedelta

    from keywork.activities.services import activity_add
    from keywork.housing.models import Property, Unit
    from keywork.housing.services import move_in
    from keywork.people.models import Episode

    episodes = list(
        Episode.objects.filter(organisation=org, end_date=None)
        .select_related("service", "key_worker", "person")
        .order_by("pk")
    )
    if not episodes:
        return
    service = episodes[0].service
    house = Property.objects.create(
        organisation=org,
        service=service,
        name=service.name,
        address="12 Station Road",
        type=Property.Type.SHARED_HOUSE,
    )
    opened = min(e.start_date for e in episodes) - timedelta(days=30)
    units = [
        Unit.objects.create(property=house, name=f"Room {n + 1}", opened_on=opened)
        for n in range(len(episodes) + 2)
    ]
    for episode, unit in zip(episodes, units, strict=False):
        if episode.service_id == service.pk:
            move_in(
                actor=episode.key_worker,
                episode=episode,
                unit=unit,
                start_date=episode.start_date,
                kind="licence",
            )
    first = episodes[0]
    activity_add(
        actor=first.key_worker,
        person=first.person,
        kind="course",
        title="Food hygiene level 2",
        provider="City College",
        start_date=first.start_date + timedelta(days=20),
        hours_per_week=6,
    )


def _notices(org: Organisation) -> None:
    """Two notices part-way through delivery: a fire-safety change for the house, to be
    acknowledged (three residents have it, one has acknowledged it), and a leaflet for
    everyone the service supports (one has it)."""
    from datetime import timedelta

    from django.utils import timezone

    from keywork.housing.models import Property
    from keywork.notices.selectors import audience_of
    from keywork.notices.services import notice_create, receipt_acknowledge, receipts_record

    house = Property.objects.filter(organisation=org).order_by("pk").first()
    if house is None:
        return
    from keywork.people.models import Episode

    first = Episode.objects.filter(service=house.service, end_date=None).order_by("pk").first()
    if first is None:
        return
    today = timezone.localdate()
    staff = first.key_worker
    fire = notice_create(
        actor=staff,
        service=house.service,
        title="New fire doors: keep them shut",
        body="New fire doors were fitted on every floor. Please keep them shut. "
        "Do not wedge them open. If the alarm sounds, leave by the nearest exit.",
        language="en",
        audience="property",
        property=house,
        published_on=today - timedelta(days=6),
        needs_acknowledgement=True,
    )
    residents = list(audience_of(fire).order_by("pk"))
    if residents:
        given = receipts_record(
            actor=staff,
            notice=fire,
            people=residents[:2],
            received_on=today - timedelta(days=5),
        )
        receipts_record(
            actor=staff, notice=fire, people=residents[2:3], received_on=today - timedelta(days=2)
        )
        receipt_acknowledge(
            actor=staff, receipt=given[0], acknowledged_on=today - timedelta(days=4)
        )
    leaflet = notice_create(
        actor=staff,
        service=house.service,
        title="Free winter energy advice",
        body="An adviser can help you with gas and electric bills. Ask staff to book a time.",
        language="en",
        audience="service",
        published_on=today - timedelta(days=2),
    )
    everyone = list(audience_of(leaflet).order_by("pk")[:1])
    if everyone:
        receipts_record(actor=staff, notice=leaflet, people=everyone, received_on=today)


def _involvement(org: Organisation) -> None:
    """A residents' meeting last week: who came, what was decided, two actions (one
    done) and a "you said, we did"."""
    from datetime import timedelta

    from django.utils import timezone

    from keywork.involvement.services import (
        involvement_action_add,
        involvement_action_done,
        participant_add,
        said_did_add,
        session_record,
    )
    from keywork.people.models import Episode

    episodes = list(
        Episode.objects.filter(organisation=org, end_date=None)
        .select_related("service", "key_worker", "person")
        .order_by("pk")
    )
    if not episodes:
        return
    service, staff = episodes[0].service, episodes[0].key_worker
    today = timezone.localdate()
    held = today - timedelta(days=5)
    meeting = session_record(
        actor=staff,
        service=service,
        kind="residents_meeting",
        title="Residents' meeting",
        held_on=held,
        decided="A kitchen rota from next week. Wi-Fi in the lounge to be looked at. "
        "Residents to help choose the new sofa.",
    )
    roles = ["chair", "took_part", "took_part", "representative"]
    came = [e for e in episodes if e.service_id == service.pk and e.start_date <= held]
    for episode, role in zip(came, roles, strict=False):
        participant_add(actor=staff, session=meeting, person=episode.person, role=role)
    done = involvement_action_add(
        actor=staff,
        session=meeting,
        what="Put the kitchen rota up",
        owner=staff,
        due_on=held + timedelta(days=2),
    )
    involvement_action_done(actor=staff, action=done, done_on=held + timedelta(days=1))
    involvement_action_add(
        actor=staff,
        session=meeting,
        what="Ask the landlord about Wi-Fi in the lounge",
        owner=staff,
        due_on=today + timedelta(days=9),
    )
    said_did_add(
        actor=staff,
        session=meeting,
        you_said="The kitchen is too busy at tea time.",
        we_did="We made a rota with you, so everyone has a time to cook.",
    )


def _events(org: Organisation) -> None:
    """Events run by the house's support assistant: a weekly cooking group that began
    three weeks ago, its past sessions with their registers (one person late, one who did
    not come, one who cancelled), its next session full with someone waiting; a coffee
    morning today; and a trip next week for the house and the floating service."""
    from datetime import time, timedelta

    from django.utils import timezone

    from keywork.events.models import SignUp
    from keywork.events.services import event_create, register_save, signup_add
    from keywork.people.models import Episode

    episodes = list(
        Episode.objects.filter(organisation=org, end_date=None)
        .select_related("service", "key_worker", "person")
        .order_by("pk")
    )
    if not episodes:
        return
    service = episodes[0].service
    assistant = (
        User.objects.filter(
            memberships__role=Role.SUPPORT_ASSISTANT, memberships__team__services=service
        ).first()
        or episodes[0].key_worker
    )
    people = [e.person for e in episodes if e.service_id == service.pk][:6]
    today = timezone.localdate()
    cooking = event_create(
        actor=assistant,
        services=[service],
        title="Cooking group",
        kind="skills",
        venue="The kitchen",
        capacity=4,
        first_date=today - timedelta(days=21),
        repeat="weekly",
        until=today + timedelta(days=83),
        starts_at=time(11, 0),
        ends_at=time(13, 0),
        organisers=[assistant],
        what_to_bring="Nothing: the ingredients are paid for.",
        accessibility="Step-free kitchen; seats at the worktop.",
    )
    now = timezone.now()
    marks = [("attended", ""), ("late", ""), ("did_not_attend", ""), ("cancelled", "Unwell")]
    for number, session in enumerate(cooking.sessions.filter(starts_at__lt=now)):
        # Signed up before these sessions, as the register found them.
        rows = [
            SignUp.objects.create(
                session=session,
                person=person,
                status=SignUp.Status.PLACE,
                signed_up_at=session.starts_at - timedelta(days=3),
                signed_up_by=assistant,
            )
            for person in people[number % 2 : number % 2 + 4]
        ]
        register_save(
            actor=assistant,
            session=session,
            marks={row.pk: marks[(i + number) % len(marks)] for i, row in enumerate(rows)},
        )
    upcoming = cooking.sessions.filter(starts_at__gt=now).first()
    if upcoming is not None:
        for person in people[:5]:
            signup_add(actor=assistant, session=upcoming, person=person)
    coffee = event_create(
        actor=assistant,
        services=[service],
        title="Coffee morning",
        kind="social",
        venue="The lounge",
        capacity=12,
        first_date=today,
        starts_at=time(10, 30),
        ends_at=time(12, 0),
        organisers=[assistant],
    )
    morning = coffee.sessions.get()
    for person in people[:3]:
        if morning.starts_at > now:
            signup_add(actor=assistant, session=morning, person=person)
        else:  # loaded after it began: they had signed up the day before
            SignUp.objects.create(
                session=morning,
                person=person,
                status=SignUp.Status.PLACE,
                signed_up_at=morning.starts_at - timedelta(days=1),
                signed_up_by=assistant,
            )
    trip_services = [service, *{e.service for e in episodes if e.service_id != service.pk}][:2]
    event_create(
        actor=assistant,
        services=[s for s in trip_services if _works_in(assistant, s)],
        title="Trip to the seaside",
        kind="trip",
        venue="Meet at the front door",
        capacity=8,
        first_date=today + timedelta(days=7),
        starts_at=time(9, 30),
        ends_at=time(17, 0),
        cost=5,
        what_to_bring="A packed lunch and a coat.",
    )


def _works_in(user: User, service: Service) -> bool:
    from keywork import access

    return access.check(user, "people.work_in_service", service)
