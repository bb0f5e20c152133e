from django.urls import reverse

from keywork.accounts.models import Membership, Role
from keywork.audit.models import AuditEntry


def test_it_gives_a_member_of_staff_a_second_team(client_for, world):
    admin = client_for("admin")
    url = reverse("administration:role_add", args=[world.worker.pk])
    response = admin.post(url, {"role": Role.SUPPORT_WORKER, "team": world.other_team.pk})
    assert response["Location"] == reverse("administration:staff_detail", args=[world.worker.pk])
    assert set(world.worker.memberships.values_list("team__name", flat=True)) == {
        "House team",
        "Floating team",
    }
    membership = world.worker.memberships.get(team=world.other_team)
    assert AuditEntry.objects.get_for_object(membership).get().actor == world.admin
    # Now a colleague in the second team sees them on their home page.
    assert "Wendy Worker" in client_for("other_team_worker").get("/").content.decode()


def test_it_refuses_a_role_without_its_place_or_twice(client_for, world):
    admin = client_for("admin")
    url = reverse("administration:role_add", args=[world.worker.pk])
    cases = [
        ({"role": Role.SENIOR_PRACTITIONER}, "Choose the team this person will work in"),
        ({"role": Role.COMMISSIONER}, "Choose the service this commissioner funds"),
        ({"role": Role.SUPPORT_WORKER, "team": world.team.pk}, "already has this role"),
        ({"role": Role.SUPPORT_WORKER, "team": world.other_org_team.pk}, "Select a valid choice"),
    ]
    for data, message in cases:
        response = admin.post(url, data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert world.worker.memberships.count() == 1


def test_it_removes_a_role(client_for, world):
    membership = world.senior.memberships.get()
    client_for("admin").post(
        reverse("administration:role_remove", args=[world.senior.pk, membership.pk])
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # Without the role, the staff list is gone for them.
    assert client_for("senior").get(reverse("administration:staff_list")).status_code == 404


def test_it_keeps_an_administrator_from_removing_their_own_administrator_role(client_for, world):
    membership = world.admin.memberships.get()
    response = client_for("admin").post(
        reverse("administration:role_remove", args=[world.admin.pk, membership.pk]), follow=True
    )
    assert "You cannot remove your own administrator role" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_refuses_an_administrator_a_casework_role_for_themself(client_for, world):
    import pytest
    from django.core.exceptions import ValidationError

    from keywork.administration import services

    admin = client_for("admin")
    url = reverse("administration:role_add", args=[world.admin.pk])
    for role in (Role.SUPPORT_WORKER, Role.COMPLEX_CASEWORKER, Role.LEAD_MANAGER):
        response = admin.post(url, {"role": role, "team": world.team.pk})
        assert response.status_code == 200, role
        assert response.context["form"].errors["role"] == [
            "You cannot give yourself a casework role: ask another administrator"
        ], role
    assert list(world.admin.memberships.values_list("role", flat=True)) == [Role.ADMINISTRATOR]

    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            actor=world.admin, user=world.admin, role=Role.SUPPORT_WORKER, team=world.team
        )
    assert "role" in refused.value.error_dict


def test_it_tells_the_other_administrators_of_a_new_casework_role(client_for, world):
    from keywork.accounts.models import User
    from keywork.core.models import Notification
    from keywork.testing.factories import staff

    second_admin = staff(
        role=Role.ADMINISTRATOR, organisation=world.organisation, full_name="Bea Second"
    )
    client_for("admin").post(
        reverse("administration:role_add", args=[world.worker.pk]),
        {"role": Role.COMPLEX_CASEWORKER, "team": world.other_team.pk},
    )
    told = Notification.objects.get()
    assert told.user == second_admin
    assert "Adam Admin gave Wendy Worker the role Complex caseworker, Floating team" in told.text
    assert told.url == reverse("administration:staff_detail", args=[world.worker.pk])
    assert not Notification.objects.filter(
        user__in=User.objects.filter(pk__in=[world.admin.pk, world.other_org_admin.pk])
    ).exists()

    # The second administrator may give the first one a casework role; the first is told.
    response = client_for(second_admin).post(
        reverse("administration:role_add", args=[world.admin.pk]),
        {"role": Role.SUPPORT_WORKER, "team": world.team.pk},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(user=world.admin, text__contains="Bea Second gave").exists()


def test_it_tells_the_other_administrators_when_an_invitation_gives_a_casework_role(world):
    from keywork.accounts.services import invitation_accept
    from keywork.administration import services
    from keywork.core.models import Notification
    from keywork.testing.factories import staff

    second_admin = staff(
        role=Role.ADMINISTRATOR, organisation=world.organisation, full_name="Bea Second"
    )
    _invitation, token = services.invitation_create(
        actor=world.admin,
        email="adam.personal@keywork.test",
        full_name="Adam Again",
        role=Role.SUPPORT_WORKER,
        team=world.team,
    )
    invitation_accept(token=token, password="lantern-orchard-river-42")
    told = Notification.objects.get()
    assert told.user == second_admin
    assert told.text == (
        "Adam Again accepted Adam Admin's invitation and has the role Support worker, House team."
    )
