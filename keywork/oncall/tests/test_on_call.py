from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import ChangedSinceOpened
from keywork.oncall import selectors, services
from keywork.oncall.models import ContactNumber, FollowUp, Line, LogEntry
from keywork.oncall.tests.conftest import floating_rota, numbered, supported
from keywork.people import services as people

pytestmark = pytest.mark.django_db


def _log(world, shift, person, **more):
    fields = {
        "actor": world.worker,
        "shift": shift,
        "call_at": timezone.now() - timedelta(minutes=20),
        "caller": LogEntry.Caller.PERSON,
        "person": person,
        "what_happened": "Rang upset after an argument with a neighbour.",
        "advice": "Stay in the flat tonight.",
    }
    fields.update(more)
    return services.log_entry_write(**fields)


def test_it_lets_the_person_on_call_open_covered_records_only_during_the_shift(
    world, client_for, on_call
):
    rota, shift, fran = on_call
    people.alert_add(
        actor=world.other_team_worker, person=fran, text="Dog in the flat", level="warning"
    )
    client = client_for(world.worker)
    page = reverse("people:person", args=[fran.pk])
    answer = client.get(page)
    assert answer.status_code == 200
    # What the person on call needs first: the alerts, before the rest of the record.
    html = answer.content.decode()
    assert html.index("Dog in the flat") < html.index(">Support</h2>")
    row = AuditEntry.objects.filter(
        actor=world.worker, about_person_id=fran.pk, action=AuditEntry.Action.ACCESS
    ).latest("pk")
    assert row.reason == AuditEntry.Reason.ON_CALL
    entry = _log(world, shift, fran)

    # The shift ends: the reach goes, what they wrote stays theirs to read.
    with time_machine.travel(shift.ends_at + timedelta(minutes=1)):
        client = client_for(world.worker)  # signed in again, after the idle time-out
        assert client.get(page).status_code == 404
        answer = client.get(reverse("oncall:entry", args=[entry.pk]))
        assert answer.status_code == 200
        assert "argument with a neighbour" in answer.content.decode()
    # A colleague not on call never reached Fran.
    assert client_for(world.colleague).get(page).status_code == 404


def test_it_files_a_follow_up_with_the_key_worker_and_on_the_handover(world, client_for, on_call):
    rota, shift, fran = on_call
    entry = _log(
        world,
        shift,
        fran,
        escalated_to="Second on call",
        escalated_at=timezone.now() - timedelta(minutes=10),
        escalation_answer="Agreed: check on her in the morning.",
        follow_up="Visit Fran and see how things are with the neighbour",
        follow_up_due=timezone.localdate(),
    )
    follow_up = FollowUp.objects.get(entry=entry)
    assert follow_up.assigned_to == world.other_team_worker  # Fran's key worker

    tasks = client_for(world.other_team_worker).get(reverse("tasks:my_tasks")).content.decode()
    assert "Visit Fran and see how things are" in tasks

    # The night's call is on the morning's handover of Fran's service for its senior.
    morning = timezone.localdate() + timedelta(days=1)
    if timezone.localtime(entry.call_at).time() < selectors.HANDOVER_AT:
        morning = timezone.localdate()
    url = reverse("oncall:handover", args=[world.other_service.pk]) + f"?from={morning}"
    page = client_for(world.other_lead_manager).get(url).content.decode()
    assert "argument with a neighbour" in page
    assert "Visit Fran" in page
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        page = client_for(world.other_lead_manager).get(url).content.decode()  # signed in anew
        assert "Overdue" in page


def test_it_puts_the_call_on_the_persons_timeline(world, client_for, on_call):
    rota, shift, fran = on_call
    _log(world, shift, fran)
    page = client_for(world.other_team_worker).get(reverse("timeline:timeline", args=[fran.pk]))
    assert "On-call contact" in page.content.decode()


