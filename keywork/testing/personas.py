"""The named people every access test uses. One organisation ("Harbour") with two teams
in two services, and a second organisation ("Elsewhere") that must never be reachable.

The complex caseworker sits in the other team and joins, as a co-worker, only the cases
they are allocated to (in any team); the other lead manager runs the other team's
service."""

from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.accounts.models import Role, User
from keywork.organisations.models import Organisation, Service, Team
from keywork.testing.factories import (
    AreaFactory,
    OrganisationFactory,
    ServiceFactory,
    TeamFactory,
    staff,
)

PERSONA_NAMES = (
    "worker",
    "colleague",
    "support_assistant",
    "other_team_worker",
    "complex_caseworker",
    "other_org_worker",
    "senior",
    "lead_manager",
    "other_lead_manager",
    "admin",
    "commissioner",
    "anonymous",
)


@dataclass
class World:
    organisation: Organisation
    other_organisation: Organisation
    service: Service
    other_service: Service
    other_org_service: Service
    team: Team
    other_team: Team
    other_org_team: Team
    worker: User
    colleague: User
    other_team_worker: User
    other_org_worker: User
    senior: User
    lead_manager: User
    admin: User
    commissioner: User
    other_org_admin: User
    support_assistant: User
    complex_caseworker: User
    other_lead_manager: User

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def build_world() -> World:
    org = OrganisationFactory(name="Harbour Housing")
    other_org = OrganisationFactory(name="Elsewhere Trust")
    area = AreaFactory(organisation=org, name="Bristol")
    service = ServiceFactory(organisation=org, area=area, name="Harbour House")
    other_service = ServiceFactory(
        organisation=org, area=area, name="Harbour Floating", type="floating"
    )
    other_org_service = ServiceFactory(organisation=other_org, name="Elsewhere Hostel")
    team = TeamFactory(organisation=org, name="House team", services=[service])
    other_team = TeamFactory(organisation=org, name="Floating team", services=[other_service])
    other_org_team = TeamFactory(
        organisation=other_org, name="Elsewhere team", services=[other_org_service]
    )
    return World(
        organisation=org,
        other_organisation=other_org,
        service=service,
        other_service=other_service,
        other_org_service=other_org_service,
        team=team,
        other_team=other_team,
        other_org_team=other_org_team,
        worker=staff(role=Role.SUPPORT_WORKER, team=team, full_name="Wendy Worker"),
        colleague=staff(role=Role.SUPPORT_WORKER, team=team, full_name="Colin Colleague"),
        other_team_worker=staff(
            role=Role.SUPPORT_WORKER, team=other_team, full_name="Olive Otherteam"
        ),
        other_org_worker=staff(
            role=Role.SUPPORT_WORKER, team=other_org_team, full_name="Oscar Outsider"
        ),
        senior=staff(role=Role.SENIOR_PRACTITIONER, team=team, full_name="Sally Senior"),
        lead_manager=staff(role=Role.LEAD_MANAGER, team=team, full_name="Laura Lead"),
        admin=staff(role=Role.ADMINISTRATOR, organisation=org, full_name="Adam Admin"),
        commissioner=staff(role=Role.COMMISSIONER, service=service, full_name="Cara Council"),
        other_org_admin=staff(
            role=Role.ADMINISTRATOR, organisation=other_org, full_name="Elsie Elsewhere"
        ),
        support_assistant=staff(role=Role.SUPPORT_ASSISTANT, team=team, full_name="Sian Assistant"),
        complex_caseworker=staff(
            role=Role.COMPLEX_CASEWORKER, team=other_team, full_name="Cerys Complex"
        ),
        other_lead_manager=staff(
            role=Role.LEAD_MANAGER, team=other_team, full_name="Leon Otherlead"
        ),
    )


def signed_in_client(user: User | None) -> Client:
    """A client signed in with password and two-factor, as after a real sign-in."""
    client = Client()
    if user is None:
        return client
    client.force_login(user, backend="keywork.accounts.backends.StaffBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
