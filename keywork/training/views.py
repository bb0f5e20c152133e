from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.pages import apply_to_form, errors_onto_form, form_page, post_only
from keywork.core.saving import ChangedSinceOpened
from keywork.training import downloads, forms, selectors, services
from keywork.training.permissions import is_administrator


def _training_user(request) -> None:
    if not request.user.is_authenticated or not selectors.uses_training(request.user):
        raise NotFoundOrNotAllowed


def _signed_in(view):
    """Anonymous visitors go to sign in; those with no training pages (commissioners)
    get 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _training_user(request)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@_signed_in
def home(request):
    """The reader's own training, and the matrices and catalogue they may open."""
    user = request.user
    today = timezone.localdate()
    return render(
        request,
        "training/home.html",
        {
            **selectors.staff_training(fetched_by=user, staff=user, today=today),
            "staff": user,
            "teams": selectors.teams_with_matrix(user),
            "organisation_matrix": is_administrator(user),
            "keeps_catalogue": access.check(user, "training.catalogue"),
            "today": today,
        },
    )


@_signed_in
def staff(request, user_id: int):
    target = selectors.staff_or_404(fetched_by=request.user, user_id=user_id)
    today = timezone.localdate()
    return render(
        request,
        "training/staff.html",
        {
            **selectors.staff_training(fetched_by=request.user, staff=target, today=today),
            "staff": target,
            "may_record": access.check(request.user, "training.record", target),
            "today": today,
        },
    )


def _record_target(request, user_id: int):
    target = selectors.staff_or_404(fetched_by=request.user, user_id=user_id)
    access.check_or_404(request.user, "training.record", target)
    return target


@_signed_in
@require_http_methods(["GET", "POST"])
def record_new(request, user_id: int):
    target = _record_target(request, user_id)
    courses = selectors.courses_to_record(organisation_id=request.user.organisation_id)
    form = forms.RecordForm(request.POST or None, request.FILES or None, courses=courses)
    return form_page(
        request,
        form=form,
        save=lambda d: services.training_record_create(
            actor=request.user,
            staff=target,
            course=d["course"],
            completed_on=d["completed_on"],
            expires_on=d["expires_on"],
            provider=d["provider"],
            hours=d["hours"],
            certificate=d["certificate"],
        ),
        saved="Training recorded.",
        then=reverse("training:staff", args=[target.pk]),
        template="training/record_form.html",
        context={
            "title": f"Record training for {target.full_name}",
            "back": reverse("training:staff", args=[target.pk]),
        },
    )


@_signed_in
@require_http_methods(["GET", "POST"])
def record_edit(request, record_id: int):
    record = selectors.record_or_404(
        fetched_by=request.user, record_id=record_id, to="training.record"
    )
    initial = {
        "version": record.version,
        "completed_on": record.completed_on,
        "expires_on": record.expires_on,
        "provider": record.provider,
        "hours": record.hours,
    }
    courses = selectors.courses_to_record(organisation_id=request.user.organisation_id)
    form = forms.RecordForm(
        request.POST or None, request.FILES or None, initial=initial, courses=courses, editing=True
    )
    back = reverse("training:staff", args=[record.staff_id])
    context = {"title": f"Change {record.course.name} for {record.staff.full_name}", "back": back}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.training_record_update(
                actor=request.user,
                record=record,
                version=data["version"],
                completed_on=data["completed_on"],
                expires_on=data["expires_on"],
                provider=data["provider"],
                hours=data["hours"],
                certificate=data["certificate"],
            )
        except ChangedSinceOpened as changed:
            errors_onto_form(form, changed)
            context["current"] = changed.current
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "Training record changed.")
            return redirect(back)
    return render(request, "training/record_form.html", {"form": form, "record": record, **context})


