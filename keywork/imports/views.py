from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.imports import selectors, services
from keywork.imports.forms import MappingForm, UploadForm
from keywork.imports.rows import FIELDS

can_import = access.capability_required(access.Capability.IMPORT)


@can_import
@require_http_methods(["GET", "POST"])
def imports(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_upload(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("imports:job", job_id=job.pk)
    return render(
        request,
        "imports/imports.html",
        {"form": form, "jobs": selectors.imports_of(fetched_by=request.user)[:20]},
    )


@can_import
@require_http_methods(["GET", "POST"])
def job(request, job_id: int):
    """Match the columns, check every row, then import: one page, in that order."""
    user = request.user
    job = services.import_fail_if_stalled(selectors.import_or_404(fetched_by=user, job_id=job_id))
    form = MappingForm(
        request.POST if request.POST.get("action") == "check" else None,
        headers=job.headers,
        initial=job.mapping,
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "check":
                if form.is_valid():
                    services.import_set_mapping(actor=user, job=job, mapping=form.cleaned_data)
                    services.import_start_check(actor=user, job=job)
                    return redirect("imports:job", job_id=job.pk)
            elif request.POST.get("action") == "import":
                services.import_start(actor=user, job=job)
                return redirect("imports:job", job_id=job.pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("imports:job", job_id=job.pk)
    return render(request, "imports/job.html", _job_context(job, form, user))


def _job_context(job, form, user) -> dict:
    may_act = selectors.may_act_on(user, job)
    return {
        "job": job,
        "form": form if may_act else None,
        "may_act": may_act,
        "fields": FIELDS,
        "errors": selectors.problems_of(job, warnings=False),
        "warnings": selectors.problems_of(job, warnings=True),
        "shown": selectors.PROBLEMS_SHOWN,
    }


@can_import
def progress(request, job_id: int):
    """The progress part of the page, for htmx to refresh while a task runs."""
    job = selectors.import_or_404(fetched_by=request.user, job_id=job_id)
    return render(request, "imports/_progress.html", {"job": services.import_fail_if_stalled(job)})
