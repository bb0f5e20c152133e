from datetime import date, datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.accounts.models import User
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.fields import UK_DATE_FORMATS, record_id_in
from keywork.core.pages import apply_to_form, errors_onto_form, form_page, next_page, post_only
from keywork.core.saving import ChangedSinceOpened
from keywork.oncall import forms, selectors, services
from keywork.oncall.models import ContactNumber, Shift

casework = access.capability_required(access.Capability.CASEWORK)


def _staff(request) -> QuerySet[User]:
    """Who can be put on the rota: active casework staff of the organisation."""
    return (
        User.objects.filter(
            organisation_id=request.user.organisation_id,
            is_active=True,
            memberships__team__isnull=False,
        )
        .distinct()
        .order_by("full_name")
    )


def _managed_services(request):
    return access.services_for_casework(request.user).filter(
        pk__in=access.managed_service_ids(request.user)
    )


@casework
def home(request):
    """On call now: the reader's own shift (and what to do in it), who is on call for
    their services, their next shifts, and the handovers of their services."""
    user = request.user
    shift = selectors.shift_now(user)
    services_with_rota = access.services_for_casework(user).filter(oncall_rotas__isnull=False)
    return render(
        request,
        "oncall/home.html",
        {
            "shift": shift,
            "log": selectors.shift_log(shift=shift, fetched_by=user) if shift else [],
            "covers": selectors.on_call_now(user),
            "mine": selectors.my_next_shifts(user),
            "handover_services": services_with_rota.distinct().order_by("name"),
            "can_make_rota": bool(access.managed_service_ids(user)),
            "number": ContactNumber.objects.filter(user=user).first(),
            "now": timezone.now(),
        },
    )


# --- The rota --------------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def rota_new(request):
    services_qs = _managed_services(request)
    if not services_qs.exists():
        raise NotFoundOrNotAllowed
    form = forms.RotaForm(request.POST or None, services=services_qs)
    made: dict = {}
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: made.setdefault(
                "rota",
                services.rota_create(
                    actor=request.user,
                    name=d["name"],
                    services=list(d["services"]),
                    nation=d["nation"],
                ),
            ),
        )
    ):
        messages.success(request, "Rota made. Add its patterns of shifts next.")
        return redirect("oncall:rota", rota_id=made["rota"].pk)
    return render(
        request,
        "oncall/form.html",
        {"form": form, "title": "Make an on-call rota", "back": reverse("oncall:home")},
    )


def _from_day(request) -> date | None:
    raw = (request.GET.get("from") or "").strip()
    for pattern in ("%Y-%m-%d", *UK_DATE_FORMATS):
        try:
            day = datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        if abs((day - timezone.localdate()).days) <= 730:
            return day
    return None


@casework
def rota(request, rota_id: int):
    rota = selectors.rota_or_404(fetched_by=request.user, rota_id=rota_id)
    start = _from_day(request) or timezone.localdate()
    page = selectors.rota_page(rota=rota, start=start)
    return render(
        request,
        "oncall/rota.html",
        {
            "page": page,
            "rota": rota,
            "can_manage": access.check(request.user, "oncall.manage", rota),
            "earlier": start - timedelta(days=28),
            "later": start + timedelta(days=28),
            "today": timezone.localdate(),
        },
    )


def _changed(request, error: ChangedSinceOpened, rota_id: int):
    messages.error(request, " ".join(error.messages))
    return redirect("oncall:rota", rota_id=rota_id)


@casework
@require_http_methods(["GET", "POST"])
def rota_edit(request, rota_id: int):
    rota = selectors.rota_or_404(fetched_by=request.user, rota_id=rota_id)
    access.check_or_404(request.user, "oncall.manage", rota)
    choices = access.services_for_casework(request.user).filter(
        pk__in={*access.managed_service_ids(request.user), *(s.pk for s in rota.services.all())}
    )
    form = forms.RotaForm(
        request.POST or None,
        services=choices,
        initial={
            "name": rota.name,
            "services": list(rota.services.all()),
            "nation": rota.nation,
            "version": rota.version,
        },
    )
    return form_page(
        request,
        form=form,
        save=lambda d: services.rota_change(
            actor=request.user,
            rota=rota,
            version=d["version"],
            name=d["name"],
            services=list(d["services"]),
            nation=d["nation"],
        ),
        saved="Rota changed.",
        then=reverse("oncall:rota", args=[rota.pk]),
        template="oncall/form.html",
        context={"title": f"Change {rota.name}", "back": reverse("oncall:rota", args=[rota.pk])},
    )


