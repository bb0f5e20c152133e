from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.saving import ChangedSinceOpened
from keywork.outcomes import selectors, services
from keywork.outcomes.forms import (
    ChooseFrameworkForm,
    ErrorSummary,
    FrameworkForm,
    domain_formset,
    stage_formset,
)
from keywork.outcomes.models import Framework

manage = access.capability_required(access.Capability.ORGANISATION_MANAGE)

# Blank rows under the filled ones, so more can be added without JavaScript.
NEW_DOMAIN_ROWS, NEW_STAGE_ROWS = 6, 5
MORE_DOMAIN_ROWS, MORE_STAGE_ROWS = 3, 2


@manage
def framework_list(request):
    user = request.user
    return render(
        request,
        "outcomes/framework_list.html",
        {
            "organisation": user.organisation,
            "frameworks": selectors.framework_list(fetched_by=user),
            "in_use": selectors.framework_for_new_plans(organisation_id=user.organisation_id),
        },
    )


@manage
def framework(request, framework_id: int):
    user = request.user
    framework = access.get_visible_or_404(
        selectors.framework_with_parts(selectors.frameworks_open_to(fetched_by=user)),
        pk=framework_id,
    )
    return render(
        request,
        "outcomes/framework.html",
        {
            "framework": framework,
            "in_use": selectors.framework_for_new_plans(organisation_id=user.organisation_id),
        },
    )


def _apply_errors(error: ValidationError, form, summary_errors: dict) -> None:
    """The service's errors: the name's on its field, the rows' above their rows."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        if field in ("domains", "stages"):
            summary_errors[field] = [message for e in errors for message in e.messages]
        else:
            form.add_error(field if field in form.fields else None, errors)


def _edit_page(request, *, framework: Framework | None):
    user = request.user
    data = request.POST if request.method == "POST" else None
    if framework is None:
        initial, domains_initial, stages_initial = {}, [], []
        extra_domains, extra_stages = NEW_DOMAIN_ROWS, NEW_STAGE_ROWS
    else:
        initial = {
            "name": framework.name,
            "description": framework.description,
            "version": framework.version,
        }
        domains_initial = [
            {"id": d.pk, "name": d.name, "description": d.description}
            for d in framework.domains.all()
        ]
        stages_initial = [
            {
                "id": s.pk,
                "label": s.label,
                "description": s.description,
                "low": s.low,
                "high": s.high,
            }
            for s in framework.stages.all()
        ]
        extra_domains, extra_stages = MORE_DOMAIN_ROWS, MORE_STAGE_ROWS
    form = FrameworkForm(data, initial=initial, editing=framework is not None)
    domains = domain_formset(data=data, initial=domains_initial, extra=extra_domains)
    stages = stage_formset(data=data, initial=stages_initial, extra=extra_stages)
    row_errors: dict[str, list[str]] = {}
    stale = False
    if request.method == "POST":
        # Each is validated, so every problem on the page shows at once.
        valid = [form.is_valid(), domains.is_valid(), stages.is_valid()]
        if all(valid):
            fields = {
                "name": form.cleaned_data["name"],
                "description": form.cleaned_data["description"],
                "domains": domains.entries(),
                "stages": stages.entries(),
            }
            try:
                if framework is None:
                    saved = services.framework_create(actor=user, **fields)
                else:
                    saved = services.framework_update(
                        actor=user,
                        framework=framework,
                        version=form.cleaned_data["version"],
                        **fields,
                    )
            except ChangedSinceOpened as error:
                stale = True
                form.add_error(None, error)
                # Saving again now saves over the framework as it is now, on purpose.
                form.data = form.data.copy()
                form.data["version"] = error.current_version
            except ValidationError as error:
                _apply_errors(error, form, row_errors)
            else:
                messages.success(
                    request, f"{'Saved' if framework else 'Added'} the framework {saved.name}."
                )
                return redirect("outcomes:framework_list")
    if stale:
        framework = access.get_visible_or_404(
            selectors.framework_with_parts(selectors.frameworks_of(fetched_by=user)),
            pk=framework.pk,
        )
    summary = ErrorSummary(
        form,
        domains,
        stages,
        extra_errors=row_errors.get("domains", []) + row_errors.get("stages", []),
    )
    return render(
        request,
        "outcomes/framework_form.html",
        {
            "title": f"Change {framework.name}" if framework else "Add a framework",
            "framework": framework,
            "form": form,
            "summary": summary,
            "has_errors": summary.errors,
            "domains": domains,
            "stages": stages,
            "domain_errors": row_errors.get("domains", []),
            "stage_errors": row_errors.get("stages", []),
            "rated_domain_ids": (
                selectors.domain_ids_with_ratings(framework=framework) if framework else set()
            ),
            "stale": stale,
            "scale_min": services.SCALE_MIN,
            "scale_max": services.SCALE_MAX,
        },
    )


@manage
@require_http_methods(["GET", "POST"])
def framework_new(request):
    return _edit_page(request, framework=None)


@manage
@require_http_methods(["GET", "POST"])
def framework_edit(request, framework_id: int):
    # Only the organisation's own: Keywork's and other organisations' answer 404.
    framework = access.get_visible_or_404(
        selectors.framework_with_parts(selectors.frameworks_of(fetched_by=request.user)),
        pk=framework_id,
    )
    return _edit_page(request, framework=framework)


@manage
def framework_archive(request, framework_id: int):
    framework = access.get_visible_or_404(
        selectors.frameworks_of(fetched_by=request.user), pk=framework_id
    )
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    archive = framework.archived_at is None
    was_in_use = framework.used_for_new_plans
    services.framework_archive(actor=request.user, framework=framework, archive=archive)
    if not archive:
        messages.success(request, f"Restored {framework.name}.")
    elif was_in_use:
        shipped = selectors.framework_for_new_plans(organisation_id=request.user.organisation_id)
        messages.success(
            request,
            f"Archived {framework.name}. Plans already using it keep it; new support plans "
            f"will use {shipped.name} until you choose another.",
        )
    else:
        messages.success(request, f"Archived {framework.name}. Plans already using it keep it.")
    return redirect("outcomes:framework_list")


@manage
@require_http_methods(["GET", "POST"])
def framework_choose(request):
    user = request.user
    in_use = selectors.framework_for_new_plans(organisation_id=user.organisation_id)
    form = ChooseFrameworkForm(
        request.POST or None,
        initial={"framework": in_use.pk},
        frameworks=selectors.frameworks_to_choose_from(fetched_by=user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            chosen = services.framework_choose_for_new_plans(
                actor=user, framework=form.cleaned_data["framework"]
            )
        except ValidationError as error:
            _apply_errors(error, form, {})
        else:
            messages.success(request, f"New support plans will use {chosen.name}.")
            return redirect("outcomes:framework_list")
    return render(
        request,
        "outcomes/framework_choose.html",
        {"form": form, "in_use": in_use},
    )
