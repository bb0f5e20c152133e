"""A file note's draft from what a form sent: as the worker types, and when what they
sent arrives just after their session timed out (a note written over half an hour)."""

from django.http import Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve

from keywork.accounts.models import User
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.notes import services
from keywork.notes.models import NoteDraft
from keywork.people import selectors as people_selectors
from keywork.people.models import Person

# The note's own pages that send what a draft keeps.
NOTE_PAGES = frozenset({"notes:note_new", "notes:draft_save"})

KEPT = (
    "The file note you were writing was kept as your draft: sign in, then write a note "
    "for the same person to finish it."
)


def draft_from_post(actor: User, person: Person, post: QueryDict) -> NoteDraft:
    """The note form's fields as posted, kept by the draft service (which checks that
    the actor may write about the person)."""
    return services.draft_save(
        actor=actor,
        person=person,
        subject=post.get("subject", ""),
        text=post.get("text", ""),
        typed={
            **{name: post[name] for name in services.DRAFT_FIELDS if name in post},
            **{name: post.getlist(name) for name in services.DRAFT_LISTS},
        },
    )


def keep_note_sent_after_sign_out(request: HttpRequest, user: User) -> str | None:
    """The note sent after the session timed out, kept as the worker's draft for the
    person (if they may still write about them). The sign-in page names no one: who is
    at the screen has not signed in yet."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name not in NOTE_PAGES or not (request.POST.get("text") or "").strip():
        return None
    try:
        person = people_selectors.person_or_404(
            fetched_by=user, person_id=match.kwargs["person_id"]
        )
        draft_from_post(user, person, request.POST)
    except (Http404, NotFoundOrNotAllowed):
        return None
    return KEPT