@casework
@require_http_methods(["GET", "POST"])
def pattern_new(request, rota_id: int):
    rota = selectors.rota_or_404(fetched_by=request.user, rota_id=rota_id)
    access.check_or_404(request.user, "oncall.manage", rota)
    today = timezone.localdate()
    form = forms.PatternForm(
        request.POST or None,
        workers=_staff(request),
        initial={
            "version": rota.version,
            "first_date": today,
            "last_date": today + timedelta(days=90),
        },
    )
    return form_page(
        request,
        form=form,
        save=lambda d: services.pattern_add(
            actor=request.user,
            rota=rota,
            version=d["version"],
            line=d["line"],
            worker=d["worker"],
            days=d["days"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            first_date=d["first_date"],
            last_date=d["last_date"],
        ),
        saved="Pattern added: its shifts are on the rota.",
        then=reverse("oncall:rota", args=[rota.pk]),
        template="oncall/form.html",
        context={
            "title": "Add a pattern of shifts",
            "back": reverse("oncall:rota", args=[rota.pk]),
            "intro": "For example, weekday nights from 17:00 to 09:00, or weekends and bank "
            "holidays round the clock (two shifts of 12 hours).",
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def shift_new(request, rota_id: int):
    rota = selectors.rota_or_404(fetched_by=request.user, rota_id=rota_id)
    access.check_or_404(request.user, "oncall.manage", rota)
    form = forms.ShiftForm(
        request.POST or None,
        workers=_staff(request),
        initial={"version": rota.version, "start_day": _from_day(request)},
    )
    return form_page(
        request,
        form=form,
        save=lambda d: services.shift_add(
            actor=request.user,
            rota=rota,
            version=d["version"],
            line=d["line"],
            worker=d["worker"],
            starts_at=form.starts_at,
            ends_at=form.ends_at,
            notes=d["notes"],
        ),
        saved="Shift added.",
        then=reverse("oncall:rota", args=[rota.pk]),
        template="oncall/form.html",
        context={"title": "Add a shift", "back": reverse("oncall:rota", args=[rota.pk])},
    )


@casework
@require_http_methods(["GET", "POST"])
def shift(request, shift_id: int):
    """A shift: who, when, how to reach them; for managers, change it, swap it or take
    it off the rota."""
    shift = selectors.shift_or_404(fetched_by=request.user, shift_id=shift_id)
    rota = shift.rota
    can_manage = access.check(request.user, "oncall.manage", rota)
    if request.method == "POST" and not can_manage:
        raise NotFoundOrNotAllowed
    local_start, local_end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    form = forms.ShiftForm(
        request.POST or None,
        workers=_staff(request),
        with_line=False,
        initial={
            "version": rota.version,
            "worker": shift.worker,
            "start_day": local_start.date(),
            "start_time": local_start.time(),
            "end_day": local_end.date(),
            "end_time": local_end.time(),
            "notes": shift.notes,
        },
    )
    others = (
        Shift.objects.filter(
            rota=rota, removed_at=None, starts_at__gt=timezone.now(), line=shift.line
        )
        .exclude(worker=shift.worker)
        .select_related("worker")
        .order_by("starts_at")[:60]
    )
    swap = forms.SwapForm(shifts=others, initial={"version": rota.version})
    if request.method == "POST":
        try:
            if form.is_valid():
                services.shift_change(
                    actor=request.user,
                    shift=shift,
                    version=form.cleaned_data["version"],
                    worker=form.cleaned_data["worker"],
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    notes=form.cleaned_data["notes"],
                )
                messages.success(request, "Shift changed.")
                return redirect("oncall:rota", rota_id=rota.pk)
        except ValidationError as error:
            errors_onto_form(form, error)
    return render(
        request,
        "oncall/shift.html",
        {
            "shift": shift,
            "rota": rota,
            "form": form,
            "swap": swap,
            "can_manage": can_manage,
            "number": ContactNumber.objects.filter(user=shift.worker).first(),
            "over": shift.ends_at <= timezone.now(),
        },
    )


@casework
def shift_swap(request, shift_id: int):
    shift = selectors.shift_or_404(fetched_by=request.user, shift_id=shift_id)
    if refused := post_only(request):
        return refused
    access.check_or_404(request.user, "oncall.manage", shift.rota)
    others = Shift.objects.filter(rota=shift.rota, removed_at=None)
    form = forms.SwapForm(request.POST, shifts=others)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("oncall:shift", shift_id=shift.pk)
    try:
        services.shifts_swap(
            actor=request.user,
            shift=shift,
            other=form.cleaned_data["other"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("oncall:shift", shift_id=shift.pk)
    messages.success(request, "Shifts swapped.")
    return redirect("oncall:rota", rota_id=shift.rota_id)


@casework
def shift_remove(request, shift_id: int):
    shift = selectors.shift_or_404(fetched_by=request.user, shift_id=shift_id)
    if refused := post_only(request):
        return refused
    access.check_or_404(request.user, "oncall.manage", shift.rota)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.shift_remove(actor=request.user, shift=shift, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("oncall:shift", shift_id=shift.pk)
    messages.success(request, "Shift taken off the rota: that time now shows as a gap.")
    return redirect("oncall:rota", rota_id=shift.rota_id)


@casework
@require_http_methods(["GET", "POST"])
def number(request):
    """The reader's own number for on call, or (for a manager, ?user=N) a colleague's."""
    whose = request.user
    asked = record_id_in(request.GET.get("user"))
    if asked is not None and asked != request.user.pk:
        if not access.roles_of(request.user) & access.MANAGER_ROLES:
            raise NotFoundOrNotAllowed
        whose = access.get_visible_or_404(_staff(request), pk=asked)
    current = ContactNumber.objects.filter(user=whose).first()
    form = forms.NumberForm(
        request.POST or None, initial={"number": getattr(current, "number", "")}
    )
    own = whose.pk == request.user.pk
    return form_page(
        request,
        form=form,
        save=lambda d: services.contact_number_set(
            actor=request.user, user=whose, number=d["number"]
        ),
        saved="Your on-call number is saved." if own else f"{whose.full_name}'s number is saved.",
        then=next_page(request, reverse("oncall:home")),
        template="oncall/form.html",
        context={
            "title": "Your phone number for on call"
            if own
            else f"{whose.full_name}'s phone number for on call",
            "back": next_page(request, reverse("oncall:home")),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def time_off_new(request):
    is_manager = bool(access.roles_of(request.user) & access.MANAGER_ROLES)
    workers = _staff(request) if is_manager else User.objects.filter(pk=request.user.pk)
    form = forms.TimeOffForm(
        request.POST or None, workers=workers, initial={"worker": request.user}
    )
    return form_page(
        request,
        form=form,
        save=lambda d: services.time_off_add(
            actor=request.user, worker=d["worker"], first_day=d["first_day"], last_day=d["last_day"]
        ),
        saved="Time off recorded: any shift in it shows as a gap on the rota.",
        then=next_page(request, reverse("oncall:home")),
        template="oncall/form.html",
        context={"title": "Record time off", "back": reverse("oncall:home")},
    )


# --- The log ---------------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def entry_new(request):
    """Log a call during the reader's shift: find the person by name among the people of
    the covered services (a GET search, so it works without JavaScript)."""
    user = request.user
    shift = selectors.shift_now(user)
    if shift is None:
        messages.error(request, "You are not on call now: a call is logged during your shift.")
        return redirect("oncall:home")
    name = (request.GET.get("name") or "")[:100]
    found = selectors.covered_people(shift=shift, fetched_by=user, name=name)
    chosen = request.POST.get("person") if request.method == "POST" else None
    people = access.people_visible_to(user).filter(
        episodes__end_date=None,
        episodes__service__in=shift.rota.services.all(),
    )
    if request.method != "POST":
        people = people.filter(pk__in=[p.pk for p in found])
    elif chosen:
        chosen_id = record_id_in(chosen)
        people = people.filter(pk=chosen_id) if chosen_id is not None else people.none()
    now = timezone.localtime()
    form = forms.LogEntryForm(
        request.POST or None,
        people=people.distinct(),
        services=shift.rota.services.order_by("name"),
        initial={
            "call_day": now.date(),
            "call_time": now.time().replace(second=0, microsecond=0),
            "person": found[0] if len(found) == 1 else None,
            "follow_up_due": now.date() + timedelta(days=1),
        },
    )
    made = {}

    def save(d: dict) -> None:
        made["entry"] = services.log_entry_write(
            actor=user,
            shift=shift,
            call_at=form.call_at,
            caller=d["caller"],
            caller_name=d["caller_name"],
            person=d["person"],
            not_known=d["not_known"],
            service=d["service"],
            what_happened=d["what_happened"],
            advice=d["advice"],
            action_taken=d["action_taken"],
            escalated_to=d["escalated_to"],
            escalated_at=form.escalated_at,
            escalation_answer=d["escalation_answer"],
            police=d["police"],
            ambulance=d["ambulance"],
            fire=d["fire"],
            serious=d["serious"],
            follow_up=d["follow_up"],
            follow_up_due=d["follow_up_due"] if d["follow_up"] else None,
        )

    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "Call logged.")
            return redirect("oncall:entry", entry_id=made["entry"].pk)
    return render(
        request,
        "oncall/entry_new.html",
        {"form": form, "shift": shift, "name": name, "found": found},
    )


@casework
def entry(request, entry_id: int):
    entry = selectors.entry_or_404(fetched_by=request.user, entry_id=entry_id)
    follow_up = getattr(entry, "follow_up", None)
    return render(
        request,
        "oncall/entry.html",
        {
            "entry": entry,
            "follow_up": follow_up,
            "amendments": list(entry.amendments.select_related("amended_by")),
            "can_amend": access.check(request.user, "oncall.amend", entry),
            "can_tick": follow_up is not None
            and follow_up.done_at is None
            and access.check(request.user, "oncall.follow_up", follow_up),
            "can_report_incident": entry.person_id is not None
            and access.check(request.user, "people.work_in_service", entry.service),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def entry_amend(request, entry_id: int):
    entry = selectors.entry_or_404(fetched_by=request.user, entry_id=entry_id)
    access.check_or_404(request.user, "oncall.amend", entry)
    form = forms.AmendForm(
        request.POST or None,
        initial={
            "what_happened": entry.what_happened,
            "advice": entry.advice,
            "action_taken": entry.action_taken,
        },
    )
    return form_page(
        request,
        form=form,
        save=lambda d: services.log_entry_amend(
            actor=request.user,
            entry=entry,
            reason=d["reason"],
            what_happened=d["what_happened"],
            advice=d["advice"],
            action_taken=d["action_taken"],
        ),
        saved="Entry corrected: what it said before is kept with it.",
        then=reverse("oncall:entry", args=[entry.pk]),
        template="oncall/form.html",
        context={"title": "Correct a log entry", "back": reverse("oncall:entry", args=[entry.pk])},
    )


@casework
def follow_up_done(request, follow_up_id: int):
    follow_up = selectors.follow_up_or_404(fetched_by=request.user, follow_up_id=follow_up_id)
    if refused := post_only(request):
        return refused
    services.follow_up_done(actor=request.user, follow_up=follow_up)
    messages.success(request, "Follow-up done.")
    return redirect(next_page(request, reverse("oncall:entry", args=[follow_up.entry_id])))


# --- The morning handover --------------------------------------------------------------------


def _handover_day(request) -> date:
    return _from_day(request) or timezone.localdate()


@casework
def handover(request, service_id: int):
    service = selectors.handover_service_or_404(fetched_by=request.user, service_id=service_id)
    day = _handover_day(request)
    return render(
        request,
        "oncall/handover.html",
        {
            "handover": selectors.handover(service=service, day=day, fetched_by=request.user),
            "can_mark_read": access.check(request.user, "people.manage_service", service),
            "earlier": day - timedelta(days=1),
            "later": day + timedelta(days=1) if day < timezone.localdate() else None,
            "printable": request.resolver_match.url_name == "handover_print",
        },
    )


@casework
def handover_read(request, service_id: int):
    service = selectors.handover_service_or_404(fetched_by=request.user, service_id=service_id)
    if refused := post_only(request):
        return refused
    day = _handover_day(request)
    try:
        services.handover_mark_read(actor=request.user, service=service, day=day)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Handover marked read.")
    return redirect(f"{reverse('oncall:handover', args=[service.pk])}?from={day.isoformat()}")
