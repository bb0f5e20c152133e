"""manage.py seed_scale --people N: a realistic organisation at scale, for the benchmark.

Services, teams and staff in proportion; people with referrals and episodes (most in
support, some moved on); file notes of realistic length and vocabulary, skewed as in
life (most people have a few, some have hundreds); support plans with goals, actions and
ratings; risk assessments; a room and a stay for everyone in the accommodation services.
Rows go in with bulk inserts, a batch at a time, saying how far it has got. It writes no
audit rows: the audit records what people do, and nobody did this."""

import random
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

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
RARE = "xylophonist"  # one note holds it, so the benchmark's search has a needle


def _note_text(rng: random.Random) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 14)))


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
        self.batch = batch
        self.started = time.perf_counter()
        self.say(f"Making {name}: {people:,} people, about {notes_per_person:g} notes each")
        with transaction.atomic():
            org = Organisation.objects.create(name=name, short_name=name[:30])
            services, workers = self.organisation(org, people)
        self.people(org, services, workers, people, notes_per_person)
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

        area = Area.objects.create(organisation=org, name="Scale area", kind="council")
        # Teams as in life: a service of about 300 people, its team of a dozen workers
        # with caseloads of about 25, a senior and a lead manager.
        count = max(3, people // 300)
        services, workers = [], {}
        for n in range(count):
            service = Service.objects.create(
                organisation=org,
                name=f"Service {n + 1}",
                type=Service.Type.ACCOMMODATION if n % 3 == 0 else Service.Type.FLOATING,
                area=area,
            )
            team = Team.objects.create(organisation=org, name=f"Team {n + 1}")
            team.services.add(service)
            services.append(service)
            staff = []
            per_service = max(2, people // count // 25)
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
                    user.save()
                    Membership.objects.create(user=user, role=role, team=team)
                    TOTPDevice.objects.create(user=user, name="Scale", confirmed=True)
                    if role == Role.SUPPORT_WORKER:
                        staff.append(user)
            workers[service.pk] = staff
        self.say(f"{count} services and teams, {sum(len(w) for w in workers.values()):,} workers")
        return services, workers

    # --- People and everything about them -------------------------------------------------

    def people(self, org, services, workers, total: int, notes_per_person: float):
        from keywork.people.models import Episode, Person, Referral

        rng, today = self.rng, timezone.localdate()
        creator = workers[services[0].pk][0]
        made = 0
        while made < total:
            size = min(self.batch, total - made)
            with transaction.atomic():
                persons = []
                for _ in range(size):
                    first, last = rng.choice(FIRST), rng.choice(LAST)
                    persons.append(
                        Person(
                            organisation=org,
                            first_name=first,
                            last_name=last,
                            date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
                            search_names=f"{first} {last}".lower(),
                            match_keys=f"{last.lower()}|{first.lower()[:1]}",
                            created_by=creator,
                        )
                    )
                persons = Person.objects.bulk_create(persons)
                referrals, episodes = [], []
                for person in persons:
                    service = rng.choice(services)
                    started = today - timedelta(days=rng.randint(30, 3000))
                    ended = rng.random() < 0.3
                    referrals.append(
                        Referral(
                            organisation=org,
                            person=person,
                            service=service,
                            received_on=started - timedelta(days=14),
                            source="council",
                            reason="Needs support to keep a home.",
                            status="accepted",
                            decided_on=started - timedelta(days=7),
                            decided_by=creator,
                            created_by=creator,
                        )
                    )
                    episodes.append(
                        Episode(
                            organisation=org,
                            person=person,
                            service=service,
                            start_date=started,
                            key_worker=rng.choice(workers[service.pk]),
                            end_date=min(today, started + timedelta(days=rng.randint(60, 900)))
                            if ended
                            else None,
                            end_reason="planned" if ended else "",
                            destination="social_tenancy" if ended else "",
                            ended_by=creator if ended else None,
                            created_by=creator,
                        )
                    )
                referrals = Referral.objects.bulk_create(referrals)
                for referral, episode in zip(referrals, episodes, strict=True):
                    episode.referral = referral
                episodes = Episode.objects.bulk_create(episodes)
                self.notes(org, episodes, notes_per_person, first_batch=made == 0)
                open_episodes = [e for e in episodes if e.end_date is None]
                self.plans_and_risk(org, open_episodes)
                self.stays(org, open_episodes)
            made += size
            self.say(f"people {made:,} of {total:,}")

    def notes(self, org, episodes, per_person: float, first_batch: bool):
        from keywork.notes.models import FileNote, FileNoteVersion

        rng, now = self.rng, timezone.now()
        # Skewed like life: a Pareto draw scaled so the mean is about per_person.
        scale = per_person / 4.33
        notes = []
        for episode in episodes:
            count = min(2000, int(rng.paretovariate(1.3) * scale))
            end = episode.end_date or timezone.localdate()
            span = max(1, (end - episode.start_date).days)
            for _ in range(count):
                at = timezone.make_aware(
                    timezone.datetime.combine(
                        episode.start_date + timedelta(days=rng.randint(0, span)),
                        timezone.datetime.min.time(),
                    )
                ) + timedelta(minutes=rng.randint(540, 1080))
                notes.append(
                    FileNote(
                        organisation=org,
                        person_id=episode.person_id,
                        episode=episode,
                        contact_type="key_work",
                        contact_at=min(at, now),
                        duration_minutes=rng.choice((15, 30, 45, 60)),
                        subject=rng.choice(SENTENCES)[:60],
                        text=_note_text(rng),
                        author_id=episode.key_worker_id,
                        recorded_at=min(at, now),
                    )
                )
        if first_batch and notes:
            notes[0].text += f" He plays the {RARE} at the community centre on Fridays."
        for start in range(0, len(notes), 5000):
            chunk = FileNote.objects.bulk_create(notes[start : start + 5000])
            FileNoteVersion.objects.bulk_create(
                FileNoteVersion(
                    note=n,
                    number=1,
                    subject=n.subject,
                    text=n.text,
                    written_by_id=n.author_id,
                    written_at=n.recorded_at,
                )
                for n in chunk
            )
            self.index(chunk[0].pk, chunk[-1].pk)

    def index(self, first_id: int, last_id: int) -> None:
        """The notes' words into the search index, in the database, one statement."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO notes_filenote_fts(rowid, subject, text) "
                    "SELECT id, subject, text FROM notes_filenote WHERE id BETWEEN %s AND %s",
                    [first_id, last_id],
                )
            else:
                cursor.execute(
                    "UPDATE notes_filenote SET search_vector = "
                    "setweight(to_tsvector('english', subject), 'A') || "
                    "setweight(to_tsvector('english', text), 'B') "
                    "WHERE id BETWEEN %s AND %s",
                    [first_id, last_id],
                )

    def plans_and_risk(self, org, episodes):
        from keywork.outcomes.models import Rating
        from keywork.outcomes.services import shipped_framework
        from keywork.planning.models import Action, Goal, SupportPlan
        from keywork.risk.models import RiskArea, RiskAssessment

        rng, today, now = self.rng, timezone.localdate(), timezone.now()
        framework = shipped_framework()
        domains = list(framework.domains.all())
        plans = SupportPlan.objects.bulk_create(
            SupportPlan(
                organisation=org,
                person_id=e.person_id,
                episode=e,
                framework=framework,
                next_review_on=today + timedelta(days=rng.randint(-30, 84)),
                created_by_id=e.key_worker_id,
            )
            for e in episodes
        )
        goals = Goal.objects.bulk_create(
            Goal(plan=plan, domain=domain, in_own_words=rng.choice(SENTENCES))
            for plan in plans
            for domain in rng.sample(domains, 3)
        )
        Action.objects.bulk_create(
            Action(
                goal=goal,
                what=rng.choice(SENTENCES)[:120],
                owner="person",
                due_on=today + timedelta(days=rng.randint(-20, 60)),
            )
            for goal in goals
            for _ in range(2)
        )
        Rating.objects.bulk_create(
            Rating(
                organisation=org,
                episode=e,
                domain=d,
                score=rng.randint(1, 10),
                rated_by="together",
                rated_on=e.start_date + timedelta(days=days),
                recorded_by_id=e.key_worker_id,
            )
            for e in episodes
            for d in domains
            for days in (7, 90)
            if e.start_date + timedelta(days=days) <= today
        )
        assessments = RiskAssessment.objects.bulk_create(
            RiskAssessment(
                organisation=org,
                person_id=e.person_id,
                overall=rng.choice(("low", "low", "medium", "high")),
                summary="Two staff for visits; meet in daylight.",
                review_on=today + timedelta(days=rng.randint(-20, 84)),
                updated_by_id=e.key_worker_id,
                updated_at=now,
            )
            for e in episodes
        )
        RiskArea.objects.bulk_create(
            RiskArea(
                assessment=a,
                domain=domain,
                level=rng.choice(("low", "medium", "high")),
                management_plan="Weekly check-in.",
            )
            for a in assessments
            for domain in ("self", "staff")
        )

    def stays(self, org, episodes):
        """In the accommodation services, a room of its own for everyone in support."""
        from keywork.housing.models import Property, Tenancy, Unit

        houses = getattr(self, "houses", {})
        self.houses = houses
        from keywork.organisations.models import Service

        housed = [e for e in episodes if e.service.type == Service.Type.ACCOMMODATION]
        for episode in housed:
            if episode.service_id not in houses:
                houses[episode.service_id] = Property.objects.create(
                    organisation=org,
                    service=episode.service,
                    name=f"{episode.service.name} house",
                    address="1 High Street",
                    type=Property.Type.HOSTEL,
                )
        units = Unit.objects.bulk_create(
            Unit(
                property=houses[e.service_id],
                name=f"Room {e.pk}",
                capacity=1,
                opened_on=e.start_date,
            )
            for e in housed
        )
        Tenancy.objects.bulk_create(
            Tenancy(
                episode=e,
                person_id=e.person_id,
                unit=unit,
                kind=Tenancy.Kind.LICENCE,
                start_date=e.start_date,
                created_by_id=e.key_worker_id,
            )
            for e, unit in zip(housed, units, strict=True)
        )
