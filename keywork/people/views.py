from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.contributions import contributed
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.fields import record_id_in
from keywork.core.pages import apply_to_form, errors_onto_form, form_page, post_only
from keywork.core.saving import ChangedSinceOpened
from keywork.people import forms, selectors, services
from keywork.people.models import Agency, Alert, Consent

casework = access.capability_required(access.Capability.CASEWORK)


def _agencies(user):
    return access.scoped_to_organisation(user, Agency.objects.all())


# --- Search and recording ----------------------------------------------------------------


@casework
def search(request):
    query = request.GET.get("q", "")
    results = selectors.people_search(fetched_by=request.user, query=query) if query else None
    return render(request, "people/search.html", {"query": query, "results": results})


@casework
@require_http_methods(["GET", "POST"])
def person_new(request):
    form = forms.PersonForm(request.POST or None)
    confirm = forms.NotADuplicateForm(request.POST or None)
    duplicates = []
    confirm_error = ""
    if request.method == "POST" and request.POST.get("ask_about"):
        # Asking another service to check a possible match leaves the form as typed.
        asked = services.duplicate_check_ask(
            actor=request.user, reference=request.POST["ask_about"]
        )
        messages.success(
            request,
            "We have asked that service's managers to check and let you know."
            if asked
            else "That service has no manager to ask: ask your own manager.",
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.likely_duplicates(
            fetched_by=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            ni_number=data["ni_number"],
            nhs_number=data["nhs_number"],
        )
        checked = bool(request.POST.get("checked_duplicates"))
        if duplicates and checked and not confirm.is_valid():
            confirm_error = confirm.errors["not_a_duplicate"][0]
        if not duplicates or (checked and confirm.is_valid()):
            created = {}
            if apply_to_form(
                form,
                lambda d: created.setdefault(
                    "person", services.person_create(actor=request.user, **_person_fields(d))
                ),
            ):
                messages.success(request, f"Recorded {created['person']}. Now add a referral.")
                return redirect("people:person", person_id=created["person"].pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "confirm": confirm,
            "confirm_error": confirm_error,
            "has_errors": bool(confirm_error),
            "person": None,
        },
    )


def _person_fields(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


@casework
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id: int):
    """Edits the record with a version check: a save from a form opened before someone
    else's save is refused, and both texts stay on the page to be reconciled."""
    person = selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    form = forms.PersonForm(request.POST or None, initial=forms.PersonForm.initial_for(person))
    conflict = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if version is None:
                raise ChangedSinceOpened("record", person, message=services.RECORD_CHANGED)
            services.person_update(
                actor=request.user,
                person=person,
                version=version,
                **_person_fields(form.cleaned_data),
            )
        except ChangedSinceOpened as changed:
            conflict = changed.current
            form.add_error(None, changed)
            form.data = form.data.copy()
            form.data["version"] = changed.current_version
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "Saved the changes.")
            return redirect("people:person", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": person,
            "conflict": conflict,
            "alerts": selectors.active_alerts(person),
        },
    )


@casework
def person(request, person_id: int):
    person = selectors.person_page(fetched_by=request.user, person_id=person_id)
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "alerts": person.active_alerts,
            "possible_duplicates": selectors.possible_duplicates_of(
                fetched_by=request.user, person=person
            ),
            "can_merge": access.check(request.user, "people.merge"),
            "today": timezone.localdate(),
            # What the other areas add to the page: links to their pages, and sections.
            "person_links": contributed("person_links"),
            "episode_links": contributed("episode_links"),
            "panels": [
                {"template": panel.template, "data": panel.context(request.user, person)}
                for panel in contributed("person_panels")
            ],
            "can_decide": {
                e.pk: access.check(request.user, "people.work_in_service", e.service)
                for e in person.episodes.all()
            },
            "can_end": {
                e.pk: access.check(request.user, "people.decide_in_service", e.service)
                for e in person.episodes.all()
            },
        },
    )


# --- Parts of the record -----------------------------------------------------------------


