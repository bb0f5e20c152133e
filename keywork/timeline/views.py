"""The person's timeline page."""

import re
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from keywork import access
from keywork.people import selectors as people_selectors
from keywork.timeline import selectors

casework = access.capability_required(access.Capability.CASEWORK)


@casework
def timeline(request: HttpRequest, person_id: int) -> HttpResponse:
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    every_kind = {key: kind.label for key, kind in selectors.all_kinds().items()}
    kinds = set(request.GET.getlist("kind")) & set(every_kind) or set(every_kind)
    before = _parse_instant(request.GET.get("before", ""))
    # How many events at the cursor's moment were shown already: a small count, or none.
    seen = request.GET.get("seen", "")
    seen = int(seen) if re.fullmatch(r"[0-9]{1,4}", seen) else 0
    since = _parse_day(request.GET.get("since", ""))
    events, older = selectors.timeline(
        fetched_by=request.user,
        person=person,
        kinds=kinds,
        after=selectors.Cursor(before, seen) if before else None,
        since=since,
    )
    older_link = ""
    if older:
        older_link = "?" + urlencode(
            [("kind", kind) for kind in sorted(kinds)]
            + ([("since", request.GET["since"])] if since else [])
            + [("before", older.at.isoformat()), ("seen", older.seen)]
        )
    return render(
        request,
        "timeline/timeline.html",
        {
            "events": events,
            "older_link": older_link,
            "kinds": kinds,
            "all_kinds": every_kind,
            "since": request.GET.get("since", "") if since else "",
            "since_error": bool(request.GET.get("since")) and since is None,
            **people_selectors.person_header(person),
        },
    )


def _parse_instant(text: str) -> datetime | None:
    """The cursor of an "Older events" link: an aware moment that UTC can hold (so the
    database can be asked about it), else None, the newest page."""
    try:
        value = datetime.fromisoformat(text)
        return value.astimezone(UTC) if timezone.is_aware(value) else None
    except (ValueError, OverflowError):
        return None


def _parse_day(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None
