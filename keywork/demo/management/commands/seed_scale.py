"""manage.py seed_scale --people N: a realistic organisation at scale, for the benchmark.

Services, teams and staff in proportion; people with referrals and episodes (most in
support, some moved on); file notes of realistic length and vocabulary, skewed as in
life (most people have a few, some have hundreds); support plans with goals, actions and
ratings; risk assessments; a room and a stay for everyone in the accommodation services.
Rows go in by COPY on PostgreSQL (bulk inserts on SQLite), a batch at a time, saying how
far it has got. Every row goes in by bulk write, which writes no audit rows: the audit
records what people do, and nobody did this."""

import random
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from keywork.demo.bulk_rows import CopySink, RowWriter, SearchVectors
from keywork.demo.training import scale_training

FIRST = [
    "Aaron",
    "Abdul",
    "Adele",
    "Aisha",
    "Alan",
    "Alice",
    "Amir",
    "Amy",
    "Andrew",
    "Ann",
    "Ayesha",
    "Ben",
    "Beth",
    "Bilal",
    "Carl",
    "Carol",
    "Chloe",
    "Chris",
    "Claire",
    "Colin",
    "Connor",
    "Dan",
    "Dawn",
    "Dean",
    "Dee",
    "Ella",
    "Emma",
    "Eve",
    "Faisal",
    "Gary",
    "Grace",
    "Hannah",
    "Harry",
    "Ian",
    "Imran",
    "Jack",
    "Jade",
    "James",
    "Jane",
    "Jason",
    "Jo",
    "Joe",
    "John",
    "Josh",
    "Julie",
    "Karen",
    "Kemi",
    "Kevin",
    "Kim",
    "Lee",
    "Leon",
    "Lisa",
    "Liam",
    "Lou",
    "Lucy",
    "Mark",
    "Mary",
    "Matt",
    "Mia",
    "Mick",
    "Mo",
    "Nadia",
    "Neil",
    "Nina",
    "Omar",
    "Paul",
    "Paula",
    "Pete",
    "Priya",
    "Rachel",
    "Ravi",
    "Rob",
    "Rosa",
    "Ruth",
    "Ryan",
    "Sam",
    "Sara",
    "Sean",
    "Shaun",
    "Sophie",
    "Steve",
    "Tara",
    "Tom",
    "Tony",
    "Tracy",
    "Wayne",
    "Zoe",
]
LAST = [
    "Ahmed",
    "Ali",
    "Allen",
    "Bailey",
    "Baker",
    "Begum",
    "Bell",
    "Brown",
    "Campbell",
    "Carter",
    "Clarke",
    "Collins",
    "Cook",
    "Cooper",
    "Davies",
    "Edwards",
    "Evans",
    "Fisher",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "King",
    "Lee",
    "Lewis",
    "Martin",
    "Mensah",
    "Moore",
    "Morgan",
    "Morris",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Owen",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
SENTENCES = (
    "Met at the flat for our weekly key-work session.",
    "We talked about the rent arrears and the letter from the housing officer.",
    "Rang the council together about the housing benefit claim; they will call back.",
    "She said her mood has been low this week and she has not been sleeping.",
    "Reminded him about the GP appointment on Thursday and wrote it on the calendar.",
    "Went through the budget: gas and electric are on the key meter, food money is tight.",
    "He has been going to the recovery group at the hub and says it helps.",
    "Discussed the tenancy agreement and what the landlord expects about visitors.",
    "Applied for a food bank voucher and gave the address of the nearest one.",
    "Talked through the safety plan; she knows who to ring if things get bad at night.",
    "Probation appointment kept; the officer is pleased with progress.",
    "Filled in the PIP form together; posted it recorded delivery.",
    "The room was tidy and there were no concerns about the smoke alarm.",
    "Agreed to look for a food hygiene course at the college for the spring term.",
    "Did not answer the door; left a card and will try again tomorrow.",
    "Spoke to the care co-ordinator about the change in medication.",
    "He wants to reconnect with his sister and we wrote a letter together.",
    "Checked the universal credit journal and answered the work coach's message.",
    "Noise complaint from the neighbour discussed calmly; he apologised.",
    "Made a referral to the debt advice service; first appointment next week.",
)
SUBJECTS = tuple(sentence[:60] for sentence in SENTENCES)
RARE = "xylophonist"  # one note holds it, so the benchmark's search has a needle
NEEDLE = f"He plays the {RARE} at the community centre on Fridays."


class Command(BaseCommand):
    help = "Makes a large, realistic organisation for the benchmark (see the module's text)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--notes-per-person", type=float, default=10.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--name", default="", help="The organisation's name.")

    def handle(
        self,
        *args,
        people: int,
        notes_per_person: float,
        seed: int,
        batch: int,
        name: str,
        **options,
    ):
        from keywork.organisations.models import Organisation

        if people < 1:
            raise CommandError("Give --people 1 or more.")
        name = name or f"Scale {people:,}"
        if Organisation.objects.filter(name=name).exists():
            raise CommandError(f"{name} already exists; give another --name.")
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, repeatable by seed
        # Notices and involvement draw from their own stream, so that adding them changed
        # nothing else the generator makes from a seed.
        self.rng_involvement = random.Random(seed + 1)  # noqa: S311
        self.rng_events = random.Random(seed + 2)  # noqa: S311 - and events theirs
        self.rng_oncall = random.Random(seed + 3)  # noqa: S311 - and on call its own
        self.batch = batch
        self.started = time.perf_counter()
        self.now, self.today = timezone.now(), timezone.localdate()
        self.say(f"Making {name}: {people:,} people, about {notes_per_person:g} notes each")
        with transaction.atomic():
            (org,) = Organisation.objects.bulk_create(
                [Organisation(name=name, short_name=name[:30])]
            )
            services, workers = self.organisation(org, people)
        self.people(org, services, workers, people, notes_per_person)
        with transaction.atomic():
            # From a random stream of its own, so that nothing else made from a seed changes.
            rng_training = random.Random(seed + 20)  # noqa: S311
            written = scale_training(org, rng_training, self.today)
        self.say(f"{written:,} training records")
        self.say(f"Done in {time.perf_counter() - self.started:,.0f} s")

    def say(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.stdout.write(f"[{elapsed:7.1f} s] {text}")
        self.stdout.flush()

    # --- The organisation -------------------------------------------------------------

    def organisation(self, org, people: int):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from keywork.accounts.models import Membership, Role, User
        from keywork.organisations.models import Area, Service, Team

        (area,) = Area.objects.bulk_create(
            [Area(organisation=org, name="Scale area", kind="council")]
        )
        # Teams as in life: a service of about 300 people, its team of a dozen workers
        # with caseloads of about 25, a senior and a lead manager.
        count = max(3, people // 300)
        per_service = max(2, people // count // 25)
        services = Service.objects.bulk_create(
            Service(
                organisation=org,
                name=f"Service {n + 1}",
                type=Service.Type.ACCOMMODATION if n % 3 == 0 else Service.Type.FLOATING,
                area=area,
            )
            for n in range(count)
        )
        teams = Team.objects.bulk_create(
            Team(organisation=org, name=f"Team {n + 1}") for n in range(count)
        )
        Team.services.through.objects.bulk_create(
            Team.services.through(team=team, service=service)
            for team, service in zip(teams, services, strict=True)
        )
        staff = []  # (user, role, team, service)
        for n, (service, team) in enumerate(zip(services, teams, strict=True)):
            for role, how_many in (
                (Role.SUPPORT_WORKER, per_service),
                (Role.SENIOR_PRACTITIONER, 1),
                (Role.LEAD_MANAGER, 1),
            ):
                for k in range(how_many):
                    user = User(
                        email=f"{role}.{n + 1}.{k + 1}@scale-{org.pk}.keywork.test",
                        full_name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
                        organisation=org,
                    )
                    user.set_unusable_password()
                    staff.append((user, role, team, service))
        User.objects.bulk_create([user for user, *_ in staff], batch_size=2000)
        Membership.objects.bulk_create(
            (Membership(user=user, role=role, team=team) for user, role, team, _ in staff),
            batch_size=2000,
        )
        TOTPDevice.objects.bulk_create(
            (TOTPDevice(user=user, name="Scale", confirmed=True) for user, *_ in staff),
            batch_size=2000,
        )
        workers = {service.pk: [] for service in services}
        for user, role, _, service in staff:
            if role == Role.SUPPORT_WORKER:
                workers[service.pk].append(user)
        self.say(f"{count} services and teams, {sum(len(w) for w in workers.values()):,} workers")
        return services, workers

    # --- People and everything about them -------------------------------------------------

    def people(self, org, services, workers, total: int, notes_per_person: float):
        from keywork.events.models import SignUp
        from keywork.housing.models import Tenancy, Unit
        from keywork.involvement.models import Participation
        from keywork.notes.models import FileNote, FileNoteVersion
        from keywork.notices.models import Receipt
        from keywork.oncall.models import FollowUp, LogEntry
        from keywork.outcomes.models import Rating
        from keywork.outcomes.services import shipped_framework
        from keywork.people.models import Episode, Person, Referral
        from keywork.people.services import match_keys_for, search_names_for
        from keywork.planning.models import Action, Goal, SupportPlan
        from keywork.risk.models import RiskArea, RiskAssessment

        # Worked out once for every pair of names, by the functions that save a person,
        # so that duplicate checks and name search at scale see what they see in use.
        self.names = {}
        for first in FIRST:
            for last in LAST:
                named = Person(first_name=first, last_name=last)
                self.names[first, last] = (search_names_for(named), match_keys_for(named))
        creator = workers[services[0].pk][0]
        self.creator_id = creator.pk
        framework = shipped_framework()
        self.domains = list(framework.domains.values_list("pk", flat=True))
        self.workers = {pk: [u.pk for u in staff] for pk, staff in workers.items()}
        self.houses: dict[int, int] = {}
        # A Pareto(1.3) draw has a mean of 4.33; whole numbers and the cap of 2,000 a
        # person take about a sixth off, so this scale gives notes_per_person on average.
        self.note_scale = notes_per_person / 3.69
        self.needle_written = False
        self.vectors = SearchVectors() if connection.vendor == "postgresql" else None
        self.notices_and_meetings(org, services)
        self.events(org, services)
        self.oncall(org, services)
        made = 0
        with self.fast_load(large=total >= 100_000) as sink:
            self.w = SimpleNamespace(
                person=RowWriter(Person, sink, organisation=org, created_by=creator),
                referral=RowWriter(
                    Referral,
                    sink,
                    organisation=org,
                    source="council",
                    reason="Needs support to keep a home.",
                    status="accepted",
                    decided_by=creator,
                    created_by=creator,
                ),
                episode=RowWriter(Episode, sink, organisation=org, created_by=creator),
                note=RowWriter(FileNote, sink, organisation=org, contact_type="key_work"),
                version=RowWriter(FileNoteVersion, sink, number=1),
                plan=RowWriter(SupportPlan, sink, organisation=org, framework=framework),
                goal=RowWriter(Goal, sink),
                action=RowWriter(Action, sink, owner="person"),
                rating=RowWriter(Rating, sink, organisation=org, rated_by="together"),
                assessment=RowWriter(
                    RiskAssessment,
                    sink,
                    organisation=org,
                    summary="Two staff for visits; meet in daylight.",
                ),
                area=RowWriter(RiskArea, sink, management_plan="Weekly check-in."),
                unit=RowWriter(Unit, sink, capacity=1),
                tenancy=RowWriter(Tenancy, sink, kind=Tenancy.Kind.LICENCE),
                receipt=RowWriter(Receipt, sink, how=Receipt.How.BY_HAND),
                participation=RowWriter(Participation, sink, role="took_part"),
                sign_up=RowWriter(SignUp, sink, status=SignUp.Status.ATTENDED),
                call=RowWriter(
                    LogEntry,
                    sink,
                    organisation=org,
                    caller=LogEntry.Caller.PERSON,
                    what_happened="Rang at night, anxious; talked it through.",
                    advice="Ring back if it gets worse.",
                ),
                follow_up=RowWriter(FollowUp, sink, what="Check in with them in the morning"),
            )
            writers = list(vars(self.w).values())
            while made < total:
                size = min(self.batch, total - made)
                first_note = self.w.note.next_id
                with transaction.atomic():
                    for _ in range(size):
                        self.person(org, services)
                    for writer in writers:  # in the order rows point at each other
                        writer.flush()
                    if self.vectors is None:
                        self.index(first_note, self.w.note.next_id - 1)
                made += size
                self.say(f"people {made:,} of {total:,} ({self.w.note.written:,} file notes)")
            for writer in writers:
                writer.finish()

    @contextmanager
    def fast_load(self, large: bool):
        """On PostgreSQL, outside a transaction: rows go in from a second connection in a
        thread of its own (see CopySink), no commit waits for the disk, and a superuser
        skips the foreign-key triggers (every id here points at a row written before it).
        For a large run the file notes' indexes are dropped and built again at the end,
        several times quicker than keeping them up to date row by row. Gives the sink, or
        None where rows go in on Django's own connection (SQLite, or inside a test)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            yield None
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            superuser = cursor.fetchone()[0]
            dropped = []
            if large:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                    "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                    [["notes_filenote", "notes_filenoteversion"]],
                )
                dropped = cursor.fetchall()
                for index_name, _ in dropped:
                    cursor.execute(f'DROP INDEX "{index_name}"')
        session = ["SET synchronous_commit = off"]
        if superuser:
            session.append("SET session_replication_role = replica")
        sink = CopySink(session)
        try:
            yield sink
            sink.close()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for index_name, definition in dropped:
                    self.say(f"building index {index_name}")
                    cursor.execute(definition)

    def person(self, org, services) -> None:
        rng, w, today = self.rng, self.w, self.today
        first, last = rng.choice(FIRST), rng.choice(LAST)
        person = w.person.add(
            first_name=first,
            last_name=last,
            date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
            search_names=self.names[first, last][0],
            match_keys=self.names[first, last][1],
        )
        service = rng.choice(services)
        started = today - timedelta(days=rng.randint(30, 3000))
        ended = rng.random() < 0.3
        end_date = min(today, started + timedelta(days=rng.randint(60, 900))) if ended else None
        referral = w.referral.add(
            person_id=person,
            service_id=service.pk,
            received_on=started - timedelta(days=14),
            decided_on=started - timedelta(days=7),
        )
        key_worker = rng.choice(self.workers[service.pk])
        episode = w.episode.add(
            person_id=person,
            service_id=service.pk,
            referral_id=referral,
            start_date=started,
            key_worker_id=key_worker,
            end_date=end_date,
            end_reason="planned" if ended else "",
            destination="social_tenancy" if ended else "",
            ended_by_id=self.creator_id if ended else None,
        )
        self.notes(person, episode, key_worker, started, end_date or today)
        if not ended:
            self.plan_and_risk(person, episode, key_worker, started)
            self.involvement(service, person, key_worker, started)
            self.attendance(service, person, key_worker, started)
            self.calls(service, person, key_worker, started)
            if service.type == service.Type.ACCOMMODATION:
                self.stay(org, service, person, episode, key_worker, started)

    def notes(self, person: int, episode: int, author: int, start: date, end: date) -> None:
        """Skewed like life: a Pareto draw, so most have a few and some have hundreds."""
        rng, w = self.rng, self.w
        count = min(2000, int(rng.paretovariate(1.3) * self.note_scale))
        span = max(1, (end - start).days)
        midnight = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        for _ in range(count):
            at = min(
                self.now,
                midnight + timedelta(days=rng.randint(0, span), minutes=rng.randint(540, 1080)),
            )
            subject = rng.choice(SUBJECTS)
            fragments = [rng.choice(SENTENCES) for _ in range(rng.randint(2, 14))]
            if not self.needle_written:
                fragments.append(NEEDLE)
                self.needle_written = True
            text = " ".join(fragments)
            note = w.note.add(
                person_id=person,
                episode_id=episode,
                contact_at=at,
                duration_minutes=rng.choice((15, 30, 45, 60)),
                subject=subject,
                text=text,
                author_id=author,
                recorded_at=at,
                search_vector=self.vectors.vector(subject, fragments) if self.vectors else None,
            )
            w.version.add(
                note_id=note, subject=subject, text=text, written_by_id=author, written_at=at
            )

    def plan_and_risk(self, person: int, episode: int, key_worker: int, started: date) -> None:
        rng, w, today = self.rng, self.w, self.today
        plan = w.plan.add(
            person_id=person,
            episode_id=episode,
            next_review_on=today + timedelta(days=rng.randint(-30, 84)),
            created_by_id=key_worker,
        )
        for domain in rng.sample(self.domains, 3):
            goal = w.goal.add(plan_id=plan, domain_id=domain, in_own_words=rng.choice(SENTENCES))
            for _ in range(2):
                w.action.add(
                    goal_id=goal,
                    what=rng.choice(SENTENCES)[:120],
                    due_on=today + timedelta(days=rng.randint(-20, 60)),
                )
        for days in (7, 90):
            if started + timedelta(days=days) <= today:
                for domain in self.domains:
                    w.rating.add(
                        episode_id=episode,
                        domain_id=domain,
                        score=rng.randint(1, 10),
                        rated_on=started + timedelta(days=days),
                        recorded_by_id=key_worker,
                    )
        assessment = w.assessment.add(
            person_id=person,
            overall=rng.choice(("low", "low", "medium", "high")),
            review_on=today + timedelta(days=rng.randint(-20, 84)),
            updated_by_id=key_worker,
            updated_at=self.now,
        )
        for domain in ("self", "staff"):
            w.area.add(
                assessment_id=assessment, domain=domain, level=rng.choice(("low", "medium", "high"))
            )

    def stay(self, org, service, person: int, episode: int, key_worker: int, started: date):
        """In the accommodation services, a room of its own for everyone in support."""
        from keywork.housing.models import Property

        if service.pk not in self.houses:
            (house,) = Property.objects.bulk_create(
                [
                    Property(
                        organisation=org,
                        service=service,
                        name=f"{service.name} house",
                        address="1 High Street",
                        type=Property.Type.HOSTEL,
                    )
                ]
            )
            self.houses[service.pk] = house.pk
        unit = self.w.unit.add(
            property_id=self.houses[service.pk], name=f"Room {episode}", opened_on=started
        )
        self.w.tenancy.add(
            episode_id=episode,
            person_id=person,
            unit_id=unit,
            start_date=started,
            created_by_id=key_worker,
        )

    def notices_and_meetings(self, org, services) -> None:
        """Per service: a notice for everyone every fortnight over the last quarter (one
        in three to be acknowledged), and a residents' meeting every month for a year
        with two actions each, most done."""
        from keywork.involvement.models import InvolvementAction, InvolvementSession
        from keywork.notices.models import Notice

        today = self.today
        self.notices: dict[int, list[tuple[int, date, bool]]] = {}
        self.meetings: dict[int, list[tuple[int, date]]] = {}
        for service in services:
            staff = self.workers[service.pk][0]
            notices = Notice.objects.bulk_create(
                Notice(
                    organisation=org,
                    service=service,
                    title=f"House notice {k + 1}",
                    body="Please read this notice.",
                    audience=Notice.Audience.SERVICE,
                    published_on=today - timedelta(days=14 * k),
                    needs_acknowledgement=k % 3 == 0,
                    created_by_id=staff,
                )
                for k in range(6)
            )
            self.notices[service.pk] = [
                (n.pk, n.published_on, n.needs_acknowledgement) for n in notices
            ]
            meetings = InvolvementSession.objects.bulk_create(
                InvolvementSession(
                    organisation=org,
                    service=service,
                    kind=InvolvementSession.Kind.RESIDENTS_MEETING,
                    title="Residents' meeting",
                    held_on=today - timedelta(days=30 * k + 3),
                    decided="Agreed a rota for the kitchen.",
                    created_by_id=staff,
                )
                for k in range(12)
            )
            self.meetings[service.pk] = [(m.pk, m.held_on) for m in meetings]
            InvolvementAction.objects.bulk_create(
                InvolvementAction(
                    session=meeting,
                    what=f"Action {n + 1} from the meeting",
                    owner_id=self.rng_involvement.choice(self.workers[service.pk]),
                    due_on=meeting.held_on + timedelta(days=14),
                    done_on=(
                        min(today, meeting.held_on + timedelta(days=10))
                        if self.rng_involvement.random() < 0.8
                        else None
                    ),
                    created_by_id=staff,
                )
                for meeting in meetings
                for n in range(2)
            )

    def involvement(self, service, person: int, key_worker: int, started: date) -> None:
        """Most people in support have had each notice since they started, a few days
        after it came out; about 8 of a service's people take part in each meeting."""
        rng, w, today = self.rng_involvement, self.w, self.today
        for notice, published, needs_acknowledgement in self.notices[service.pk]:
            if published < started or rng.random() > 0.85:
                continue
            received = min(today, published + timedelta(days=rng.randint(0, 10)))
            acknowledged = None
            if needs_acknowledgement and rng.random() < 0.7:
                acknowledged = min(today, received + timedelta(days=rng.randint(0, 3)))
            w.receipt.add(
                notice_id=notice,
                person_id=person,
                received_on=received,
                given_by_id=key_worker,
                acknowledged_on=acknowledged,
                acknowledged_recorded_by_id=key_worker if acknowledged else None,
            )
        for meeting, held in self.meetings[service.pk]:
            if held >= started and rng.random() < 0.04:
                w.participation.add(session_id=meeting, person_id=person, added_by_id=key_worker)

    def events(self, org, services) -> None:
        """Per service: three weekly groups and a monthly residents' meeting, each from a
        year ago to two months ahead, as the service's sessions."""
        from keywork.events.models import Event, Session

        today, zone = self.today, timezone.get_current_timezone()
        first = today - timedelta(days=364)
        self.sessions: dict[int, dict] = {}
        for service in services:
            staff = self.workers[service.pk][0]
            events = Event.objects.bulk_create(
                Event(
                    organisation=org,
                    title=title,
                    kind=kind,
                    venue="The lounge",
                    capacity=capacity,
                    repeat=repeat,
                    first_date=first + timedelta(days=offset),
                    until=today + timedelta(days=60),
                    starts_at=dt_time(hour, 0),
                    ends_at=dt_time(hour + 2, 0),
                    created_by_id=staff,
                )
                for title, kind, repeat, capacity, offset, hour in (
                    ("Cooking group", "skills", "weekly", 25, 1, 11),
                    ("Walking group", "wellbeing", "weekly", 25, 3, 10),
                    ("Games afternoon", "social", "weekly", 25, 5, 14),
                    ("Residents' meeting", "residents_meeting", "monthly", 40, 0, 18),
                )
            )
            Event.services.through.objects.bulk_create(
                Event.services.through(event=event, service=service) for event in events
            )
            sessions = []
            for event in events:
                step = 7 if event.repeat == "weekly" else 28
                day = event.first_date
                while day <= event.until:
                    starts = datetime.combine(day, event.starts_at, tzinfo=zone)
                    sessions.append(
                        Session(
                            event=event,
                            starts_at=starts,
                            ends_at=starts + timedelta(hours=2),
                            venue=event.venue,
                        )
                    )
                    day += timedelta(days=step)
            made = Session.objects.bulk_create(sessions, batch_size=2000)
            by_month: dict[int, list] = {}
            ahead = []
            for session, event in ((s, s.event) for s in made):
                place = [session.pk, session.starts_at, event.capacity, 0]
                days_ago = (today - session.starts_at.date()).days
                if 0 < days_ago < 360:  # twelve months of thirty days
                    by_month.setdefault(days_ago // 30, []).append(place)
                elif days_ago < 0:
                    ahead.append(place)
            self.sessions[service.pk] = {"past": by_month, "ahead": ahead}

    def attendance(self, service, person: int, key_worker: int, started: date) -> None:
        """About one attendance a month while in support (most attended, a few late,
        some did not come or cancelled), and a place at a session to come for some."""
        rng, w, today = self.rng_events, self.w, self.today
        sessions = self.sessions[service.pk]
        for month, places in sessions["past"].items():
            if today - timedelta(days=30 * month) < started or rng.random() > 0.95:
                continue
            place = rng.choice(places)
            if place[3] >= place[2]:
                continue
            place[3] += 1
            draw = rng.random()
            status = (
                "attended"
                if draw < 0.8
                else "late"
                if draw < 0.88
                else "did_not_attend"
                if draw < 0.96
                else "cancelled"
            )
            w.sign_up.add(
                session_id=place[0],
                person_id=person,
                status=status,
                signed_up_at=place[1] - timedelta(days=2),
                signed_up_by_id=key_worker,
                marked_at=place[1] + timedelta(hours=2),
                marked_by_id=key_worker,
                cancelled_at=place[1] - timedelta(hours=3) if status == "cancelled" else None,
                cancel_reason="Unwell" if status == "cancelled" else "",
            )
        if sessions["ahead"] and rng.random() < 0.15:
            place = rng.choice(sessions["ahead"])
            place[3] += 1
            w.sign_up.add(
                session_id=place[0],
                person_id=person,
                status="place" if place[3] <= place[2] else "waiting",
                signed_up_at=self.now - timedelta(days=rng.randint(0, 10)),
                signed_up_by_id=key_worker,
            )

    # On call: a rota for every four services, with a day and a night shift first on call
    # and a second worker behind them each night (as manager on call), for the last half
    # year and four weeks ahead, shared among four workers of each service.
    ONCALL_DAYS_BACK = 182
    ONCALL_DAYS_AHEAD = 28
    # Two calls a service a night, spread over the service's people in support (about
    # 300): a person in support for the whole half year calls about once.
    CALLS_A_PERSON_A_NIGHT = 2 / 300

    def oncall(self, org, services) -> None:
        from keywork.oncall.models import ContactNumber, Rota, Shift
        from keywork.people.models import ServiceCover

        today, zone, now = self.today, timezone.get_current_timezone(), self.now
        groups = [services[n : n + 4] for n in range(0, len(services), 4)]
        rotas = Rota.objects.bulk_create(
            Rota(organisation=org, name=f"Out of hours {n + 1}", created_by_id=self.creator_id)
            for n in range(len(groups))
        )
        Rota.services.through.objects.bulk_create(
            Rota.services.through(rota=rota, service=service)
            for rota, group in zip(rotas, groups, strict=True)
            for service in group
        )
        on_call = sorted({pk for group in groups for s in group for pk in self.workers[s.pk][:4]})
        ContactNumber.objects.bulk_create(
            (
                ContactNumber(organisation=org, user_id=pk, number=f"07700 9{pk % 100000:05d}")
                for pk in on_call
            ),
            batch_size=2000,
        )
        self.rota_of: dict[int, int] = {}
        self.night_shifts: dict[tuple[int, date], tuple[int, int]] = {}
        covers = []
        for rota, group in zip(rotas, groups, strict=True):
            people = [pk for s in group for pk in self.workers[s.pk][:4]]
            shifts = []
            for offset in range(-self.ONCALL_DAYS_BACK, self.ONCALL_DAYS_AHEAD):
                day = today + timedelta(days=offset)
                nine = datetime.combine(day, dt_time(9, 0), tzinfo=zone)
                five = datetime.combine(day, dt_time(17, 0), tzinfo=zone)
                morning = datetime.combine(day + timedelta(days=1), dt_time(9, 0), tzinfo=zone)
                worker = people[offset % len(people)]
                shifts += [
                    Shift(rota=rota, line="first", worker_id=worker, starts_at=nine, ends_at=five),
                    Shift(
                        rota=rota,
                        line="first",
                        worker_id=people[(offset + 1) % len(people)],
                        starts_at=five,
                        ends_at=morning,
                    ),
                    Shift(
                        rota=rota,
                        line="manager",
                        worker_id=people[(offset + 2) % len(people)],
                        starts_at=five,
                        ends_at=morning,
                    ),
                ]
            made = Shift.objects.bulk_create(shifts, batch_size=2000)
            for service in group:
                self.rota_of[service.pk] = rota.pk
            for shift in made:
                if shift.line == "first" and shift.starts_at.hour == 17:
                    self.night_shifts[rota.pk, shift.starts_at.date()] = (shift.pk, shift.worker_id)
                if shift.ends_at > now:  # the reach of shifts to come; past ones have none
                    covers += [
                        ServiceCover(
                            organisation=org,
                            user_id=shift.worker_id,
                            service=service,
                            starts_at=shift.starts_at,
                            ends_at=shift.ends_at,
                            key=f"oncall.shift:{shift.pk}",
                        )
                        for service in group
                    ]
        ServiceCover.objects.bulk_create(covers, batch_size=5000)
        self.say(f"{len(rotas):,} on-call rotas, {len(self.night_shifts):,} nights")

    def calls(self, service, person: int, key_worker: int, started: date) -> None:
        """The person's calls to on call over the last half year, at the rate above; a
        quarter leave a follow-up for the key worker, done unless it was this week."""
        rng, w, today = self.rng_oncall, self.w, self.today
        first = max(started, today - timedelta(days=self.ONCALL_DAYS_BACK))
        nights = (today - first).days
        expected = nights * self.CALLS_A_PERSON_A_NIGHT
        count = int(expected) + (rng.random() < expected - int(expected))
        rota = self.rota_of[service.pk]
        for _ in range(count):
            night = today - timedelta(days=rng.randint(1, max(1, nights)))
            found = self.night_shifts.get((rota, night))
            if found is None:
                continue
            shift, worker = found
            call_at = datetime.combine(
                night, dt_time(17, 0), tzinfo=timezone.get_current_timezone()
            ) + timedelta(minutes=rng.randint(10, 15 * 60))
            entry = w.call.add(
                rota_id=rota,
                shift_id=shift,
                written_by_id=worker,
                call_at=call_at,
                person_id=person,
                service_id=service.pk,
                written_at=call_at + timedelta(minutes=20),
            )
            if rng.random() < 0.25:
                recent = (today - night).days <= 7
                w.follow_up.add(
                    entry_id=entry,
                    assigned_to_id=key_worker,
                    due_on=night + timedelta(days=1),
                    done_at=None if recent else call_at + timedelta(days=1),
                    done_by_id=None if recent else key_worker,
                )

    def index(self, first_id: int, last_id: int) -> None:
        """On SQLite, the notes' words into the FTS5 search table, in one statement."""
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO notes_filenote_fts(rowid, subject, text) "
                "SELECT id, subject, text FROM notes_filenote WHERE id BETWEEN %s AND %s",
                [first_id, last_id],
            )