@_signed_in
def certificate(request, record_id: int):
    record = selectors.record_or_404(fetched_by=request.user, record_id=record_id)
    if not record.certificate_stored_name:
        raise Http404
    path = services.certificate_path(record)
    if not path.exists():
        raise Http404
    response = FileResponse(
        path.open("rb"), content_type=record.certificate_type, filename=record.certificate_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_signed_in
@require_http_methods(["GET", "POST"])
def booking_new(request, user_id: int):
    target = _record_target(request, user_id)
    courses = selectors.courses_to_record(organisation_id=request.user.organisation_id)
    form = forms.BookingForm(request.POST or None, courses=courses)
    return form_page(
        request,
        form=form,
        save=lambda d: services.training_booking_create(
            actor=request.user,
            staff=target,
            course=d["course"],
            booked_for=d["booked_for"],
            provider=d["provider"],
        ),
        saved="Training booked.",
        then=reverse("training:staff", args=[target.pk]),
        template="training/form.html",
        context={
            "title": f"Book training for {target.full_name}",
            "back": reverse("training:staff", args=[target.pk]),
        },
    )


@_signed_in
def booking_cancel(request, booking_id: int):
    booking = selectors.booking_or_404(fetched_by=request.user, booking_id=booking_id)
    refused = post_only(request)
    if refused:
        return refused
    services.training_booking_cancel(actor=request.user, booking=booking)
    messages.success(request, "Booking cancelled.")
    return redirect("training:staff", user_id=booking.staff_id)


# --- The catalogue ----------------------------------------------------------------------------


@_signed_in
def courses(request):
    archived = request.GET.get("archived") == "yes"
    return render(
        request,
        "training/courses.html",
        {
            "courses": selectors.catalogue(fetched_by=request.user, archived=archived),
            "archived": archived,
        },
    )


def _course_call(request, course=None):
    def call(d):
        arguments = {
            "actor": request.user,
            "name": d["name"],
            "description": d["description"],
            "mandatory_for": d["mandatory_for"],
            "renewal_months": d["renewal_months"],
            "provider": d["provider"],
        }
        if course is None:
            return services.course_create(**arguments)
        return services.course_update(
            course=course, version=d["version"], archived=d["archived"], **arguments
        )

    return call


@_signed_in
@require_http_methods(["GET", "POST"])
def course_new(request):
    access.check_or_404(request.user, "training.catalogue")
    form = forms.CourseForm(request.POST or None)
    del form.fields["archived"]
    return form_page(
        request,
        form=form,
        save=_course_call(request),
        saved="Course added to the catalogue.",
        then=reverse("training:courses"),
        template="training/form.html",
        context={"title": "Add a course", "back": reverse("training:courses")},
    )


@_signed_in
@require_http_methods(["GET", "POST"])
def course_edit(request, course_id: int):
    course = selectors.course_or_404(fetched_by=request.user, course_id=course_id)
    initial = {
        "version": course.version,
        "name": course.name,
        "description": course.description,
        "mandatory_for": [r.role for r in course.requirements.all()],
        "renewal_months": course.renewal_months,
        "provider": course.provider,
        "archived": course.archived_at is not None,
    }
    form = forms.CourseForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(form, _course_call(request, course))
    ):
        messages.success(request, "Course changed.")
        return redirect("training:courses")
    return render(
        request,
        "training/form.html",
        {"form": form, "title": f"Change {course.name}", "back": reverse("training:courses")},
    )


# --- The matrix -------------------------------------------------------------------------------


def _download(matrix, fmt: str, name: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(
            downloads.as_xlsx(matrix),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(downloads.as_csv(matrix), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _matrix_page(request, matrix, links: tuple[str, str], team=None) -> HttpResponse:
    return render(
        request,
        "training/matrix.html",
        {
            "matrix": matrix,
            "course_shares": list(zip(matrix.courses, matrix.course_shares(), strict=True)),
            "team": team,
            "xlsx_url": links[0],
            "csv_url": links[1],
        },
    )


@_signed_in
def matrix(request):
    found = selectors.organisation_matrix(fetched_by=request.user, today=timezone.localdate())
    return _matrix_page(
        request, found, (reverse("training:matrix_xlsx"), reverse("training:matrix_csv"))
    )


@_signed_in
def matrix_download(request, fmt: str):
    found = selectors.organisation_matrix(fetched_by=request.user, today=timezone.localdate())
    return _download(found, fmt, f"training-matrix-{found.today:%Y-%m-%d}")


@_signed_in
def team_matrix(request, team_id: int):
    team = selectors.team_or_404(fetched_by=request.user, team_id=team_id)
    found = selectors.team_matrix(fetched_by=request.user, team=team, today=timezone.localdate())
    urls = (
        reverse("training:team_matrix_xlsx", args=[team.pk]),
        reverse("training:team_matrix_csv", args=[team.pk]),
    )
    return _matrix_page(request, found, urls, team=team)


@_signed_in
def team_matrix_download(request, team_id: int, fmt: str):
    team = selectors.team_or_404(fetched_by=request.user, team_id=team_id)
    found = selectors.team_matrix(fetched_by=request.user, team=team, today=timezone.localdate())
    return _download(found, fmt, f"training-matrix-team-{team.pk}-{found.today:%Y-%m-%d}")
