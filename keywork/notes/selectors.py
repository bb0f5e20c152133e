from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.core.contributions import contributed
from keywork.notes import search
from keywork.notes.models import Appointment, FileNote, FileNoteVersion, NoteDraft
from keywork.people.models import Episode, Person, Referral

SEARCH_LIMIT = 50
# The support plan's goals, as the file note's own link names them.
_goals = FileNote.goals.field.related_model


def notes_visible_to(user: User, *, about: Person | None = None) -> QuerySet[FileNote]:
    """File notes the user may read: those about people they may see, except restricted
    notes, which only their author, the staff named on them and the managers of the
    service may read. Restricted notes are left out everywhere else: lists, timelines,
    search results, snippets and counts all start from here.

    For the notes about one person, `about` checks that person once, on their own,
    rather than setting every note against everyone the user may see: the same answer,
    in a plan the database can follow at any size."""
    notes = access.scoped_to_organisation(user, FileNote.objects.all())
    if about is None:
        notes = notes.filter(person__in=access.people_visible_to(user))
    elif access.may_see_person(user, about):
        notes = notes.filter(person=about)
    else:
        return notes.none()
    named = FileNote.named_staff.through.objects.filter(filenote=OuterRef("pk"), user=user)
    managed = access.managed_service_ids(user)
    return notes.filter(
        Q(restricted=False)
        | Q(author=user)
        | Exists(named)
        # The service's managers: of the episode's service, or the referral's before support.
        | Q(episode__service_id__in=managed)
        | Q(referral__service_id__in=managed)
    )


def notes_of(*, fetched_by: User, person: Person) -> QuerySet[FileNote]:
    return (
        notes_visible_to(fetched_by, about=person)
        .select_related("author", "episode__service", "referral__service")
        .order_by("-contact_at", "-pk")
    )


def note_page(
    *, fetched_by: User, person: Person, page_number: str | None, per_page: int
) -> Page[FileNote]:
    """One page of the person's notes; the notes it shows are a read of their record."""
    page = Paginator(notes_of(fetched_by=fetched_by, person=person), per_page).get_page(page_number)
    record_shown(actor=fetched_by, model=FileNote, objects=page.object_list, about=person)
    return page


def note_or_404(*, fetched_by: User, note_id: int) -> FileNote:
    notes = (
        notes_visible_to(fetched_by)
        .select_related("person", "author", "episode__service", "referral__service", "voided_by")
        .prefetch_related(
            "named_staff",
            "staff_present",
            "attachments",
            "actions",
            # The plan's goals the note worked on, through the link the note keeps.
            Prefetch("goals", queryset=_goals.objects.select_related("domain")),  # type: ignore[attr-defined]
            Prefetch("versions", queryset=FileNoteVersion.objects.select_related("written_by")),
        )
    )
    return access.get_visible_or_404(notes, pk=note_id)


def plan_items_for_note(person: Person) -> tuple[QuerySet, QuerySet]:
    """The goals and actions a new note about the person can say it worked on, as the
    support plans give them ("note_links"); none where no area gives any."""
    for items_of in contributed("note_links"):
        return items_of(person)
    # The plan's models, known here through the note's links: Django gives each `objects`.
    return _goals.objects.none(), FileNote.actions.field.related_model.objects.none()  # type: ignore[attr-defined]


def what_a_note_belongs_to(person: Person) -> tuple[list[Episode], list[Referral]]:
    """What a new note about the person can be written on: any of their episodes, and
    the referrals no support has started from yet (outreach and assessment come first),
    open ones first. The person has been checked by whoever asks."""
    episodes = list(person.episodes.select_related("service").order_by("end_date", "-start_date"))
    return episodes, _referrals_without_support(person)


def what_an_appointment_belongs_to(person: Person) -> tuple[list[Episode], list[Referral]]:
    """What a new appointment can be planned on: open episodes and open referrals."""
    episodes = list(person.episodes.filter(end_date=None).select_related("service"))
    return episodes, _referrals_without_support(person, open_only=True)


def _referrals_without_support(person: Person, *, open_only: bool = False) -> list[Referral]:
    referrals = person.referrals.filter(episode__isnull=True).select_related("service")
    if open_only:
        referrals = referrals.filter(status__in=Referral.OPEN_STATUSES)
    return sorted(
        referrals.order_by("-received_on", "-pk"),
        key=lambda r: r.status not in Referral.OPEN_STATUSES,
    )


def first_open(episodes: list[Episode], referrals: list[Referral]) -> Episode | Referral | None:
    """What a new note or appointment starts on: the open episode, else the open referral."""
    return next(
        (e for e in episodes if e.end_date is None),
        next((r for r in referrals if r.status in Referral.OPEN_STATUSES), None),
    )


def draft_of(*, user: User, person: Person) -> NoteDraft | None:
    return NoteDraft.objects.filter(user=user, person=person).first()


def note_search(*, fetched_by: User, query: str) -> tuple[list[tuple[FileNote, SafeString]], int]:
    person_first = access.people_visible_to(fetched_by).count() <= search.PERSON_FIRST_LIMIT
    results, total = search.search(
        notes_visible_to(fetched_by), query, SEARCH_LIMIT, person_first=person_first
    )
    record_shown(actor=fetched_by, model=FileNote, objects=[note for note, _ in results])
    return results, total


# --- Appointments ------------------------------------------------------------------------


def appointments_visible_to(user: User, *, about: Person | None = None) -> QuerySet[Appointment]:
    """Appointments with people the user may see (with `about`, with that one person,
    checked once: see notes_visible_to)."""
    appointments = access.scoped_to_organisation(user, Appointment.objects.all())
    if about is None:
        appointments = appointments.filter(person__in=access.people_visible_to(user))
    elif access.may_see_person(user, about):
        appointments = appointments.filter(person=about)
    else:
        appointments = appointments.none()
    return (
        appointments
        # The risk goes with every appointment: a worker sees it before they go.
        .select_related(
            "person__risk_assessment", "episode__service", "referral__service"
        ).prefetch_related("staff", "person__risk_assessment__areas")
    )


def my_appointments(*, user: User, days_back: int = 7) -> QuerySet[Appointment]:
    since = timezone.now() - timedelta(days=days_back)
    return (
        appointments_visible_to(user)
        .filter(staff=user, starts_at__gte=since)
        .order_by("starts_at", "pk")
    )


def appointment_or_404(*, fetched_by: User, appointment_id: int) -> Appointment:
    return access.get_visible_or_404(appointments_visible_to(fetched_by), pk=appointment_id)


def calendar_appointments(user: User) -> QuerySet[Appointment]:
    """What a worker's calendar feed holds: their appointments from a month ago to six
    months ahead, cancelled ones left out."""
    now = timezone.now()
    return (
        Appointment.objects.filter(
            organisation_id=user.organisation_id,
            staff=user,
            starts_at__gte=now - timedelta(days=30),
            starts_at__lte=now + timedelta(days=183),
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("person")
        .order_by("starts_at")
    )
