"""Planted content: distinctive details written on people some personas may not see, then
every page the access matrix knows (and the lists, searches, feeds and print-outs that
could gather them) read by every persona. No page may show a planted string to a persona
who may not see the person it belongs to, whatever its status code.

One world and one set of plants for the whole test; every request runs in a savepoint
rolled back after it, so what one page writes (an audit row, a session) changes nothing
for the next."""

import html
import re
import subprocess
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from keywork.accounts.models import Role
from keywork.imports.models import ImportJob, ImportProblem
from keywork.people.models import Episode, EpisodeWorker, PossibleDuplicate
from keywork.planning.models import Goal
from keywork.testing.factories import ServiceFactory, TeamFactory, staff, supported_person
from keywork.testing.personas import PERSONA_NAMES, World, build_world
from tests.test_access_matrix import POLICY, TARGETS, Visitor


@dataclass
class Plant:
    """Someone's planted details: the strings that must show only to `seen_by`, and the
    URL arguments of their records, for the pages about them."""

    label: str
    seen_by: frozenset[str]
    strings: list[str] = field(default_factory=list)
    kwargs: dict[str, int] = field(default_factory=dict)
    # Other spellings of a detail, checked for leaks but not expected on any page.
    optional: frozenset[str] = frozenset()


def _uk_dates(born: date) -> list[str]:
    return [
        born.strftime("%d/%m/%Y"),
        f"{born.day} {born.strftime('%B %Y')}",
        f"{born.day} {born.strftime('%b %Y')}",
        born.isoformat(),
    ]