def test_it_refuses_a_call_in_the_future_before_the_shift_or_about_someone_not_covered(
    world, on_call
):
    rota, shift, fran = on_call
    own = supported(world, "Owen")  # the worker's own service, not covered by the rota
    with pytest.raises(ValidationError) as future:
        _log(world, shift, fran, call_at=timezone.now() + timedelta(minutes=5))
    assert "future" in str(future.value)
    with pytest.raises(ValidationError) as early:
        _log(world, shift, fran, call_at=shift.starts_at - timedelta(minutes=5))
    assert "during your shift" in str(early.value)
    with pytest.raises(ValidationError) as outside:
        _log(world, shift, own)
    assert "services this rota covers" in str(outside.value)
    with pytest.raises(ValidationError) as unknown:
        _log(world, shift, None, service=world.other_service, not_known="")
    assert "who the call was about" in str(unknown.value)
    assert not LogEntry.objects.exists()
    # Only the worker of the shift writes in it.
    with pytest.raises(NotFoundOrNotAllowed):
        _log(world, shift, fran, actor=world.colleague)


def test_it_refuses_shifts_that_cannot_be(world, on_call):
    rota, shift, fran = on_call
    start = timezone.now() + timedelta(days=3)

    def add(**more):
        rota.refresh_from_db()
        fields = {
            "actor": world.other_lead_manager,
            "rota": rota,
            "version": rota.version,
            "line": Line.FIRST,
            "worker": world.colleague,
            "starts_at": start,
            "ends_at": start + timedelta(hours=8),
        }
        fields.update(more)
        return services.shift_add(**fields)

    with pytest.raises(ValidationError, match="end after it starts"):
        add(ends_at=start - timedelta(hours=1))
    with pytest.raises(ValidationError, match="at most 24 hours"):
        add(ends_at=start + timedelta(hours=25))
    world.senior.is_active = False
    world.senior.save()
    with pytest.raises(ValidationError, match="has left"):
        add(worker=world.senior)
    with pytest.raises(ValidationError, match="no phone number"):
        add(worker=world.lead_manager)
    add()
    with pytest.raises(ValidationError, match="cannot overlap"):
        add(worker=world.other_team_worker, starts_at=start + timedelta(hours=2))
    # A second line may overlap the first.
    add(worker=world.other_team_worker, line=Line.SECOND)
    # The worker's own manager does not manage this rota.
    with pytest.raises(NotFoundOrNotAllowed):
        add(actor=world.lead_manager)


