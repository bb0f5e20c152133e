import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import Invitation, Membership, Role, User
from keywork.audit.models import AuditEntry

INVITE = reverse("administration:staff_invite")
GOOD_PASSWORD = "lantern-orchard-river-42"


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Posts the invitation form; the email is sent when the transaction commits."""

    def post(client, world, **overrides):
        data = {
            "full_name": "Nadia New",
            "email": "Nadia.New@keywork.test",
            "role": Role.SUPPORT_WORKER,
            "team": world.team.pk,
            "service": "",
        } | overrides
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(INVITE, data)

    return post


def link_from_email() -> str:
    return re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_it_invites_staff_by_email_and_the_link_makes_an_account(client_for, world, invite):
    admin = client_for("admin")
    response = invite(admin, world)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nadia.new@keywork.test"]
    invitation = Invitation.objects.get(email="nadia.new@keywork.test")
    # Only a hash of the token is stored.
    assert path_of(link_from_email()).split("/")[2] not in invitation.token_hash

    page = admin.get(reverse("administration:staff_list"))
    assert "Nadia New" in page.content.decode()

    invitee = client_for(None)
    path = path_of(link_from_email())
    assert "Nadia New" in invitee.get(path).content.decode()
    response = invitee.post(
        path, {"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:sign_in")

    user = User.objects.get(email="nadia.new@keywork.test")
    assert user.organisation == world.organisation
    assert user.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(user=user).team == world.team
    created = AuditEntry.objects.get_for_object(user).get(action=AuditEntry.Action.CREATE)
    assert created.organisation == world.organisation
    assert created.actor == world.admin


def test_it_uses_a_link_once(client_for, world, invite):
    invite(client_for("admin"), world)
    path = path_of(link_from_email())
    client = client_for(None)
    client.post(path, {"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD})
    again = client.get(path)
    assert again.status_code == 404
    assert "This invitation link does not work" in again.content.decode()
    assert (
        client.post(
            path, {"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD}
        ).status_code
        == 404
    )
    assert User.objects.filter(email="nadia.new@keywork.test").count() == 1


def test_it_refuses_a_tampered_link(client_for, world, invite):
    invite(client_for("admin"), world)
    path = path_of(link_from_email())
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = client_for(None).get(tampered)
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_it_refuses_an_expired_link(client_for, world, invite):
    invite(client_for("admin"), world)
    path = path_of(link_from_email())
    with time_machine.travel(timezone.now() + timezone.timedelta(days=7, minutes=1)):
        response = client_for(None).post(
            path, {"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD}
        )
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert not User.objects.filter(email="nadia.new@keywork.test").exists()


def test_it_refuses_short_common_or_mismatched_passwords(client_for, world, invite):
    invite(client_for("admin"), world)
    path = path_of(link_from_email())
    client = client_for(None)
    cases = {
        "short-pw": "This password is too short",
        "password1234": "This password is too common",
    }
    for password, message in cases.items():
        response = client.post(path, {"new_password": password, "confirm_password": password})
        assert response.status_code == 200
        assert message in response.content.decode()
    response = client.post(
        path, {"new_password": GOOD_PASSWORD, "confirm_password": "different-words-here"}
    )
    assert "The two passwords are not the same" in response.content.decode()
    assert not User.objects.filter(email="nadia.new@keywork.test").exists()


def test_it_checks_the_invitation_form(client_for, world, invite):
    admin = client_for("admin")
    cases = [
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"full_name": ""}, "Enter the person&#x27;s full name"),
        ({"team": ""}, "Choose the team this person will work in"),
        ({"team": world.other_org_team.pk}, "Select a valid choice"),
        ({"role": Role.COMMISSIONER, "team": ""}, "Choose the service this commissioner funds"),
        ({"email": world.worker.email.upper()}, "Someone already has an account"),
        ({"role": "superuser"}, "Select a valid choice"),
    ]
    for overrides, message in cases:
        response = invite(admin, world, **overrides)
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), overrides
        assert "There is a problem" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_lets_only_administrators_invite(client_for, world, invite):
    for persona in ("worker", "senior", "lead_manager", "commissioner"):
        assert invite(client_for(persona), world).status_code == 404
    assert not Invitation.objects.exists()


def test_it_withdraws_an_invitation(client_for, world, invite):
    admin = client_for("admin")
    invite(admin, world)
    invitation = Invitation.objects.get()
    path = path_of(link_from_email())
    admin.post(reverse("administration:invitation_revoke", args=[invitation.pk]))
    assert client_for(None).get(path).status_code == 404
    # Another organisation's administrator cannot even see it.
    other = client_for(world.other_org_admin)
    assert (
        other.post(reverse("administration:invitation_revoke", args=[invitation.pk])).status_code
        == 404
    )


def test_it_answers_an_address_in_use_in_another_organisation_as_a_fresh_one(
    client_for, world, invite
):
    admin = client_for("admin")

    def answer(email):
        response = invite(admin, world, email=email)
        page = admin.get(response["Location"])
        shown = [str(m).replace(email.lower(), "EMAIL") for m in page.context["messages"]]
        return response.status_code, response["Location"], shown

    taken = world.other_org_worker.email
    assert answer("fresh.person@keywork.test") == answer(taken.upper())
    assert {m.to[0] for m in mail.outbox} == {"fresh.person@keywork.test", taken}
    listed = admin.get(reverse("administration:staff_list")).content.decode()
    assert "fresh.person@keywork.test" in listed and taken in listed

    # The owner of the address learns at the link why it cannot be used, and no second
    # account is made.
    path = path_of(link_from_email())
    invitee = client_for(None)
    page = invitee.get(path)
    assert page.status_code == 409
    assert "This email address already has a Keywork account" in page.content.decode()
    response = invitee.post(
        path, {"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD}
    )
    assert response.status_code == 409
    assert User.objects.filter(email__iexact=taken).count() == 1
    assert User.objects.get(email__iexact=taken).organisation == world.other_organisation


def test_it_leaves_another_organisations_invitation_to_the_same_address_open(
    client_for, world, invite
):
    from keywork.administration import services

    theirs, _token = services.invitation_create(
        actor=world.other_org_admin,
        email="shared.person@keywork.test",
        full_name="Shared Person",
        role=Role.SUPPORT_WORKER,
        team=world.other_org_team,
    )
    invite(client_for("admin"), world, email="shared.person@keywork.test")
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_it_tells_whoever_hosts_keywork_that_a_first_administrator_has_an_account(world):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Someone already has an account"):
        call_command(
            "create_organisation",
            name="New Trust",
            admin_email=world.other_org_worker.email,
            admin_name="Oscar Outsider",
        )