def _plant_person(
    world: World,
    *,
    label: str,
    seen_by: frozenset[str],
    service,
    key_worker,
    manager,
    last_name: str,
    born: date,
    address: str,
    subject: str,
    word: str,
) -> Plant:
    """A person supported in `service` by `key_worker`, with an episode, referral (and a
    second one, open, on the waiting list), file note and its attachment, appointment,
    task (overdue), alert, plan with a goal and an action, risk assessment, incident, and
    a stay in one of the service's rooms, each holding a string of its own. `manager` may
    add properties to the service."""
    from keywork.housing import services as housing
    from keywork.notes import services as notes
    from keywork.notes.appointments import appointment_create
    from keywork.notes.attachments import attachment_add
    from keywork.people import services as people
    from keywork.planning import services as planning
    from keywork.risk import services as risk
    from keywork.tasks import services as tasks
    from keywork.tasks.models import Task

    today = timezone.localdate()
    started = today - timedelta(days=7)
    texts = {
        "referral": f"{word} referral reason",
        "waiting": f"{word} waiting list reason",
        "note": f"{word} note text",
        "attachment": f"{word.lower()}-letter.pdf",
        "appointment": f"{word} appointment place",
        "task": f"{word} task title",
        "alert": f"{word} alert text",
        "goal": f"{word} goal in my own words",
        "action": f"{word} action to take",
        "risk summary": f"{word} risk summary",
        "risk triggers": f"{word} risk triggers",
        "incident": f"{word} incident happened",
        "incident place": f"{word} incident place",
        "incident part": f"{word} part they played",
    }
    person = people.person_create(
        actor=key_worker,
        first_name="Zebedee",
        last_name=last_name,
        date_of_birth=born,
        address=address,
        postcode="BS1 4QQ",
    )
    referral = people.referral_create(
        actor=key_worker,
        person=person,
        service=service,
        received_on=started,
        source="council",
        reason=texts["referral"],
    )
    episode = people.referral_accept(
        actor=key_worker, referral=referral, start_date=started, key_worker=key_worker
    )
    # A second referral, still open, puts them on the service's waiting list too.
    people.referral_create(
        actor=key_worker,
        person=person,
        service=service,
        received_on=today,
        source="self",
        reason=texts["waiting"],
    )
    note = notes.note_create(
        actor=key_worker,
        person=person,
        episode=episode,
        contact_type="key_work",
        contact_at=timezone.now() - timedelta(hours=2),
        duration_minutes=30,
        subject=subject,
        text=texts["note"],
    )
    attachment = attachment_add(
        actor=key_worker,
        note=note,
        upload=SimpleUploadedFile(
            texts["attachment"],
            f"%PDF-1.4\n% {word} letter body\n".encode(),
            content_type="application/pdf",
        ),
    )
    appointment = appointment_create(
        actor=key_worker,
        person=person,
        episode=episode,
        kind="key_work",
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place=texts["appointment"],
        staff=[key_worker],
        alerts_read=True,
    )
    task = tasks.task_create(
        actor=key_worker,
        assigned_to=key_worker,
        title=texts["task"],
        due_on=today,
        person=person,
    )
    Task.objects.filter(pk=task.pk).update(due_on=today - timedelta(days=3))
    alert = people.alert_add(actor=key_worker, person=person, text=texts["alert"], level="warning")
    plan = planning.plan_start(actor=key_worker, episode=episode)
    goal = planning.goal_add(
        actor=key_worker,
        plan=plan,
        domain=plan.framework.domains.first(),
        in_own_words=texts["goal"],
    )
    action = planning.action_add(
        actor=key_worker,
        goal=goal,
        what=texts["action"],
        owner="worker",
        owner_worker=key_worker,
        due_on=today + timedelta(days=7),
    )
    risk.risk_assessment_save(
        actor=key_worker,
        person=person,
        version=None,
        overall="medium",
        summary=texts["risk summary"],
        areas={"self": {"level": "medium", "triggers": texts["risk triggers"]}},
    )
    incident = risk.incident_report(
        actor=key_worker,
        service=service,
        type="violence",
        severity="high",
        occurred_at=timezone.now() - timedelta(hours=1),
        place=texts["incident place"],
        what_happened=texts["incident"],
        immediate_action="Called for help.",
        people=[person],
    )
    part = incident.people.get()
    risk.incident_part_set(actor=key_worker, part=part, their_part=texts["incident part"])
    house = housing.property_add(
        actor=manager,
        service=service,
        name=f"House of {service.name}",
        address="1 Quay",
        type="hostel",
    )
    unit = housing.unit_add(
        actor=manager, property=house, name="Room 1", capacity=1, opened_on=started
    )
    stay = housing.move_in(
        actor=key_worker, episode=episode, unit=unit, start_date=started, kind="licence"
    )
    team = service.teams.first()
    return Plant(
        label=label,
        seen_by=seen_by,
        strings=[
            f"Zebedee {last_name}",
            last_name,
            *_uk_dates(born),
            address,
            subject,
            *texts.values(),
        ],
        kwargs={
            "person_id": person.pk,
            "episode_id": episode.pk,
            "referral_id": referral.pk,
            "note_id": note.pk,
            "attachment_id": attachment.pk,
            "appointment_id": appointment.pk,
            "task_id": task.pk,
            "alert_id": alert.pk,
            "plan_id": plan.pk,
            "goal_id": goal.pk,
            "action_id": action.pk,
            "number": 1,
            "incident_id": incident.pk,
            "part_id": part.pk,
            "tenancy_id": stay.pk,
            "service_id": service.pk,
            "property_id": house.pk,
            **({"team_id": team.pk} if team else {}),
        },
        # The waiting list shows who is waiting, not why.
        optional=frozenset([*_uk_dates(born)[2:], texts["waiting"]]),
    )


# The restricted note's author, the staff it names, and the managers of its service.
RESTRICTED_NOTE_READERS = frozenset({"colleague", "support_assistant", "senior", "lead_manager"})


