"""Reading a session's page is a read of the people it names: its audit lists who took
part as shown to the reader, and only them (not those taken off, not those the reader
may not see), and a page refused writes nothing."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.involvement import services
from keywork.people.models import Episode, Referral
from keywork.testing.factories import supported_person

DAY = timedelta(days=1)


def _reads(actor):
    return AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, actor=actor)


def test_it_audits_the_people_a_session_page_names(world, client_for):
    today = timezone.localdate()
    meeting = services.session_record(
        actor=world.worker,
        service=world.service,
        kind="residents_meeting",
        title="House meeting",
        held_on=today - 200 * DAY,
    )
    people = [
        supported_person(world, name, "Read", started=today - 300 * DAY)
        for name in ("Ann", "Bob", "Cal", "Dee")
    ]
    ann, bob, cal, dee = (
        services.participant_add(
            actor=world.worker, session=meeting, person=e.person, role="took_part"
        )
        for e in people
    )
    services.participant_remove(actor=world.worker, participation=cal)
    # Dee's support ended long ago: the colleague no longer sees her, the lead manager does.
    Episode.objects.filter(pk=people[3].pk).update(
        end_date=today - 150 * DAY, end_reason="planned", destination="social_tenancy"
    )
    Referral.objects.filter(pk=people[3].referral_id).update(decided_on=today - 300 * DAY)
    url = reverse("involvement:session", args=[meeting.pk])

    page = client_for("colleague").get(url).content.decode()
    assert "Ann Read" in page and "Bob Read" in page
    assert "Cal Read" not in page and "Dee Read" not in page
    shown = {e.content_type.model: e.additional_data["shown"] for e in _reads(world.colleague)}
    assert shown == {
        "participation": {"involvement.participation": [ann.pk, bob.pk]},
        "person": {"people.person": [ann.person_id, bob.person_id]},
    }

    client_for("lead_manager").get(url)
    shown = {e.content_type.model: e.additional_data["shown"] for e in _reads(world.lead_manager)}
    assert shown["person"] == {"people.person": [ann.person_id, bob.person_id, dee.person_id]}


def test_it_writes_no_read_for_a_session_page_refused(world, client_for):
    meeting = services.session_record(
        actor=world.worker,
        service=world.service,
        kind="residents_meeting",
        title="House meeting",
        held_on=timezone.localdate() - DAY,
    )
    episode = supported_person(world, "Ann", "Read", started=timezone.localdate() - 30 * DAY)
    services.participant_add(
        actor=world.worker, session=meeting, person=episode.person, role="took_part"
    )
    url = reverse("involvement:session", args=[meeting.pk])
    assert client_for("other_team_worker").get(url).status_code == 404
    assert not _reads(world.other_team_worker).exists()
