from django.urls import reverse

from keywork.accounts.models import Membership, Role
from keywork.audit.models import AuditEntry


def test_it_gives_a_member_of_staff_a_second_team(client_for, world):
    admin = client_for("admin")
    url = reverse("accounts:role_add", args=[world.worker.pk])
    response = admin.post(url, {"role": Role.SUPPORT_WORKER, "team": world.other_team.pk})
    assert response["Location"] == reverse("accounts:staff_detail", args=[world.worker.pk])
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
    url = reverse("accounts:role_add", args=[world.worker.pk])
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
    client_for("admin").post(reverse("accounts:role_remove", args=[world.senior.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # Without the role, the staff list is gone for them.
    assert client_for("senior").get(reverse("accounts:staff_list")).status_code == 404


def test_it_keeps_an_administrator_from_removing_their_own_administrator_role(client_for, world):
    membership = world.admin.memberships.get()
    response = client_for("admin").post(
        reverse("accounts:role_remove", args=[world.admin.pk, membership.pk]), follow=True
    )
    assert "You cannot remove your own administrator role" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
