"""No query string gives a server error: every page the access matrix knows is asked for,
by someone it lets in, with odd values in each query parameter it reads; and the pages
that show records older versions let in (dates in year 1, an area of life named like
mathematics) still answer.

Which parameters a page reads is found by asking for it once and noting every name it
looks up in request.GET, so a parameter added to a view is fuzzed without a list here
going stale; the names the views are known to read are checked to be among those found."""

from datetime import date

import pytest
from django.core.handlers import wsgi
from django.http import HttpResponse, QueryDict
from django.urls import reverse

from keywork.testing.odd_records import stored_unchecked
from keywork.testing.personas import PERSONA_NAMES
from tests import test_access_matrix as matrix
from tests.test_access_matrix import (
    OK,
    POLICY,
    TARGETS,
    Rule,
    Visitor,
    _expected,
    _outcome,
    _supported_person,
)

# The matrix's one world for a module, rolled back when the module ends.
shared_world = matrix.shared_world

ODD_VALUES = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "99999999999999999999-1",
    "9999-12-31",
    "0001-01-01",
    "31/12/9999",
    "2026-13-45",
    "0001-01-01T00:00:00+14:00",  # a day before the calendar starts, in UTC
    "9999-12-31T23:59:59-14:00",  # a day after it ends
    "%00",
    "\x00",
    "<script>alert(1)</script>",
    "1e309",
    "nan",
    "١٢٣",  # digits of another script: int() takes them, a database does not
    "//elsewhere.example/",
]

# What the views read from request.GET (grep request.GET keywork), as a check that the
# reads are found: each of these must turn up when its page is asked for.
KNOWN_READS = {
    "timeline:timeline": {"kind", "before", "seen", "since"},
    "housing:service": {"month"},
    "notices:list": {"service"},
    "notices:delivery_report": {"quarter"},
    "notices:new": {"name"},
    "notices:change": {"name"},
    "involvement:list": {"service"},
    "involvement:figures": {"quarter"},
    "administration:audit": {
        "user",
        "record_type",
        "record_id",
        "date_from",
        "date_to",
        "show",
        "page",
    },
    "people:search": {"q"},
    "events:register": {"q"},
    "oncall:rota": {"from"},
    "oncall:number": {"user", "next"},
    "training:courses": {"archived"},
    "oncall:handover": {"from"},
    "oncall:handover_print": {"from"},
    "risk:incident_new": {"person", "from"},
    "people:team_caseload": {"sort", "worker", "page"},
    "people:my_caseload": {"sort"},
    "notes:search": {"q"},
    "notes:note_list": {"page"},
    "notes:note_new": {"goal"},
    "planning:plan_compare": {"from", "to"},
    "planning:plan_print": {"print"},
    "feedback:complaint_new": {"person"},
    "feedback:letter": {"print"},
    "tasks:my_tasks": {"done"},
    "administration:staff_list": {"leavers"},
    "accounts:sign_in": {"next", "timed_out"},
}


def _visit(url_name: str) -> tuple[Rule, str]:
    """The rule and persona a page is fuzzed under: someone the policy lets in if anyone
    may get it with a GET (the public, for a page meant for the public), else whoever the
    first rule names, whose answer (404, 405) is then the one expected every time."""
    rules = [rule for rule in POLICY[url_name] if "GET" in rule.methods]
    for rule in rules:
        if rule.allowed_answer == OK and rule.allowed:
            if "anonymous" in rule.allowed:
                return rule, "anonymous"
            return rule, next(p for p in PERSONA_NAMES if p in rule.allowed)
    return rules[0], "worker"


class _ReadingQueryDict(QueryDict):
    """request.GET that notes every name looked up in it."""

    read: set[str]

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)


def _names_read(monkeypatch, visitor: Visitor, url: str) -> tuple[set[str], HttpResponse]:
    """The names the page looks up in request.GET, and its answer. A parameter of no
    meaning is sent, so that a form bound to request.GET ("request.GET or None") is bound
    and reads its fields."""
    read: set[str] = set()
    with monkeypatch.context() as patched:
        patched.setattr(_ReadingQueryDict, "read", read, raising=False)
        patched.setattr(wsgi, "QueryDict", _ReadingQueryDict)
        response = visitor.answer("GET", url, {"kw-fuzz": "1"})
    return read - {"kw-fuzz"}, response


def _whole_page(response) -> bool:
    return (
        not response.streaming
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and b"</html>" in response.content
    )


def _problem(response, expected: str, what: str, whole: bool) -> str | None:
    """What is wrong with an answer: not the one the policy expects, or a page that
    stops short where it should be `whole` (the plain answer was a whole page, not a part
    of one for htmx, a file or a redirect)."""
    got = _outcome(response)
    if got != expected:
        return f"{what}: expected {expected}, answered {response.status_code} ({got})"
    if whole and not _whole_page(response):
        return f"{what}: the page did not render to its end"
    return None


