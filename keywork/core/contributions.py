"""What each area adds to the places every area shares, in one registry.

An area (an app) declares everything it adds to the shared places in one module of its
own, `<app>/contributions.py`, holding `CONTRIBUTIONS = Contributions(...)`; nothing
else is edited to plug it in. The shared places ask the registry:

    from keywork.core.contributions import contributed
    for column in contributed("caseload_columns"): ...

Contributions are collected in the order of INSTALLED_APPS, then sorted by their
`place` where they have one (lower first), so that an area's column or link lands where
it says whatever order the apps load in. The kinds, and what each item is:

- timeline: the person's timeline's kinds of event (keywork.timeline.sources.TimelineKind)
- caseload_columns: columns of My caseload and the team caseload
  (keywork.people.caseload.CaseloadColumn)
- person_links, episode_links: links on the person's page, to the person's pages of an
  area, and to an episode's (keywork.people.contributions.RecordLink)
- person_panels: sections of the person's page (PersonPanel, below)
- home_panels: sections of the home page (HomePanel, below)
- staff_panels: sections of a member of staff's page in the organisation's staff list
  (PersonPanel, below, its `context` given the member of staff and the user reading;
  shown when it gives anything)
- task_panels: sections of the user's task list (My tasks): what an area asks the user to
  do by a date that is not a task of the tasks area (HomePanel, below: shown when its
  `context` gives anything)
- service_links: links beside each service on the home page (ServiceLink, below)
- menu: the places in the menu, for those whose capability reaches them (MenuItem)
- merge_moves: rows of the person's record an area keeps, for a merge to move
  (keywork.people.merging.MergeMove)
- on_episode_close: what an area does when support ends: f(episode, end_date, actor)
- destination_hints: where someone went, suggested when support ends: f(episode) -> str
- note_links: what a file note can say it worked on: f(person) -> (goals, actions)
- note_follow_ups: what sets a note's follow-up: f(actor=, assigned_to=, title=, due_on=,
  person=, file_note=)
(The reports, the subject access export and the retention rules add their kinds when
they are built: a kind is declared with the first place that reads it.)
- read_reasons: why a user read records about people when they were fetched through a
  scoped list: f(user, person_ids) -> {person_id: reason} (keywork.audit.reads)
- object_rules: the area's permissions on its own records, {name: rules predicate},
  added to the access module's rules (access.check(user, name, obj))
- kept_when_signed_out: what a form sent after its session timed out may keep:
  f(request, user) -> a line for the sign-in page if it kept it, else None
- audit_no_one_person: the labels ("events.event") of the area's audited records that
  belong to no one person (a service's events, notices): the audit lists their rows only
  to those who read the whole organisation's audit, by kind and number
- incident_drafts: an incident report started from another area's record (a serious
  on-call call): f(user, reference) -> the form's initial values, or None when the
  reference is not the area's or not one the user may see
- calendar_entries: what an area adds to a worker's own calendar feed (their on-call
  shifts): f(user) -> iterable of CalendarEntry (below), nothing about a person
- stored_files: the files an area keeps under KEYWORK_PRIVATE_DIR for its rows, for
  `manage.py check_restore`: f() -> iterable of StoredFile (below)
- daily_jobs: what an area does once a day (reminders of what falls due), run by
  `manage.py run_daily` from a timer: f(today) -> how many were sent or done; a job runs
  again harmlessly on the same day (it remembers what it has done)
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.signals import setting_changed
from django.dispatch import receiver

MODULE = "contributions"


@dataclass(frozen=True)
class PersonPanel:
    """A section of the person's page: `template` rendered with what `context` gives
    for the person and the user reading (only records the user may see)."""

    template: str
    context: Callable[[Any, Any], Mapping[str, Any]]
    place: int = 50


@dataclass(frozen=True)
class HomePanel:
    """A section of the user's home page, shown when `context` gives anything."""

    template: str
    context: Callable[[Any], Mapping[str, Any] | None]
    place: int = 50


@dataclass(frozen=True)
class ServiceLink:
    """A link beside a service on the home page, for users whose `capability` reaches it."""

    label: str
    url_name: str  # takes the service's id
    capability: str
    place: int = 50


@dataclass(frozen=True)
class MenuItem:
    """A place in the menu, shown to users with `capability` (None: everyone signed in)."""

    label: str
    url_name: str
    capability: str | None
    place: int = 50
    when: Callable[[Any], bool] | None = None  # and only for users this says yes to


