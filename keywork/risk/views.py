from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.contributions import contributed
from keywork.core.fields import record_id_in
from keywork.core.pages import apply_to_form
from keywork.core.saving import ChangedSinceOpened
from keywork.people import selectors as people_selectors
from keywork.people.selectors import person_header
from keywork.risk import forms, selectors, services
from keywork.risk.models import Incident

casework = access.capability_required(access.Capability.CASEWORK)


@casework
def risk(request, person_id: int):
    """The person's risk assessment, its versions, their part in incidents, and
    safeguarding referrals."""
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    page = selectors.risk_page(fetched_by=request.user, person=person)
    return render(
        request,
        "risk/risk.html",
        {
            "assessment": page.assessment,
            "areas": selectors.areas_in_order(page.assessment),
            "parts": page.parts,
            "safeguarding": page.safeguarding,
            "today": timezone.localdate(),
            **person_header(person),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def risk_edit(request, person_id: int):
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    assessment = selectors.risk_of(person)
    form = forms.RiskAssessmentForm(
        request.POST or None, initial=forms.RiskAssessmentForm.initial_from(assessment)
    )
    stale = []

    def save(data):
        try:
            services.risk_assessment_save(
                actor=request.user,
                person=person,
                version=data["version"],
                overall=data["overall"],
                summary=data["summary"],
                areas=form.areas(),
                overall_is_right=data["overall_is_right"],
            )
        except ChangedSinceOpened:
            stale.append(True)
            raise

    if request.method == "POST" and form.is_valid() and apply_to_form(form, save):
        messages.success(request, "Saved the risk assessment. This version is kept.")
        return redirect("risk:risk", person_id=person.pk)
    if stale:
        # The user's own entries stay in the form beside the assessment as it now is;
        # the version moves on to the one now saved, so saving again goes through.
        assessment = selectors.risk_of(person)
        form.data = form.data.copy()
        form.data["version"] = assessment.version if assessment else ""
    return render(
        request,
        "risk/risk_edit.html",
        {
            "form": form,
            "assessment": assessment,
            "areas": selectors.areas_in_order(assessment) if stale else [],
            "stale": bool(stale),
            # The box to say a lower overall level is right, once it has been asked.
            "ask_overall": any("is below the level of" in e for e in form.errors.get("overall", []))
            or bool(form["overall_is_right"].value()),
            **person_header(person),
        },
    )


@casework
def risk_version(request, person_id: int, number: int):
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    version = selectors.version_or_404(person=person, number=number)
    from keywork.risk.models import RiskArea

    labels = dict(RiskArea.Domain.choices)
    areas = [
        {**a, "label": labels.get(a["domain"], a["domain"])} for a in version.snapshot["areas"]
    ]
    return render(
        request,
        "risk/risk_version.html",
        {"version": version, "areas": areas, **person_header(person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def incident_new(request):
    user = request.user
    services_qs = access.services_for_casework(user)
    people = (
        access.people_visible_to(user)
        .filter(episodes__end_date=None, episodes__service__in=services_qs)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    initial = {"day": timezone.localdate(), "time": timezone.localtime().strftime("%H:%M")}
    person = record_id_in(request.GET.get("person"))
    if person is not None:
        initial["people"] = [person]
    # Opened from a record of another area (an on-call call: ?from=call-12), the form
    # starts from what that record says, if the reader may see it ("incident_drafts");
    # the form still checks every field when it is sent.
    reference = (request.GET.get("from") or "")[:40]
    if reference:
        for draft_of in contributed("incident_drafts"):
            initial.update(draft_of(user, reference) or {})
    form = forms.IncidentForm(
        request.POST or None,
        initial=initial,
        services=services_qs,
        people=people,
        staff=people_selectors.possible_co_workers(user.organisation_id),
    )
    created = {}
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: created.setdefault(
                "incident",
                services.incident_report(
                    actor=user,
                    service=d["service"],
                    type=d["type"],
                    severity=d["severity"],
                    occurred_at=d.get("occurred_at") or timezone.now(),
                    place=d["place"],
                    what_happened=d["what_happened"],
                    immediate_action=d["immediate_action"],
                    people=list(d["people"]),
                    staff_involved=list(d["staff_involved"]),
                    others_involved=d["others_involved"],
                ),
            ),
        )
    ):
        incident = created["incident"]
        text = "Recorded the incident. A manager of the service will review it."
        if incident.severity == Incident.Severity.HIGH:
            text = "Recorded the incident. The service's lead manager has been told."
        messages.success(request, text)
        return redirect("risk:incident", incident_id=incident.pk)
    return render(request, "risk/incident_new.html", {"form": form})


@casework
def incidents(request):
    return render(request, "risk/incidents.html", selectors.incidents_page(user=request.user))


@casework
def incident_list(request, which: str):
    """One of the incidents page's lists in whole, a page at a time."""
    if which not in selectors.INCIDENT_LISTS:
        raise Http404
    page = selectors.incident_list_page(
        user=request.user, which=which, page_number=request.GET.get("page")
    )
    title, _ = selectors.INCIDENT_LISTS[which]
    return render(
        request, "risk/incident_list.html", {"which": which, "title": title, "page": page}
    )


@casework
def incident(request, incident_id: int):
    incident = selectors.incident_or_404(fetched_by=request.user, incident_id=incident_id)
    # Even the whole incident names only the people this user may see.
    parts = list(incident.people.all())
    visible = set(
        access.people_visible_to(request.user)
        .filter(pk__in=[p.person_id for p in parts])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "risk/incident.html",
        {
            "incident": incident,
            "parts": [p for p in parts if p.person_id in visible],
            "unseen": sum(p.person_id not in visible for p in parts),
            "visible_ids": visible,
            "can_sign_off": incident.service_id in access.managed_service_ids(request.user)
            and incident.signed_off_at is None,
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def incident_sign_off(request, incident_id: int):
    incident = selectors.incident_or_404(fetched_by=request.user, incident_id=incident_id)
    form = forms.SignOffForm(
        request.POST or None,
        staff=people_selectors.possible_co_workers(incident.organisation_id),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.incident_sign_off(
                actor=request.user,
                incident=incident,
                manager_review=d["manager_review"],
                actions=form.actions(),
            ),
        )
    ):
        messages.success(request, "Signed off the incident.")
        return redirect("risk:incident", incident_id=incident.pk)
    return render(request, "risk/incident_sign_off.html", {"form": form, "incident": incident})


@casework
def incident_part(request, part_id: int):
    """One person's part in an incident, as their record shows it: nothing about anyone
    else involved."""
    part = selectors.incident_part_or_404(fetched_by=request.user, part_id=part_id)
    can_see_whole = (
        selectors.incidents_visible_to(request.user).filter(pk=part.incident_id).exists()
    )
    return render(
        request,
        "risk/incident_part.html",
        {"part": part, "can_see_whole": can_see_whole, **person_header(part.person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def incident_part_edit(request, part_id: int):
    part = selectors.incident_part_or_404(fetched_by=request.user, part_id=part_id)
    # Written by those who know the whole incident: its reporter, staff in it, managers.
    access.get_visible_or_404(selectors.incidents_visible_to(request.user), pk=part.incident_id)
    form = forms.TheirPartForm(request.POST or None, initial={"their_part": part.their_part})
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.incident_part_set(
                actor=request.user, part=part, their_part=d["their_part"]
            ),
        )
    ):
        messages.success(request, f"Saved {part.person.display_name}'s part in the incident.")
        return redirect("risk:incident", incident_id=part.incident_id)
    return render(
        request,
        "people/part_form.html",
        {
            "form": form,
            "title": f"Their part in the incident: {part.incident}",
            **person_header(part.person),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def safeguarding_new(request, person_id: int):
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    form = forms.SafeguardingForm(
        request.POST or None,
        initial={"referred_on": timezone.localdate()},
        services=access.services_for_casework(request.user)
        .filter(episodes__person=person)
        .distinct(),
        incidents=Incident.objects.filter(people__person=person),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.safeguarding_refer(actor=request.user, person=person, **d),
        )
    ):
        messages.success(request, "Recorded the safeguarding referral.")
        return redirect("risk:risk", person_id=person.pk)
    return render(
        request,
        "people/part_form.html",
        {"form": form, "title": "Record a safeguarding referral", **person_header(person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def safeguarding(request, referral_id: int):
    referral = selectors.safeguarding_or_404(fetched_by=request.user, referral_id=referral_id)
    form = forms.SafeguardingOutcomeForm(
        request.POST or None,
        initial={"outcome": referral.outcome or None, "outcome_on": referral.outcome_on},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.safeguarding_outcome(actor=request.user, referral=referral, **d),
        )
    ):
        messages.success(request, "Saved the outcome of the referral.")
        return redirect("risk:risk", person_id=referral.person_id)
    return render(
        request,
        "risk/safeguarding.html",
        {"form": form, "referral": referral, **person_header(referral.person)},
    )