@pytest.fixture(scope="module")
def visitors(shared_world, django_db_blocker) -> dict[str, Visitor]:
    """Every persona signed in once for the module, in its world: each request runs in a
    savepoint rolled back after it, so no request ends a session for the next."""
    with django_db_blocker.unblock():
        return {persona: Visitor(shared_world.persona(persona)) for persona in PERSONA_NAMES}


@pytest.mark.parametrize("url_name", sorted(POLICY))
def test_it_answers_odd_query_strings_without_a_server_error(
    shared_world, visitors, db, monkeypatch, url_name
):
    world = shared_world
    rule, persona = _visit(url_name)
    expected = _expected(rule, persona)
    url = reverse(url_name, kwargs=TARGETS[rule.target](world))
    visitor = visitors[persona]
    read, plain = _names_read(monkeypatch, visitor, url)
    names = sorted(read)
    assert _problem(plain, expected, f"{persona} GET {url}", whole=False) is None
    whole = _whole_page(plain)
    missing = KNOWN_READS.get(url_name, set()) - set(names)
    assert not missing, f"{url_name}: the reads of {sorted(missing)} were not noticed"
    # Each odd value in every parameter at once, then, where there are several, in each
    # alone (an odd value in one may hide what another does); a page that reads none is
    # still given them all, under names of its own, once.
    asked = [dict.fromkeys(names, value) for value in ODD_VALUES]
    if len(names) > 1:
        asked += [{name: value} for name in names for value in ODD_VALUES]
    if not names:
        asked = [{f"kw-{n}": value for n, value in enumerate(ODD_VALUES)}]
    problems = []
    for query in asked:
        what = f"{persona} GET {url} {query!r}"
        try:
            response = visitor.answer("GET", url, query)
        except Exception as error:  # noqa: BLE001 - reported with every other case
            problems.append(f"{what} raised {error!r}")
            continue
        if problem := _problem(response, expected, what, whole):
            problems.append(problem)
    assert not problems, f"{len(problems)} odd query strings went wrong:\n" + "\n".join(
        problems[:40]
    )


def test_it_shows_every_page_of_records_stored_before_dates_and_names_were_checked(
    shared_world, visitors, db
):
    world = shared_world
    person = _supported_person(world, "own")
    episode = person.episodes.get()
    odd = stored_unchecked(episode)
    assert person.referrals.get().received_on == date(1, 1, 1)
    by_person = {"person_id": person.pk}
    by_episode = {"episode_id": episode.pk}
    by_plan = {"plan_id": odd.plan.pk}
    by_service = {"service_id": world.service.pk}
    pages = [
        ("worker", "people:person", by_person),
        ("worker", "people:person_print", by_person),
        ("worker", "people:person_edit", by_person),
        ("worker", "people:referral", {"referral_id": episode.referral_id}),
        ("worker", "timeline:timeline", by_person),
        ("worker", "notes:note_list", by_person),
        ("worker", "planning:episode_plan", by_episode),
        ("worker", "planning:plan", by_plan),
        ("worker", "planning:outcomes", by_plan),
        ("worker", "planning:plan_print", by_plan),
        ("worker", "planning:assessments", by_episode),
        ("worker", "housing:episode", by_episode),
        ("worker", "housing:move_in", by_episode),
        ("worker", "housing:move_on_plan", by_episode),
        ("worker", "housing:application", {"application_id": odd.application.pk}),
        ("worker", "activities:activities", by_person),
        ("worker", "activities:event_new", {"activity_id": odd.activity.pk}),
        ("worker", "people:my_caseload", {}),
        ("worker", "home:home", {}),
        ("lead_manager", "housing:service", by_service),
        ("lead_manager", "people:waiting_list", by_service),
        ("lead_manager", "people:team_caseload", {"team_id": world.team.pk}),
        ("lead_manager", "planning:service_outcomes", by_service),
        ("admin", "administration:audit", {}),
    ]
    problems = []
    for persona, url_name, kwargs in pages:
        url = reverse(url_name, kwargs=kwargs)
        what = f"{persona} GET {url}"
        try:
            response = visitors[persona].answer("GET", url)
        except Exception as error:  # noqa: BLE001 - reported with every other case
            problems.append(f"{what} raised {error!r}")
            continue
        html = response.get("Content-Type", "").startswith("text/html")
        if problem := _problem(response, OK, what, whole=html and response.status_code == 200):
            problems.append(problem)
    assert not problems, "\n".join(problems)
