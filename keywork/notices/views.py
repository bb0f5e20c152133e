from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.fields import record_id_in
from keywork.core.pages import apply_to_form, errors_onto_form, form_page
from keywork.core.saving import ChangedSinceOpened
from keywork.notices import forms, selectors, services
from keywork.notices.models import Notice

casework = access.capability_required(access.Capability.CASEWORK)


@casework
def notice_list(request):
    """The notices of the services the user works in; ?service= narrows to one."""
    services_shown = list(selectors.services_for_notices(request.user).order_by("name"))
    wanted = record_id_in(request.GET.get("service"))
    service = next((s for s in services_shown if s.pk == wanted), None)
    notices = list(selectors.notice_list(fetched_by=request.user, service=service)[:200])
    return render(
        request,
        "notices/list.html",
        {
            "notices": notices,
            "reported": list(selectors.services_for_delivery_report(request.user).order_by("name")),
            "services": services_shown,
            "service": service,
            "today": timezone.localdate(),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def notice_new(request):
    name = request.GET.get("name", "").strip()[:100]
    people = selectors.named_choices(request.user, name=name)
    form = forms.NoticeForm(
        request.POST or None,
        initial={"published_on": timezone.localdate(), "language": Notice.Language.ENGLISH},
        services=selectors.services_for_notices(request.user).order_by("name"),
        properties=selectors.properties_for_notices(request.user).order_by("name", "pk"),
        people=people,
        events=selectors.events_for_notices(request.user),
    )
    made: list[Notice] = []

    def save(data: dict) -> None:
        made.append(services.notice_create(actor=request.user, **data))

    if request.method == "POST" and form.is_valid() and apply_to_form(form, save):
        messages.success(request, "Saved the notice.")
        return redirect("notices:notice", notice_id=made[0].pk)
    return render(
        request, "notices/notice_new.html", {"form": form, **_found(request, name, people)}
    )


def _found(request, name: str, people) -> dict:
    """What the page says of a search in the named people's checklist."""
    context = {"name": name, "named_shown": selectors.NAMED_SHOWN}
    if name:
        context["found"] = len(selectors.named_found(fetched_by=request.user, people=people))
    return context


@casework
def delivery_report(request, service_id: int):
    """How each notice of a quarter reached the people it was for: for the service's
    managers, counted over everyone. ?quarter= (like 2026-q4) picks the quarter."""
    service = access.get_visible_or_404(
        selectors.services_for_delivery_report(request.user), pk=service_id
    )
    offered = selectors.quarters_offered()
    form = forms.QuarterForm(
        request.GET if "quarter" in request.GET else None,
        quarters=offered,
        initial={"quarter": offered[0].key},
    )
    quarter = offered[0]
    if form.is_bound and form.is_valid():
        quarter = next(q for q in offered if q.key == form.cleaned_data["quarter"])
    rows = selectors.delivery_report(fetched_by=request.user, service=service, quarter=quarter)
    today = timezone.localdate()
    return render(
        request,
        "notices/delivery_report.html",
        {
            "form": form,
            "service": service,
            "quarter": quarter,
            "rows": rows,
            "short": [r for r in rows if r.not_yet and r.notice.withdrawn_at is None],
            "today": today,
        },
    )


@casework
def notice(request, notice_id: int):
    item = selectors.notice_or_404(fetched_by=request.user, notice_id=notice_id)
    return render(
        request,
        "notices/notice.html",
        {
            "notice": item,
            "files": selectors.files_of(item),
            "delivery": selectors.delivery(fetched_by=request.user, notice=item),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def notice_change(request, notice_id: int):
    """Change the notice's words, language, expiry and acknowledgement; who it is for
    only while no one has had it. Saved only over the version opened."""
    item = selectors.notice_or_404(fetched_by=request.user, notice_id=notice_id)
    access.check_or_404(request.user, "notices.give_out", item.service)
    if item.withdrawn_at is not None:
        messages.error(request, "This notice was withdrawn: it can no longer be changed.")
        return redirect("notices:notice", notice_id=item.pk)
    fixed = selectors.has_receipts(item)
    name = request.GET.get("name", "").strip()[:100]
    named = selectors.named_ids(item)
    people = selectors.named_choices(request.user, name=name, service=item.service, keep=named)
    form = forms.NoticeChangeForm(
        request.POST or None,
        initial={
            "title": item.title,
            "body": item.body,
            "language": item.language,
            "audience": item.audience,
            "property": item.property_id,
            "people": named,
            "event": item.event_id,
            "expires_on": item.expires_on,
            "needs_acknowledgement": item.needs_acknowledgement,
            "version": item.version,
        },
        notice=item,
        audience_fixed=fixed,
        properties=selectors.properties_for_notices(request.user)
        .filter(service=item.service)
        .order_by("name", "pk"),
        people=people,
        events=selectors.events_for_notices(request.user),
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(actor=request.user, notice=item, **form.cleaned_data)
        except ChangedSinceOpened as error:
            stale = True
            form.add_error(None, error)
            form.data = form.data.copy()
            form.data["version"] = error.current_version
            item = selectors.notice_or_404(fetched_by=request.user, notice_id=notice_id)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "Saved the changes to the notice.")
            return redirect("notices:notice", notice_id=item.pk)
    return render(
        request,
        "notices/notice_change.html",
        {
            "form": form,
            "notice": item,
            "stale": stale,
            "audience_fixed": fixed,
            **(_found(request, name, people) if not fixed else {}),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def notice_withdraw(request, notice_id: int):
    item = selectors.notice_or_404(fetched_by=request.user, notice_id=notice_id)
    access.check_or_404(request.user, "notices.give_out", item.service)
    if item.withdrawn_at is not None:
        messages.error(request, "This notice was withdrawn already.")
        return redirect("notices:notice", notice_id=item.pk)
    return form_page(
        request,
        form=forms.WithdrawForm(request.POST or None),
        save=lambda d: services.notice_withdraw(actor=request.user, notice=item, **d),
        saved="Withdrew the notice. It is no longer handed out.",
        then=item_url(item),
        template="notices/notice_withdraw.html",
        context={"notice": item},
    )


@casework
@require_http_methods(["GET", "POST"])
def received(request, notice_id: int):
    """Mark who received the notice on paper, and when."""
    item = selectors.notice_or_404(fetched_by=request.user, notice_id=notice_id)
    access.check_or_404(request.user, "notices.give_out", item.service)
    not_yet = selectors.delivery(fetched_by=request.user, notice=item).not_yet
    form = forms.ReceivedForm(
        request.POST or None,
        initial={"received_on": timezone.localdate(), "how": "by_hand"},
        people=selectors.audience_of(item).filter(pk__in=[p.pk for p in not_yet]),
    )
    return form_page(
        request,
        form=form,
        save=lambda d: services.receipts_record(actor=request.user, notice=item, **d),
        saved="Saved who received it.",
        then=item_url(item),
        template="notices/received.html",
        context={"notice": item, "not_yet": not_yet},
    )


def item_url(item: Notice) -> str:
    from django.urls import reverse

    return reverse("notices:notice", args=[item.pk])


@casework
@require_http_methods(["GET", "POST"])
def acknowledge(request, receipt_id: int):
    receipt = selectors.receipt_or_404(fetched_by=request.user, receipt_id=receipt_id)
    access.check_or_404(request.user, "notices.give_out", receipt.notice.service)
    form = forms.AcknowledgeForm(
        request.POST or None, initial={"acknowledged_on": timezone.localdate()}
    )
    return form_page(
        request,
        form=form,
        save=lambda d: services.receipt_acknowledge(actor=request.user, receipt=receipt, **d),
        saved="Saved the acknowledgement.",
        then=item_url(receipt.notice),
        template="notices/acknowledge.html",
        context={"receipt": receipt, "notice": receipt.notice},
    )


@casework
@require_http_methods(["GET", "POST"])
def file_new(request, notice_id: int):
    item = selectors.notice_or_404(fetched_by=request.user, notice_id=notice_id)
    access.check_or_404(request.user, "notices.give_out", item.service)
    form = forms.NoticeFileForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.notice_file_add(
                actor=request.user, notice=item, upload=d["file"], kind=d["kind"]
            ),
        )
    ):
        messages.success(request, "Attached the file.")
        return redirect("notices:notice", notice_id=item.pk)
    return render(request, "notices/file_new.html", {"form": form, "notice": item})


@casework
def file(request, file_id: int):
    """Hands out the file after the same check as its notice; always as a download."""
    item = selectors.file_or_404(fetched_by=request.user, file_id=file_id)
    path = services.path_of(item)
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


@casework
def round_of_doors(request, property_id: int):
    """A printable list for a round of the property's doors: each resident, the live
    notices they have not had yet, and space to note the day it was handed over."""
    house = access.get_visible_or_404(
        selectors.properties_for_notices(request.user), pk=property_id
    )
    notices, doors = selectors.round_of_doors(fetched_by=request.user, property=house)
    return render(
        request,
        "notices/round.html",
        {"property": house, "notices": notices, "doors": doors, "today": timezone.localdate()},
    )


@casework
def round_of_doors_pdf(request, property_id: int):
    """The round of doors as a PDF to print and carry round: a read of each resident
    named on it, as the page is."""
    from django.http import HttpResponse

    from keywork.notices.printing import round_pdf

    house = access.get_visible_or_404(
        selectors.properties_for_notices(request.user), pk=property_id
    )
    notices, doors = selectors.round_of_doors(fetched_by=request.user, property=house)
    response = HttpResponse(
        round_pdf(property=house, notices=notices, doors=doors, printed_on=timezone.localdate()),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'inline; filename="round-of-doors.pdf"'
    response["Cache-Control"] = "no-store"
    return response
