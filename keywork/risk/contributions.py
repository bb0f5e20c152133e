"""What risk assessments, incidents and safeguarding add to the shared places."""

from django.db.models import F
from django.urls import reverse

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, HomePanel, MenuItem
from keywork.core.timeline import Shown, Source, TimelineKind, shown_by_id
from keywork.people.contributions import RecordLink
from keywork.people.models import Person
from keywork.people.services import MergeMove
from keywork.risk.caseload import RISK_REVIEW_COLUMN
from keywork.risk.models import IncidentPerson, RiskAssessment, RiskVersion, SafeguardingReferral


def _risk_sources(fetched_by: User, person: Person) -> list[Source]:
    """Saves of the risk assessment, the person's part in incidents (nothing of anyone
    else in them), and safeguarding referrals."""
    versions = RiskVersion.objects.filter(assessment__person=person)
    parts = IncidentPerson.objects.filter(person=person)
    referrals = SafeguardingReferral.objects.filter(person=person)

    def show_version(v: RiskVersion) -> Shown:
        return (
            f"Risk assessment version {v.number}: {v.get_overall_display().lower()} overall",
            f"By {v.saved_by.full_name}",
            reverse("risk:risk_version", args=[person.pk, v.number]),
        )

    def show_part(p: IncidentPerson) -> Shown:
        return (
            f"Incident: {p.incident.get_type_display()}",
            f"{p.incident.get_severity_display()} · "
            + ("signed off" if p.incident.signed_off_at else "waiting for a manager"),
            reverse("risk:incident_part", args=[p.pk]),
        )

    def show_referral(r: SafeguardingReferral) -> Shown:
        return (
            f"Safeguarding referral to {r.referred_to}",
            r.get_outcome_display(),
            reverse("risk:safeguarding", args=[r.pk]),
        )

    return [
        Source(
            "risk",
            versions,
            F("saved_at"),
            lambda ids: shown_by_id(
                versions.filter(pk__in=ids).select_related("saved_by").defer("snapshot"),
                show_version,
            ),
        ),
        Source(
            "risk",
            parts,
            F("incident__occurred_at"),
            lambda ids: shown_by_id(parts.filter(pk__in=ids).select_related("incident"), show_part),
        ),
        Source(
            "risk",
            referrals,
            F("created_at"),
            lambda ids: shown_by_id(referrals.filter(pk__in=ids), show_referral),
        ),
    ]


def _to_sign_off(user: User) -> dict | None:
    """Incidents in the services a manager manages, waiting for their review."""
    from keywork.risk.selectors import incidents_visible_to

    managed = access.managed_service_ids(user)
    if not managed:
        return None
    waiting = incidents_visible_to(user).filter(service_id__in=managed, signed_off_at=None)
    count = waiting.count()
    return {"count": count} if count else None


CONTRIBUTIONS = Contributions(
    home_panels=[HomePanel("risk/_home_sign_off.html", _to_sign_off, place=15)],
    menu=[MenuItem("Incidents", "risk:incidents", access.Capability.CASEWORK, place=60)],
    timeline=[TimelineKind("risk", "Risk and safety", _risk_sources, place=80)],
    caseload_columns=[RISK_REVIEW_COLUMN],
    person_links=[RecordLink("Risk and safety", "risk:risk", place=30)],
    merge_moves=[
        MergeMove(RiskAssessment),
        MergeMove(IncidentPerson, ("incident",)),
        MergeMove(SafeguardingReferral),
    ],
)
