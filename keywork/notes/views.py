from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from keywork import access
from keywork.core.contributions import contributed
from keywork.core.fields import record_id_in
from keywork.core.pages import apply_to_form, next_page, post_only
from keywork.notes import appointments, attachments, drafts, forms, selectors, services
from keywork.notes.models import Attachment
from keywork.people import selectors as people_selectors
from keywork.people.selectors import person_header

casework = access.capability_required(access.Capability.CASEWORK)
PAGE_SIZE = 20


@casework
def note_list(request, person_id: int):
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    page = selectors.note_page(
        fetched_by=request.user,
        person=person,
        page_number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "notes/note_list.html",
        {
            "page": page,
            "draft": selectors.draft_of(user=request.user, person=person),
            **person_header(person),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def note_new(request, person_id: int):
    user = request.user
    person = people_selectors.person_or_404(fetched_by=user, person_id=person_id)
    episodes, referrals = selectors.what_a_note_belongs_to(person)
    if not episodes and not referrals:
        messages.error(
            request,
            "File notes belong to a referral or an episode of support: make a referral first.",
        )
        return redirect("people:person", person_id=person.pk)
    draft = selectors.draft_of(user=user, person=person)
    now = timezone.localtime()
    initial = {
        "contact_date": now.date(),
        "contact_time": now.strftime("%H:%M"),
        "duration_minutes": 0,
        "episode": forms.choice_for(selectors.first_open(episodes, referrals)),
        "subject": draft.subject if draft else "",
        "text": draft.text if draft else "",
        # The rest of the draft as it was typed, over the defaults.
        **(draft.typed if draft else {}),
    }
    # What the note can say it worked on: the open goals and actions of the plan.
    goals, actions = selectors.plan_items_for_note(person)
    goal = record_id_in(request.GET.get("goal"))  # "write a note about this goal", from the plan
    if goal is not None:
        initial["goals"] = [goal]
    form = forms.NoteForm(
        request.POST or None,
        initial=initial,
        episodes=episodes,
        referrals=referrals,
        # Named on a restricted note, present, or given the follow-up: only staff who
        # may see the person.
        staff=access.staff_who_may_see(
            person=person,
            among=people_selectors.possible_co_workers(person.organisation_id).exclude(pk=user.pk),
        ),
        goals=goals,
        actions=actions,
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("contact_date", "contact_time")
        }
        created = {}
        if apply_to_form(
            form,
            lambda d: created.setdefault(
                "note", services.note_create(actor=user, person=person, **data)
            ),
        ):
            note = created["note"]
            text = "Saved the file note." + (
                " It is marked as a late entry." if note.is_late_entry else ""
            )
            messages.success(request, text)
            return redirect("notes:note_list", person_id=person.pk)
    return render(
        request,
        "notes/note_form.html",
        {"form": form, "draft": draft, **person_header(person)},
    )


@casework
def draft_save(request, person_id: int):
    """Called by the page as the worker types (and by the 'Save draft' button without
    JavaScript), so nothing typed is lost."""
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    if refused := post_only(request):
        return refused
    draft = drafts.draft_from_post(request.user, person, request.POST)
    saved = f"Draft saved at {timezone.localtime(draft.updated_at):%H:%M}"
    if request.headers.get("HX-Request"):
        return HttpResponse(saved)
    messages.success(request, saved + ".")
    return redirect("notes:note_new", person_id=person.pk)


@casework
def note(request, note_id: int):
    note = selectors.note_or_404(fetched_by=request.user, note_id=note_id)
    return render(
        request,
        "notes/note.html",
        {
            "note": note,
            "can_amend": access.check(request.user, "notes.amend", note) and not note.is_void,
            "see_versions": access.check(request.user, "notes.see_versions", note),
            **person_header(note.person),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def note_amend(request, note_id: int):
    note = selectors.note_or_404(fetched_by=request.user, note_id=note_id)
    access.check_or_404(request.user, "notes.amend", note)
    form = forms.AmendForm(
        request.POST or None,
        initial={"subject": note.subject, "text": note.text, "version": note.version},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(form, lambda d: services.note_amend(actor=request.user, note=note, **d))
    ):
        messages.success(request, "Amended the note. The earlier text is kept.")
        return redirect("notes:note", note_id=note.pk)
    return render(
        request,
        "notes/note_amend.html",
        {"form": form, "note": note, **person_header(note.person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def note_void(request, note_id: int):
    note = selectors.note_or_404(fetched_by=request.user, note_id=note_id)
    access.check_or_404(request.user, "notes.amend", note)
    form = forms.VoidForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(form, lambda d: services.note_void(actor=request.user, note=note, **d))
    ):
        messages.success(request, "Voided the note. It stays on file, marked void.")
        return redirect("notes:note", note_id=note.pk)
    return render(
        request,
        "notes/note_void.html",
        {"form": form, "note": note, **person_header(note.person)},
    )


@casework
def search(request):
    query = request.GET.get("q", "")
    results, total = (
        selectors.note_search(fetched_by=request.user, query=query) if query else ([], 0)
    )
    return render(
        request, "notes/search.html", {"query": query, "results": results, "total": total}
    )


# --- Appointments ----------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def appointment_new(request, person_id: int):
    user = request.user
    person = people_selectors.person_or_404(fetched_by=user, person_id=person_id)
    episodes, referrals = selectors.what_an_appointment_belongs_to(person)
    if not episodes and not referrals:
        messages.error(
            request,
            "Appointments belong to an open referral or an open episode of support: "
            "make a referral first.",
        )
        return redirect("people:person", person_id=person.pk)
    form = forms.AppointmentForm(
        request.POST or None,
        initial={
            "staff": [user.pk],
            "duration_minutes": 60,
            "episode": forms.choice_for(selectors.first_open(episodes, referrals)),
        },
        episodes=episodes,
        referrals=referrals,
        staff=access.staff_who_may_see(
            person=person, among=people_selectors.possible_co_workers(person.organisation_id)
        ),
    )
    asked: list[str] = []

    def plan(cleaned):
        data = {k: v for k, v in cleaned.items() if k not in ("day", "time")}
        try:
            appointments.appointment_create(actor=user, person=person, **data)
        except appointments.BreaksAnAlert:
            asked.append("alerts_read")
            raise
        except appointments.ClashesWithAnother:
            asked.append("clash_ok")
            raise

    if request.method == "POST" and form.is_valid() and apply_to_form(form, plan):
        messages.success(request, "Planned the appointment.")
        return redirect(next_page(request, reverse("notes:my_appointments")))
    _ask(form, asked)
    return render(
        request,
        "people/part_form.html",
        {"form": form, "title": "Plan an appointment", **person_header(person)},
    )


@casework
def my_appointments(request):
    return render(
        request,
        "notes/my_appointments.html",
        {"appointments": selectors.my_appointments(user=request.user)},
    )


@casework
@require_http_methods(["GET", "POST"])
def appointment(request, appointment_id: int):
    user = request.user
    appt = selectors.appointment_or_404(fetched_by=user, appointment_id=appointment_id)
    note_form = forms.AppointmentNoteForm(
        request.POST if request.POST.get("action") == "note" else None,
        initial={"subject": appt.get_kind_display()},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "note":
                if note_form.is_valid():
                    note = appointments.appointment_write_note(
                        actor=user, appointment=appt, **note_form.cleaned_data
                    )
                    messages.success(
                        request, "Saved the file note and marked the appointment attended."
                    )
                    return redirect("notes:note", note_id=note.pk)
            else:
                appointments.appointment_set_status(
                    actor=user, appointment=appt, status=action or ""
                )
                messages.success(
                    request,
                    "Marked as attended."
                    if action == "attended"
                    else "Marked as not attended: they did not come.",
                )
                return redirect("notes:appointment", appointment_id=appt.pk)
        except ValidationError as error:
            if action == "note":
                note_form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
    return render(
        request,
        "notes/appointment.html",
        {
            "appointment": appt,
            "form": note_form,
            "happened": appt.starts_at <= timezone.now(),
            "back": next_page(request, reverse("notes:my_appointments")),
            **person_header(appt.person),
        },
    )


def _ask(form, asked: list[str]) -> None:
    """Saved only once the worker says they have read why (an alert, another appointment
    at that time): the box to say so appears now, and is kept ticked once ticked."""
    for name in asked:
        form.fields[name].widget = django_forms.CheckboxInput()


@casework
@require_http_methods(["GET", "POST"])
def appointment_change(request, appointment_id: int):
    user = request.user
    appt = selectors.appointment_or_404(fetched_by=user, appointment_id=appointment_id)
    local = timezone.localtime(appt.starts_at)
    form = forms.AppointmentChangeForm(
        request.POST or None,
        initial={
            "day": local.date(),
            "time": local.strftime("%H:%M"),
            "duration_minutes": appt.duration_minutes,
            "place": appt.place,
        },
    )

    asked: list[str] = []

    def change(cleaned):
        try:
            appointments.appointment_change(
                actor=user,
                appointment=appt,
                starts_at=forms.local_moment(cleaned, "day", "time"),
                duration_minutes=cleaned["duration_minutes"],
                place=cleaned["place"],
                clash_ok=cleaned["clash_ok"],
            )
        except appointments.ClashesWithAnother:
            asked.append("clash_ok")
            raise

    if request.method == "POST" and form.is_valid() and apply_to_form(form, change):
        messages.success(request, "Changed the appointment.")
        return redirect(next_page(request, reverse("notes:appointment", args=[appt.pk])))
    _ask(form, asked)
    return render(
        request,
        "notes/appointment_change.html",
        {
            "appointment": appt,
            "form": form,
            "next": request.GET.get("next", ""),
            **person_header(appt.person),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, appointment_id: int):
    user = request.user
    appt = selectors.appointment_or_404(fetched_by=user, appointment_id=appointment_id)
    form = forms.AppointmentCancelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: appointments.appointment_cancel(
                actor=user, appointment=appt, reason=d["reason"]
            ),
        )
    ):
        messages.success(request, "Cancelled the appointment.")
        return redirect(next_page(request, reverse("notes:appointment", args=[appt.pk])))
    return render(
        request,
        "notes/appointment_cancel.html",
        {
            "appointment": appt,
            "form": form,
            "next": request.GET.get("next", ""),
            **person_header(appt.person),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    user = request.user
    form = forms.CalendarForm(request.POST or None)
    link = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            appointments.calendar_feed_revoke(actor=user)
            messages.success(request, "Your calendar address no longer works.")
            return redirect("notes:calendar")
        if form.is_valid():
            token = appointments.calendar_feed_issue(
                actor=user, full_names=form.cleaned_data["full_names"]
            )
            link = request.build_absolute_uri(reverse("notes:calendar_feed", args=[token]))
    return render(
        request,
        "notes/calendar.html",
        {"form": form, "link": link, "feed": getattr(user, "calendar_feed", None)},
    )


def calendar_feed(request, token: str):
    """The iCalendar feed: no sign-in, the secret address is the key. Initials only
    unless the worker chose full names; never notes or anything beyond the meeting."""
    feed = appointments.calendar_feed_for(token=token)
    if feed is None:
        raise Http404
    calendar = Calendar()
    calendar.add("prodid", "-//Keywork//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Keywork appointments")
    for appt in appointments.calendar_feed_appointments(feed=feed):
        person = appt.person
        who = person.display_name if feed.full_names else _initials(person)
        event = Event()
        event.add("uid", f"appointment-{appt.pk}@keywork")
        event.add("summary", f"{appt.get_kind_display()}: {who}")
        event.add("dtstart", appt.starts_at)
        event.add("dtend", appt.ends_at)
        event.add("dtstamp", timezone.now())
        if appt.place:
            event.add("location", appt.place)
        if appt.status != appt.Status.PLANNED:
            event.add("status", "CONFIRMED" if appt.status == appt.Status.ATTENDED else "TENTATIVE")
        calendar.add_component(event)
    # What other areas put in the worker's own calendar (their on-call shifts).
    for entries_of in contributed("calendar_entries"):
        for entry in entries_of(feed.user):
            event = Event()
            event.add("uid", entry.uid)
            event.add("summary", entry.summary)
            event.add("dtstart", entry.starts_at)
            event.add("dtend", entry.ends_at)
            event.add("dtstamp", timezone.now())
            calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


def _initials(person) -> str:
    first = (person.preferred_name or person.first_name)[:1]
    return f"{first}.{person.last_name[:1]}.".upper()


# --- Attachments --------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def attachment_new(request, note_id: int):
    note = selectors.note_or_404(fetched_by=request.user, note_id=note_id)
    access.check_or_404(request.user, "notes.amend", note)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachments.attachment_add(
                actor=request.user, note=note, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, "Attached the file.")
            return redirect("notes:note", note_id=note.pk)
    return render(
        request,
        "notes/attachment_form.html",
        {"form": form, "note": note, **person_header(note.person)},
    )


@casework
def attachment(request, attachment_id: int):
    """Hands out the file after the same check as its note; always as a download, never
    cached, never sniffed into something the browser would run."""
    item = access.get_visible_or_404(
        Attachment.objects.filter(note__in=selectors.notes_visible_to(request.user)),
        pk=attachment_id,
    )
    path = attachments.path_of(item)
    if not path.exists():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