def _plant_all(world: World) -> list[Plant]:
    """Four plants: a person of the other team (whose service the other lead manager
    runs), one of a third service nobody among the personas works in, one of another
    organisation, and a restricted note in the worker's own team."""
    from keywork.notes import services as notes
    from keywork.notes.appointments import appointment_create
    from keywork.people import services as people
    from keywork.planning import services as planning
    from keywork.tasks import services as tasks
    from keywork.tasks.models import Task

    org = world.organisation
    outreach = ServiceFactory(
        organisation=org, area=world.service.area, name="Harbour Outreach", type="outreach"
    )
    TeamFactory(organisation=org, name="Outreach team", services=[outreach])
    outreach_worker = staff(
        role=Role.SUPPORT_WORKER, team=outreach.teams.get(), full_name="Ulla Outreach"
    )
    other_team = _plant_person(
        world,
        label="other team's person",
        seen_by=frozenset({"other_team_worker", "other_lead_manager"}),
        service=world.other_service,
        key_worker=world.other_team_worker,
        manager=world.other_lead_manager,
        last_name="Quixotic",
        born=date(1961, 2, 3),
        address="17 Wyvern Crescent",
        subject="Marmalade Orchestra",
        word="Pomegranate",
    )
    third_service = _plant_person(
        world,
        label="third service's person",
        seen_by=frozenset(),
        service=outreach,
        key_worker=outreach_worker,
        manager=world.admin,
        last_name="Quillfeather",
        born=date(1962, 4, 5),
        address="23 Wyvern Crescent",
        subject="Marmalade Quartet",
        word="Tangerine",
    )
    other_org = _plant_person(
        world,
        label="other organisation's person",
        seen_by=frozenset({"other_org_worker"}),
        service=world.other_org_service,
        key_worker=world.other_org_worker,
        manager=world.other_org_admin,
        last_name="Quokkaby",
        born=date(1963, 6, 7),
        address="31 Wyvern Crescent",
        subject="Marmalade Brass",
        word="Kumquat",
    )

    # The worker was a co-worker on the third service's person for a while: told so,
    # given a task and an action, named on an appointment; then taken off the case.
    episode = Episode.objects.get(pk=third_service.kwargs["episode_id"])
    people.co_worker_add(actor=outreach_worker, episode=episode, user=world.worker)
    today = timezone.localdate()
    task = tasks.task_create(
        actor=outreach_worker,
        assigned_to=world.worker,
        title="Tangerine task for the co-worker",
        due_on=today,
        person=episode.person,
    )
    Task.objects.filter(pk=task.pk).update(due_on=today - timedelta(days=2))
    planning.action_add(
        actor=outreach_worker,
        goal=Goal.objects.get(pk=third_service.kwargs["goal_id"]),
        what="Tangerine action for the co-worker",
        owner="worker",
        owner_worker=world.worker,
        due_on=today + timedelta(days=7),
    )
    appointment_create(
        actor=outreach_worker,
        person=episode.person,
        episode=episode,
        kind="key_work",
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=30,
        place="Tangerine place for the co-worker",
        staff=[outreach_worker, world.worker],
        alerts_read=True,
    )
    people.co_worker_remove(
        actor=outreach_worker, worker=EpisodeWorker.objects.get(episode=episode, user=world.worker)
    )
    third_service.strings += [
        "Tangerine task for the co-worker",
        "Tangerine action for the co-worker",
        "Tangerine place for the co-worker",
    ]

    # An import by the other organisation's administrator whose problems quote a cell.
    job = ImportJob.objects.create(
        organisation=world.other_organisation,
        created_by=world.other_org_admin,
        original_name="kumquat-people.csv",
        stored_name="planted-import.csv",
        file_format="csv",
        headers=["First name", "Last name"],
        mapping={"first_name": "First name", "last_name": "Last name"},
    )
    ImportProblem.objects.create(
        job=job, row_number=2, column="Last name", message="Kumquat import cell: Quokkaby"
    )
    other_org.strings += ["kumquat-people.csv", "Kumquat import cell"]
    # Only the other organisation's administrator, who is no persona, may see an import.
    other_org.optional |= {"kumquat-people.csv", "Kumquat import cell"}
    other_org.kwargs["job_id"] = job.pk

    # A restricted note in the worker's own team, written by the colleague, naming the
    # support assistant; the complex caseworker is a co-worker on the case. Its person
    # is marked as a possible duplicate of the other team's person.
    own_episode = supported_person(world, "Rhiannon", "Restricted")
    people.co_worker_add(actor=world.worker, episode=own_episode, user=world.complex_caseworker)
    note = notes.note_create(
        actor=world.colleague,
        person=own_episode.person,
        episode=own_episode,
        contact_type="phone",
        contact_at=timezone.now() - timedelta(hours=3),
        duration_minutes=10,
        subject="Marmalade Lighthouse",
        text="The lighthouse keeper confided a secret",
        restricted=True,
        named_staff=[world.support_assistant],
    )
    quixotic_id = other_team.kwargs["person_id"]
    first, second = sorted((own_episode.person_id, quixotic_id))
    PossibleDuplicate.objects.create(
        person_id=first, other_id=second, marked_by=world.other_lead_manager
    )
    restricted = Plant(
        label="restricted note in the worker's team",
        seen_by=RESTRICTED_NOTE_READERS,
        strings=["Marmalade Lighthouse", "The lighthouse keeper confided a secret"],
        kwargs={
            "person_id": own_episode.person_id,
            "other_id": quixotic_id,
            "episode_id": own_episode.pk,
            "note_id": note.pk,
            "service_id": world.service.pk,
            "team_id": world.team.pk,
        },
    )
    return [other_team, third_service, other_org, restricted]