def _part_form(request, person_id: int, form_class, save, title: str, **form_kwargs):
    person = selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    return form_page(
        request,
        form=form_class(request.POST or None, **form_kwargs),
        save=lambda data: save(request.user, person, data),
        saved="Saved.",
        then=reverse("people:person", args=[person.pk]),
        template="people/part_form.html",
        context={"title": title, **selectors.person_header(person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def identifier_new(request, person_id: int):
    return _part_form(
        request,
        person_id,
        forms.IdentifierForm,
        lambda user, person, d: services.identifier_add(actor=user, person=person, **d),
        "Add an identifier",
    )


@casework
@require_http_methods(["GET", "POST"])
def alert_new(request, person_id: int):
    return _part_form(
        request,
        person_id,
        forms.AlertForm,
        lambda user, person, d: services.alert_add(actor=user, person=person, **d),
        "Add an alert",
    )


@casework
@require_http_methods(["GET", "POST"])
def emergency_contact_new(request, person_id: int):
    return _part_form(
        request,
        person_id,
        forms.EmergencyContactForm,
        lambda user, person, d: services.emergency_contact_add(actor=user, person=person, **d),
        "Add an emergency contact",
    )


@casework
@require_http_methods(["GET", "POST"])
def consent_new(request, person_id: int):
    return _part_form(
        request,
        person_id,
        forms.ConsentForm,
        lambda user, person, d: services.consent_add(actor=user, person=person, **d),
        "Record consent to share information",
    )


@casework
@require_http_methods(["GET", "POST"])
def professional_new(request, person_id: int):
    return _part_form(
        request,
        person_id,
        forms.ProfessionalForm,
        lambda user, person, d: services.professional_add(actor=user, person=person, **d),
        "Add a professional involved",
        agencies=_agencies(request.user),
    )


@casework
@require_http_methods(["GET", "POST"])
def alert_end(request, person_id: int, alert_id: int):
    person = selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    alert = access.get_visible_or_404(
        Alert.objects.filter(person=person, ended_at=None), pk=alert_id
    )
    return _part_form(
        request,
        person.pk,
        forms.EndAlertForm,
        lambda user, p, d: services.alert_end(actor=user, alert=alert, **d),
        f"End the alert: {alert.text}",
    )


@casework
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, person_id: int, consent_id: int):
    person = selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    consent = access.get_visible_or_404(Consent.objects.filter(person=person), pk=consent_id)
    return _part_form(
        request,
        person.pk,
        forms.WithdrawConsentForm,
        lambda user, p, d: services.consent_withdraw(actor=user, consent=consent, **d),
        f"Withdraw consent to share with {consent.shared_with}",
    )


@casework
@require_http_methods(["GET", "POST"])
def referral_new(request, person_id: int):
    return _part_form(
        request,
        person_id,
        forms.ReferralForm,
        lambda user, person, d: services.referral_create(actor=user, person=person, **d),
        "Add a referral",
        services=access.scoped_to_organisation(request.user, _open_services()),
        agencies=_agencies(request.user),
    )


def _open_services():
    from keywork.organisations.models import Service

    return Service.objects.filter(archived_at=None).order_by("name")


# --- Referrals and episodes --------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def referral(request, referral_id: int):
    """The referral and the decision on it: assess, accept (which starts support),
    decline with a reason, or withdraw."""
    user = request.user
    referral = selectors.referral_or_404(fetched_by=user, referral_id=referral_id)
    can_decide = access.check(user, "people.work_in_service", referral.service)
    may_accept_or_decline = access.check(user, "people.decide_in_service", referral.service)
    accept = forms.AcceptReferralForm(
        request.POST if request.POST.get("decision") == "accept" else None,
        key_workers=selectors.possible_key_workers(referral.service),
        co_workers=selectors.possible_co_workers(referral.organisation_id),
        initial={"key_worker": user.pk},
    )
    reason = forms.DecisionReasonForm(
        request.POST if request.POST.get("decision") in ("decline", "withdraw") else None
    )
    if request.method == "POST":
        if not can_decide:
            return render(request, "core/404.html", status=404)
        decision = request.POST.get("decision")
        done = False
        if decision == "assess":
            try:
                services.referral_start_assessment(actor=user, referral=referral)
                done = True
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        elif decision == "accept" and accept.is_valid():
            done = apply_to_form(
                accept, lambda d: services.referral_accept(actor=user, referral=referral, **d)
            )
        elif decision == "decline" and reason.is_valid():
            done = apply_to_form(
                reason, lambda d: services.referral_decline(actor=user, referral=referral, **d)
            )
        elif decision == "withdraw" and reason.is_valid():
            done = apply_to_form(
                reason, lambda d: services.referral_withdraw(actor=user, referral=referral, **d)
            )
        if done:
            messages.success(request, "Saved the decision.")
            return redirect("people:person", person_id=referral.person_id)
    return render(
        request,
        "people/referral.html",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": selectors.active_alerts(referral.person),
            "can_decide": can_decide,
            "may_accept_or_decline": may_accept_or_decline,
            "accept": accept,
            "reason": reason,
            # The form that was sent, so the page title starts "Error:" when it is refused.
            "form": {"accept": accept, "decline": reason, "withdraw": reason}.get(
                request.POST.get("decision")
            ),
            "decision": request.POST.get("decision", ""),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def episode_end(request, episode_id: int):
    user = request.user
    episode = selectors.episode_or_404(fetched_by=user, episode_id=episode_id)
    access.check_or_404(user, "people.decide_in_service", episode.service)
    form = forms.EndEpisodeForm(
        request.POST or None,
        initial={"destination": selectors.destination_hint(episode)},
        started=episode.start_date,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(form, lambda d: services.episode_close(actor=user, episode=episode, **d))
    ):
        messages.success(request, f"Support from {episode.service} has ended.")
        return redirect("people:person", person_id=episode.person_id)
    return render(
        request,
        "people/episode_end.html",
        {
            "form": form,
            "episode": episode,
            "person": episode.person,
            "alerts": selectors.active_alerts(episode.person),
        },
    )


@casework
def episode_reopen(request, episode_id: int):
    user = request.user
    episode = selectors.episode_or_404(fetched_by=user, episode_id=episode_id)
    access.check_or_404(user, "people.decide_in_service", episode.service)
    if refused := post_only(request):
        return refused
    try:
        services.episode_reopen(actor=user, episode=episode)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Re-opened support from {episode.service}.")
    return redirect("people:person", person_id=episode.person_id)


@casework
def waiting_list(request, service_id: int):
    service = selectors.service_for_casework_or_404(fetched_by=request.user, service_id=service_id)
    return render(
        request,
        "people/waiting_list.html",
        {
            "service": service,
            "referrals": selectors.waiting_list(fetched_by=request.user, service=service),
        },
    )


# --- Caseloads ---------------------------------------------------------------------------


@casework
def my_caseload(request):
    sort = request.GET.get("sort", "name")
    return render(
        request,
        "people/my_caseload.html",
        {
            "rows": selectors.my_caseload(user=request.user, sort=sort),
            "columns": selectors.caseload_columns(),
            "sort": sort,
            "services": access.services_for_casework(request.user),
            "teams": access.teams_managed_by(request.user),
        },
    )


@casework
def team_caseloads(request):
    """The teams whose caseloads the user looks after: straight to the one, or a choice."""
    teams = list(access.teams_managed_by(request.user).order_by("name"))
    if not teams:
        raise NotFoundOrNotAllowed
    if len(teams) == 1:
        return redirect("people:team_caseload", team_id=teams[0].pk)
    return render(request, "people/team_caseloads.html", {"teams": teams})


@casework
@require_http_methods(["GET", "POST"])
def team_caseload(request, team_id: int):
    user = request.user
    team = selectors.team_or_404(fetched_by=user, team_id=team_id)
    sort = request.GET.get("sort", "name")
    worker_id = record_id_in(request.GET.get("worker"))
    page, workloads = selectors.team_caseload(
        team=team, sort=sort, worker_id=worker_id, page_number=request.GET.get("page")
    )
    rows = page.object_list
    key_workers = selectors.possible_key_workers_for_team(team)
    # The people on this page are the ones that may be chosen to move.
    form = forms.ReallocateForm(request.POST or None, episodes=rows, key_workers=key_workers)
    if request.method == "POST" and form.is_valid():
        chosen = [r for r in rows if str(r.pk) in set(form.cleaned_data["episodes"])]
        result = {}
        if apply_to_form(
            form,
            lambda d: result.setdefault(
                "r",
                services.caseload_reallocate(
                    actor=user, episodes=chosen, new_key_worker=d["new_key_worker"]
                ),
            ),
        ):
            moved = result["r"]
            messages.success(
                request,
                f"Moved {moved.moved} {'person' if moved.moved == 1 else 'people'} "
                f"to {moved.new_key_worker}.",
            )
            return redirect(reverse("people:team_caseload", args=[team.pk]))
    return render(
        request,
        "people/team_caseload.html",
        {
            "team": team,
            "rows": rows,
            "page": page,
            "chosen": request.POST.getlist("episodes"),
            "workloads": workloads,
            "form": form,
            "columns": selectors.caseload_columns(),
            "sort": sort,
            "worker_id": worker_id,
        },
    )


# --- Break-glass -------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def break_glass(request):
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = selectors.break_glass_match(
            fetched_by=request.user,
            **{
                k: form.cleaned_data[k]
                for k in ("record_number", "ni_number", "nhs_number", "last_name", "date_of_birth")
            },
        )
        if person is None:
            form.add_error(None, "No record matches exactly. Check the details and try again.")
        elif access.may_see_person(request.user, person):
            return redirect("people:person", person_id=person.pk)
        elif apply_to_form(
            form,
            lambda d: services.break_glass(actor=request.user, person=person, reason=d["reason"]),
        ):
            messages.success(
                request, "You have access to this record for one hour. Your reason is recorded."
            )
            return redirect("people:person", person_id=person.pk)
    return render(request, "people/break_glass.html", {"form": form})


# --- Printing ---------------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def person_print(request, person_id: int):
    """A printable summary of the record. A confidential address is left off unless the
    user chooses to include it and says why; that choice is audited."""
    person = selectors.person_page(fetched_by=request.user, person_id=person_id)
    form = forms.PrintForm(request.POST or None)
    show_address = not person.address_confidential
    wants_address = form.is_valid() and form.cleaned_data["include_address"]
    if request.method == "POST" and wants_address and person.address_confidential:
        services.confidential_address_release(
            actor=request.user, person=person, purpose=form.cleaned_data["purpose"]
        )
        show_address = True
    return render(
        request,
        "people/print.html",
        {
            "person": person,
            "form": form,
            "show_address": show_address,
            "alerts": person.active_alerts,
        },
    )


# --- Co-workers -------------------------------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def co_workers(request, episode_id: int):
    user = request.user
    episode = selectors.episode_or_404(fetched_by=user, episode_id=episode_id)
    access.check_or_404(user, "people.work_in_service", episode.service)
    form = forms.CoWorkerForm(
        request.POST if request.POST.get("action") == "add" else None,
        staff=selectors.possible_co_workers(episode.organisation_id),
    )
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            worker = access.get_visible_or_404(
                episode.co_workers.all(), pk=request.POST.get("worker", "")
            )
            services.co_worker_remove(actor=user, worker=worker)
            messages.success(request, f"{worker.user} is no longer a co-worker.")
            return redirect("people:co_workers", episode_id=episode.pk)
        if form.is_valid() and apply_to_form(
            form, lambda d: services.co_worker_add(actor=user, episode=episode, user=d["user"])
        ):
            messages.success(request, f"Added {form.cleaned_data['user']} as a co-worker.")
            return redirect("people:co_workers", episode_id=episode.pk)
    return render(
        request,
        "people/co_workers.html",
        {
            "episode": episode,
            "person": episode.person,
            "form": form,
            "workers": episode.co_workers.select_related("user"),
            "alerts": selectors.active_alerts(episode.person),
        },
    )


# --- Possible duplicates and merging -----------------------------------------------------------


@casework
@require_http_methods(["GET", "POST"])
def possible_duplicate_new(request, person_id: int):
    def save(user, person, data):
        # A record the user may not see answers exactly as one that does not exist.
        no_such = ValidationError(
            {"record_number": "There is no record with that number that you can see."}
        )
        try:
            other = selectors.person_or_404(fetched_by=user, person_id=data["record_number"])
            services.possible_duplicate_mark(
                actor=user, person=person, other=other, note=data["note"]
            )
        except NotFoundOrNotAllowed as error:
            raise no_such from error

    return _part_form(
        request, person_id, forms.PossibleDuplicateForm, save, "Mark as possibly the same person"
    )


@casework
@require_http_methods(["GET", "POST"])
def person_merge(request, person_id: int, other_id: int):
    user = request.user
    access.check_or_404(user, "people.merge")
    keep = selectors.person_or_404(fetched_by=user, person_id=person_id)
    merge = selectors.person_or_404(fetched_by=user, person_id=other_id)
    if keep.pk == merge.pk:
        return render(request, "core/404.html", status=404)
    if request.method == "POST":
        try:
            services.person_merge(actor=user, keep=keep, merge=merge)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Merged record {merge.pk} into this record.")
            return redirect("people:person", person_id=keep.pk)
    return render(
        request,
        "people/merge.html",
        {"person": keep, "keep": keep, "merge": merge, "alerts": selectors.active_alerts(keep)},
    )