@dataclass(frozen=True)
class CalendarEntry:
    """One entry in a worker's calendar feed, beside their appointments."""

    uid: str  # unique and lasting, such as "oncall-shift-12@keywork"
    summary: str
    starts_at: Any  # aware datetimes
    ends_at: Any


@dataclass(frozen=True)
class StoredFile:
    """A file kept under KEYWORK_PRIVATE_DIR for one row, as a restored copy must hold it."""

    path: str  # relative to KEYWORK_PRIVATE_DIR, with "/" between folders
    row: str  # the row, named without personal data: "attachment 12 of file note 34"
    sha256: str | None = None  # what its content hashed to when saved, where kept
    size: int | None = None


@dataclass(frozen=True)
class Contributions:
    menu: Sequence[MenuItem] = ()
    timeline: Sequence[Any] = ()
    caseload_columns: Sequence[Any] = ()
    person_links: Sequence[Any] = ()
    episode_links: Sequence[Any] = ()
    person_panels: Sequence[PersonPanel] = ()
    home_panels: Sequence[HomePanel] = ()
    task_panels: Sequence[HomePanel] = ()
    staff_panels: Sequence[PersonPanel] = ()
    service_links: Sequence[ServiceLink] = ()
    merge_moves: Sequence[Any] = ()
    on_episode_close: Sequence[Callable[..., None]] = ()
    destination_hints: Sequence[Callable[[Any], str | None]] = ()
    note_links: Sequence[Callable[[Any], tuple[Any, Any]]] = ()
    note_follow_ups: Sequence[Callable[..., Any]] = ()
    read_reasons: Sequence[Callable[[Any, set[int]], Mapping[int, str]]] = ()
    object_rules: Mapping[str, Any] = field(default_factory=dict)
    stored_files: Sequence[Callable[[], Iterable[StoredFile]]] = ()
    calendar_entries: Sequence[Callable[[Any], Iterable[CalendarEntry]]] = ()
    incident_drafts: Sequence[Callable[[Any, str], Mapping[str, Any] | None]] = ()
    kept_when_signed_out: Sequence[Callable[[Any, Any], str | None]] = ()
    audit_no_one_person: Sequence[str] = ()
    daily_jobs: Sequence[Callable[[Any], int]] = ()


KINDS = frozenset(f.name for f in fields(Contributions))


@cache
def _declared() -> tuple[Contributions, ...]:
    declared = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.{MODULE}")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{MODULE}":
                raise  # a contributions module that fails to import is a bug, not absence
            continue
        if module.__name__ == __name__:
            continue  # the registry itself
        declared.append(module.CONTRIBUTIONS)
    return tuple(declared)


@cache
def contributed(kind: str) -> tuple[Any, ...]:
    """Every area's contributions of one kind, in order."""
    if kind not in KINDS:
        raise LookupError(f"No such kind of contribution: {kind}")
    items = [item for area in _declared() for item in getattr(area, kind)]
    return tuple(sorted(items, key=lambda item: getattr(item, "place", 50)))


def panels_for(kind: str, user: Any) -> list[dict[str, Any]]:
    """Each area's section of a user's page ("home_panels", "task_panels"), leaving out
    those with nothing to show them: [{"template": ..., "data": ...}]."""
    shown = []
    for panel in contributed(kind):
        data = panel.context(user)
        if data:
            shown.append({"template": panel.template, "data": data})
    return shown


def panels_about(kind: str, subject: Any, user: Any) -> list[dict[str, Any]]:
    """Each area's section of a page about one record ("staff_panels"), for the user
    reading it, leaving out those with nothing to show them."""
    shown = []
    for panel in contributed(kind):
        data = panel.context(subject, user)
        if data:
            shown.append({"template": panel.template, "data": data})
    return shown


def object_rules() -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for area in _declared():
        for name in area.object_rules:
            if name in rules:
                raise ValueError(f"Two areas declare the rule {name}")
        rules.update(area.object_rules)
    return rules


def forget() -> None:
    """Collect again (when the installed apps change, in a test)."""
    _declared.cache_clear()
    contributed.cache_clear()


@receiver(setting_changed)
def _installed_apps_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "INSTALLED_APPS":
        forget()