def _url_arguments() -> dict[str, set[str]]:
    """Each named URL pattern and the names of its arguments."""
    found: dict[str, set[str]] = {}

    def walk(resolver: URLResolver, namespace: str, outer: set[str]) -> None:
        for entry in resolver.url_patterns:
            names = outer | set(getattr(entry.pattern, "converters", {}))
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, inner, names)
            elif isinstance(entry, URLPattern) and entry.name:
                found[f"{namespace}{entry.name}"] = names

    walk(get_resolver(), "", set())
    return found


# Lists and searches that would gather the planted strings, with the query each asks.
QUERIES: list[tuple[str, dict]] = [
    ("home:home", {}),
    ("home:notifications", {}),
    ("people:search", {"q": "Zebedee"}),
    ("people:search", {"q": "Wyvern Crescent"}),
    ("people:search", {"q": "Rhiannon"}),
    ("notes:search", {"q": "Marmalade"}),
    ("notes:search", {"q": "lighthouse"}),
    *[("notes:search", {"q": word}) for word in ("Pomegranate", "Tangerine", "Kumquat")],
    ("administration:audit", {}),
    ("administration:audit", {"show": "sign-ins"}),
    ("tasks:my_tasks", {}),
    ("tasks:my_tasks", {"done": "1"}),
    ("people:my_caseload", {}),
    ("notes:my_appointments", {}),
    ("notes:calendar", {}),
    ("risk:incidents", {}),
    ("imports:imports", {}),
    ("administration:staff_list", {}),
    ("people:break_glass", {}),
    ("people:person_new", {}),
]

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _texts_of(response) -> list[str]:
    """What a reader could see in the response: its body (a PDF's text, an iCalendar
    feed unfolded, HTML with and without its tags) and its headers, lower-cased with
    spaces made single."""
    content = b"".join(response) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    raw = content.decode("utf-8", errors="replace")
    texts = [raw, response.get("Content-Disposition", "")]
    if "pdf" in kind and content.startswith(b"%PDF"):
        result = subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=False
        )
        texts.append(result.stdout.decode("utf-8", errors="replace"))
    if "calendar" in kind:
        texts.append(
            raw.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";").replace("\\n", " ")
        )
    if "html" in kind:
        unescaped = html.unescape(raw)
        texts += [unescaped, _TAG.sub("", unescaped), _TAG.sub(" ", unescaped)]
    return [_SPACE.sub(" ", text).lower() for text in texts]


def test_it_keeps_notifications_to_need_to_know(world, client_for):
    from django.urls import reverse as url_of

    from keywork.people import services as people
    from keywork.tasks.services import task_create
    from keywork.testing.factories import supported_person

    # Supported by the other team; the worker joins as co-worker, then leaves.
    other = world.other_team_worker
    episode = supported_person(
        world,
        "Quentin",
        "Quillfeather",
        key_worker=other,
        recorded_by=other,
        service=world.other_service,
    )
    worker = people.co_worker_add(actor=other, episode=episode, user=world.worker)
    task_create(
        actor=other,
        assigned_to=world.worker,
        person=episode.person,
        title="Ring Quentin's sister about the Zanzibar flat",
        due_on=date.today(),
    )
    client = client_for("worker")
    person_page = url_of("people:person", args=[episode.person_id])
    while_working = client.get(url_of("home:notifications")).content.decode()
    assert "co-worker for Quentin Quillfeather" in while_working
    assert "Zanzibar" in while_working and person_page in while_working

    people.co_worker_remove(actor=other, worker=worker)
    assert client.get(person_page).status_code == 404
    for page in ("home:notifications", "home:home"):
        shown = client.get(url_of(page)).content.decode()
        assert "Quillfeather" not in shown and "Zanzibar" not in shown
        assert person_page not in shown
        assert "the details are hidden" in shown


