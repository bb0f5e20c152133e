"""A session corrected after it was written (date, kind, title, what was decided and
notes), saved only over the version the form was opened on, and someone added in error
taken off who took part, with the row and its history kept."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.core.saving import ChangedSinceOpened
from keywork.involvement import selectors, services
from keywork.involvement.models import InvolvementSession, Participation
from keywork.testing.factories import supported_person

DAY = timedelta(days=1)


def _meeting(world, days_ago=3):
    return services.session_record(
        actor=world.support_assistant,
        service=world.service,
        kind="residents_meeting",
        title="House meeting",
        held_on=timezone.localdate() - days_ago * DAY,
        decided="A kitchen rota.",
    )


def _form(session, **changes):
    data = {
        "kind": session.kind,
        "title": session.title,
        "held_on": session.held_on.strftime("%d/%m/%Y"),
        "decided": session.decided,
        "notes": session.notes,
        "version": session.version,
    }
    data.update(changes)
    return data


def test_it_saves_a_corrected_session_and_audits_who_changed_what(world, client_for):
    meeting = _meeting(world)
    client = client_for("worker")
    url = reverse("involvement:session_edit", args=[meeting.pk])
    opened = client.get(url).content.decode()
    assert 'value="House meeting"' in opened and "A kitchen rota." in opened
    yesterday = timezone.localdate() - DAY
    answer = client.post(
        url,
        _form(
            meeting,
            kind="feedback_group",
            title="Tenants' feedback group",
            held_on=yesterday.strftime("%d/%m/%Y"),
            decided="A rota, and a second kettle.",
            notes="Quiet start; busier after tea.",
        ),
    )
    assert answer.status_code == 302, answer.content.decode()
    assert answer["Location"] == reverse("involvement:session", args=[meeting.pk])
    saved = InvolvementSession.objects.get()
    assert (saved.kind, saved.title, saved.held_on, saved.version) == (
        "feedback_group",
        "Tenants' feedback group",
        yesterday,
        2,
    )
    page = client.get(answer["Location"]).content.decode()
    assert "Quiet start; busier after tea." in page and "Feedback group" in page
    change = AuditEntry.objects.get_for_object(saved).get(action=AuditEntry.Action.UPDATE)
    assert change.actor == world.worker
    assert change.changes_dict["title"] == ["House meeting", "Tenants' feedback group"]
    assert change.changes_dict["notes"] == ["", "Quiet start; busier after tea."]


def test_it_refuses_a_save_over_someone_elses_and_keeps_both(world, client_for):
    meeting = _meeting(world)
    opened = _form(meeting, title="My title")
    # A colleague saves first, over version 1.
    services.session_update(
        actor=world.colleague,
        session=meeting,
        version=1,
        kind=meeting.kind,
        title="Their title",
        held_on=meeting.held_on,
        decided="Their decision.",
    )
    url = reverse("involvement:session_edit", args=[meeting.pk])
    page = client_for("worker").post(url, opened).content.decode()
    assert "Someone else changed this session after you opened it" in page
    assert 'value="My title"' in page  # what they typed is kept
    assert "The session as it is now" in page and "Their decision." in page
    assert InvolvementSession.objects.get().title == "Their title"
    # The form now carries the version saved, so saving again goes through on purpose.
    assert 'name="version" value="2"' in page
    assert (
        client_for("worker").post(url, _form(meeting, title="My title", version=2)).status_code
        == 302
    )
    assert InvolvementSession.objects.get().title == "My title"


def test_it_says_each_mistake_on_its_field_and_saves_nothing(world, client_for):
    meeting = _meeting(world)
    url = reverse("involvement:session_edit", args=[meeting.pk])
    client = client_for("worker")
    page = client.post(
        url, _form(meeting, title="", held_on="31/02/2026", kind="")
    ).content.decode()
    assert "Enter the title" in page
    assert "Choose what kind of involvement it was" in page
    assert 'id="id_held_on-error"' in page
    tomorrow = (timezone.localdate() + DAY).strftime("%d/%m/%Y")
    page = client.post(url, _form(meeting, held_on=tomorrow)).content.decode()
    assert "Record a session once it has been held." in page and 'id="id_held_on-error"' in page
    page = client.post(url, {k: v for k, v in _form(meeting).items() if k != "version"})
    assert "The page was missing a part: open the session again." in page.content.decode()
    assert InvolvementSession.objects.get().version == 1
    assert not AuditEntry.objects.get_for_object(meeting).filter(action=AuditEntry.Action.UPDATE)


def test_it_refuses_a_date_that_no_longer_fits_who_took_part_or_the_actions(world, client_for):
    meeting = _meeting(world, days_ago=3)
    newcomer = supported_person(world, "Nina", "Newcomer", started=timezone.localdate() - 3 * DAY)
    services.participant_add(
        actor=world.worker, session=meeting, person=newcomer.person, role="took_part"
    )
    services.involvement_action_add(
        actor=world.worker,
        session=meeting,
        what="Buy a kettle",
        owner=world.worker,
        due_on=timezone.localdate() - 2 * DAY,
    )
    url = reverse("involvement:session_edit", args=[meeting.pk])
    client = client_for("worker")
    earlier = (timezone.localdate() - 5 * DAY).strftime("%d/%m/%Y")
    page = client.post(url, _form(meeting, held_on=earlier)).content.decode()
    assert "Nina Newcomer was not supported by Harbour House on that day" in page
    later = timezone.localdate() - DAY
    page = client.post(url, _form(meeting, held_on=later.strftime("%d/%m/%Y"))).content.decode()
    assert "The action &#x27;Buy a kettle&#x27; was due on" in page
    assert InvolvementSession.objects.get().held_on == meeting.held_on


def test_it_does_not_name_someone_the_editor_may_not_see(world):
    """A worker sees someone only for a while after their support ends; the service's
    lead manager sees everyone it supported. The rule on the date holds for both, but
    only the one who may see the person is told their name."""
    from keywork.people.models import Episode, Referral

    today = timezone.localdate()
    meeting = _meeting(world, days_ago=200)
    gone = supported_person(world, "Long", "Gone", started=today - 300 * DAY)
    services.participant_add(
        actor=world.worker, session=meeting, person=gone.person, role="took_part"
    )
    Episode.objects.filter(pk=gone.pk).update(
        end_date=today - 150 * DAY, end_reason="planned", destination="social_tenancy"
    )
    Referral.objects.filter(pk=gone.referral_id).update(decided_on=today - 300 * DAY)
    fields = {"kind": meeting.kind, "title": meeting.title, "held_on": today - 100 * DAY}
    with pytest.raises(ValidationError) as refused:
        services.session_update(actor=world.worker, session=meeting, version=1, **fields)
    assert refused.value.message_dict["held_on"] == [
        "Not everyone who took part was supported by Harbour House on that day."
    ]
    with pytest.raises(ValidationError) as refused:
        services.session_update(actor=world.lead_manager, session=meeting, version=1, **fields)
    assert "Long Gone was not supported" in refused.value.message_dict["held_on"][0]
    # Within their support, the date moves for either.
    fields["held_on"] = today - 190 * DAY
    services.session_update(actor=world.worker, session=meeting, version=1, **fields)
    assert InvolvementSession.objects.get().held_on == today - 190 * DAY


def test_it_takes_off_someone_added_in_error_keeping_the_row_and_its_history(world, client_for):
    meeting = _meeting(world)
    ann = supported_person(world, "Ann", "Error", started=timezone.localdate() - 30 * DAY)
    part = services.participant_add(
        actor=world.worker, session=meeting, person=ann.person, role="took_part"
    )
    client = client_for("support_assistant")
    url = reverse("involvement:participant_remove", args=[part.pk])
    asked = client.get(url).content.decode()
    assert "Take Ann Error off who took part?" in asked
    assert Participation.objects.get().removed_at is None  # asking changes nothing
    answer = client.post(url)
    assert answer["Location"] == reverse("involvement:session", args=[meeting.pk])
    kept = Participation.objects.get()
    assert kept.removed_by == world.support_assistant and kept.removed_at is not None
    change = AuditEntry.objects.get_for_object(kept).get(action=AuditEntry.Action.UPDATE)
    assert change.actor == world.support_assistant and "removed_at" in change.changes_dict
    page = client.get(answer["Location"]).content.decode()
    assert "Ann Error" not in page.split("Who took part")[1].split("Actions")[0]
    timeline = client.get(reverse("timeline:timeline", args=[ann.person.pk])).content.decode()
    assert "House meeting" not in timeline
    assert selectors.figures(world.service)[0].people == 0
    # Taken off already: a second go says so, and a stale link answers 404.
    assert client.post(url).status_code == 404
    # Added again, the same row is back.
    services.participant_add(actor=world.worker, session=meeting, person=ann.person, role="chair")
    again = Participation.objects.get()
    assert again.pk == part.pk and again.removed_at is None and again.role == "chair"
    assert selectors.figures(world.service)[0].people == 1


def test_it_refuses_to_take_off_someone_twice(world):
    meeting = _meeting(world)
    ann = supported_person(world, "Ann", "Twice", started=timezone.localdate() - 30 * DAY)
    part = services.participant_add(
        actor=world.worker, session=meeting, person=ann.person, role="took_part"
    )
    services.participant_remove(actor=world.worker, participation=part)
    with pytest.raises(ValidationError, match="already taken off"):
        services.participant_remove(actor=world.colleague, participation=part)


def test_it_raises_changed_since_opened_from_the_service(world):
    meeting = _meeting(world)
    fields = {"kind": meeting.kind, "title": "x", "held_on": meeting.held_on}
    services.session_update(actor=world.worker, session=meeting, version=1, **fields)
    with pytest.raises(ChangedSinceOpened):
        services.session_update(actor=world.colleague, session=meeting, version=1, **fields)