def test_it_keeps_two_managers_edits_apart(world, on_call):
    rota, shift, fran = on_call
    rota.refresh_from_db()
    opened = rota.version
    start = timezone.now() + timedelta(days=5)
    services.shift_add(
        actor=world.other_lead_manager,
        rota=rota,
        version=opened,
        line=Line.FIRST,
        worker=world.colleague,
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    with pytest.raises(ChangedSinceOpened):
        services.shift_add(
            actor=world.other_lead_manager,
            rota=rota,
            version=opened,
            line=Line.SECOND,
            worker=world.other_team_worker,
            starts_at=start,
            ends_at=start + timedelta(hours=8),
        )
    assert rota.shifts.count() == 2  # the one on now, and the first of the two saves


@time_machine.travel("2026-12-14 10:00", tick=False)
def test_it_shows_an_uncovered_night_red_and_runs_the_bank_holiday_pattern(world, client_for):
    numbered(world.worker, world.colleague, world.other_team_worker)
    rota = floating_rota(world)

    def pattern(worker, days, starts_at, ends_at):
        rota.refresh_from_db()
        services.pattern_add(
            actor=world.other_lead_manager,
            rota=rota,
            version=rota.version,
            line=Line.FIRST,
            worker=worker,
            days=days,
            starts_at=starts_at,
            ends_at=ends_at,
            first_date=date(2026, 12, 14),
            last_date=date(2027, 1, 15),
        )

    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    pattern(world.other_team_worker, weekdays, time(9, 0), time(17, 0))
    # Weekday nights, but no one on Wednesday nights.
    pattern(world.worker, ["mon", "tue", "thu", "fri"], time(17, 0), time(9, 0))
    # Weekends and bank holidays round the clock.
    pattern(world.colleague, ["sat", "sun", "bank_holiday"], time(9, 0), time(9, 0))

    # Christmas Day is a Friday: the bank holiday's pattern runs, not the weekday ones.
    christmas = list(rota.shifts.filter(starts_at__date=date(2026, 12, 25)))
    assert [(s.worker, s.ends_at - s.starts_at) for s in christmas] == [
        (world.colleague, timedelta(hours=24))
    ]
    page = selectors.rota_page(rota=rota)
    assert [(g.starts_at.day, g.ends_at.day) for g in page.gaps] == [
        (16, 17),
        (23, 24),
        (30, 31),
        (6, 7),
    ]
    html = client_for(world.other_team_worker).get(reverse("oncall:rota", args=[rota.pk]))
    html = html.content.decode()
    assert "Bank holiday: Christmas Day" in html
    assert "No one first on call from Wed 16 Dec 17:00 to Thu 17 Dec 09:00" in html


def test_it_shows_who_is_on_call_now_on_the_home_page_with_a_phone_link(world, client_for, on_call):
    page = client_for(world.other_team_worker).get(reverse("home:home")).content.decode()
    assert "Bristol out of hours" in page
    assert "Wendy Worker" in page
    assert 'href="tel:07700900123"' in page


def test_it_lets_the_senior_mark_the_handover_read(world, client_for, on_call):
    client = client_for(world.other_lead_manager)
    day = timezone.localdate()
    answer = client.post(
        reverse("oncall:handover_read", args=[world.other_service.pk]) + f"?from={day}"
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "Read</strong> by Leon Otherlead" in page
    # A worker who is not a manager of the service cannot.
    refused = client_for(world.other_team_worker).post(
        reverse("oncall:handover_read", args=[world.other_service.pk])
    )
    assert refused.status_code == 404


def test_it_keeps_what_an_entry_said_before_a_correction(world, client_for, on_call):
    rota, shift, fran = on_call
    entry = _log(world, shift, fran)
    services.log_entry_amend(
        actor=world.worker,
        entry=entry,
        reason="Wrong flat",
        what_happened="Rang upset after an argument with the flat above.",
        advice="",
        action_taken="",
    )
    page = client_for(world.worker).get(reverse("oncall:entry", args=[entry.pk])).content.decode()
    assert "the flat above" in page
    assert "argument with a neighbour" in page  # what it said before
    with pytest.raises(NotFoundOrNotAllowed):
        services.log_entry_amend(
            actor=world.colleague,
            entry=entry,
            reason="x",
            what_happened="y",
            advice="",
            action_taken="",
        )


def test_it_puts_the_workers_shifts_in_their_calendar_feed(world, client, on_call):
    from keywork.notes import appointments

    token = appointments.calendar_feed_issue(actor=world.worker)
    feed = client.get(reverse("notes:calendar_feed", args=[token])).content.decode()
    assert "First on call: Bristol out of hours" in feed


def test_it_starts_an_incident_report_from_a_serious_call(world, client_for, on_call):
    rota, shift, fran = on_call
    entry = _log(world, shift, fran, serious=True, police=True, action_taken="Rang the police.")
    # Fran's service's lead reports it; the form starts from what the call says.
    client = client_for(world.other_lead_manager)
    call = client.get(reverse("oncall:entry", args=[entry.pk])).content.decode()
    assert f"?from=call-{entry.pk}" in call
    form = client.get(reverse("risk:incident_new") + f"?from=call-{entry.pk}").content.decode()
    assert "Reported on call (The person supported): Rang upset after an argument" in form
    assert "Rang the police." in form
    assert f'value="{fran.pk}" checked' in form or f'value="{fran.pk}" selected' in form
    # Someone who may not read the call gets an empty form, and learns nothing of it.
    other = client_for(world.worker).get(
        reverse("risk:incident_new") + f"?from=call-{entry.pk + 1000}"
    )
    assert "Reported on call" not in other.content.decode()
    colleague = client_for(world.colleague).get(
        reverse("risk:incident_new") + f"?from=call-{entry.pk}"
    )
    assert "argument with a neighbour" not in colleague.content.decode()


def test_it_lets_a_manager_give_a_colleague_their_number_and_no_one_else(
    world, client_for, on_call
):
    url = reverse("oncall:number") + f"?user={world.senior.pk}"
    answer = client_for(world.lead_manager).post(url, {"number": "0117 496 0999"})
    assert answer.status_code == 302
    assert ContactNumber.objects.get(user=world.senior).number == "0117 496 0999"
    # A worker may set only their own; another organisation's staff are not found.
    assert client_for(world.colleague).get(url).status_code == 404
    elsewhere = reverse("oncall:number") + f"?user={world.other_org_worker.pk}"
    assert client_for(world.lead_manager).get(elsewhere).status_code == 404
    refused = client_for(world.lead_manager).post(url, {"number": "call me"})
    assert "Enter a phone number" in refused.content.decode()