def test_it_shows_no_planted_string_to_anyone_who_may_not_see_its_person(db):
    started = time.monotonic()
    world = build_world()
    # Every target the matrix names, built once, before the plants (so the calendar
    # addresses issued below are the ones that count).
    built = {name: make(world) for name, make in TARGETS.items()}
    plants = _plant_all(world)
    from keywork.notes.appointments import calendar_feed_issue

    feeds = {}
    for persona in PERSONA_NAMES:
        user = world.persona(persona)
        try:
            feeds[persona] = calendar_feed_issue(actor=user, full_names=True) if user else None
        except Exception:  # noqa: BLE001 - only casework staff have a calendar
            feeds[persona] = None

    arguments = _url_arguments()
    requests: list[tuple[str, str, dict, str]] = []  # method, url, data, what it is
    for name, rules in POLICY.items():
        for rule in rules:
            if "GET" in rule.methods:
                url = reverse(name, kwargs=built[rule.target])
                requests.append(("GET", url, {}, f"{name} ({rule.target})"))
        for plant in plants:
            wanted = arguments.get(name, set())
            if wanted and wanted <= plant.kwargs.keys():
                url = reverse(name, kwargs={k: plant.kwargs[k] for k in wanted})
                requests.append(("GET", url, {}, f"{name} ({plant.label})"))
    requests += [("GET", reverse(name), data, name) for name, data in QUERIES]
    for plant in plants:
        for key in ("person_id", "note_id"):
            if key in plant.kwargs:
                data = {"record_id": str(plant.kwargs[key])}
                requests.append(
                    ("GET", reverse("administration:audit"), data, f"audit of the {plant.label}")
                )
        if plant.seen_by != RESTRICTED_NOTE_READERS:
            born = {"q": plant.strings[2]}
            requests.append(("GET", reverse("people:search"), born, "people:search by birth date"))
    for plant in plants[:3]:
        first, last = plant.strings[0].split(" ", 1)
        born = plant.strings[2]
        requests.append(
            (
                "POST",
                reverse("people:person_new"),
                {"first_name": first, "last_name": last, "date_of_birth": born},
                f"people:person_new, a possible duplicate of the {plant.label}",
            )
        )
    unique = list(
        {(m, u, tuple(sorted(d.items()))): (m, u, d, w) for m, u, d, w in requests}.values()
    )

    leaks: dict[tuple, list[str]] = {}
    shown_to_those_allowed: set[tuple[str, str]] = set()
    pages = strings_checked = 0
    for persona in PERSONA_NAMES:
        visitor = Visitor(world.persona(persona))
        allowed = {s.lower() for plant in plants if persona in plant.seen_by for s in plant.strings}
        checks = [
            (plant, string, persona in plant.seen_by)
            for plant in plants
            for string in plant.strings
            if persona in plant.seen_by or string.lower() not in allowed
        ]
        own_feed = []
        if feeds[persona]:
            feed = reverse("notes:calendar_feed", kwargs={"token": feeds[persona]})
            own_feed.append(("GET", feed, {}, "own calendar feed"))
        for method, url, data, what in unique + own_feed:
            response = visitor.answer(method, url, data)
            texts = _texts_of(response)
            echoed = " ".join(str(v) for v in data.values()).lower()
            pages += 1
            for plant, string, may_see in checks:
                needle = _SPACE.sub(" ", string).lower()
                if needle in echoed:
                    continue  # what the request itself sent comes back in the form
                found = any(needle in text for text in texts)
                if may_see:
                    if found:
                        shown_to_those_allowed.add((plant.label, string))
                    continue
                strings_checked += 1
                if found:
                    query = f"?{urlencode(data)}" if data and method == "GET" else ""
                    sent = f" with {data}" if data and method == "POST" else ""
                    where = (persona, f"{method} {url}{query}{sent}", what, response.status_code)
                    leaks.setdefault(where, []).append(f"{string!r} ({plant.label})")
    elapsed = time.monotonic() - started
    print(
        f"\nplanted content: {len(unique)} URLs, {pages} page reads (URL x persona), "
        f"{strings_checked} planted-string checks, {elapsed:.1f} s"
    )
    # The check itself works: each plant's details reach those who may see them.
    never_shown = [
        f"{string!r} ({plant.label})"
        for plant in plants
        if plant.seen_by
        for string in plant.strings
        if string not in plant.optional and (plant.label, string) not in shown_to_those_allowed
    ]
    assert not never_shown, "never shown even to those who may see them: " + ", ".join(never_shown)
    assert not leaks, (
        f"{sum(len(v) for v in leaks.values())} planted strings on {len(leaks)} pages shown to "
        "someone who may not see them:\n"
        + "\n".join(
            f"{persona} {request} [{what}] answered {status}: {', '.join(strings)}"
            for (persona, request, what, status), strings in leaks.items()
        )
    )
