import subprocess
import tempfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from keywork.audit.models import AuditEntry
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import ChangedSinceOpened
from keywork.core.working_days import add_working_days
from keywork.feedback import selectors, services
from keywork.feedback.models import Complaint, Point, Remedy, Stage
from keywork.feedback.tests.conftest import days_ago


def _pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def _answer(world, complaint, number=1, *, by=None, on=None, version=None, **kw):
    complaint.refresh_from_db()
    defaults = {
        "decision": "We looked at the rota and spoke to both of you.",
        "still_to_do": "Colin will do conflict training by the end of the month.",
        "learning": "Kitchen rules to be put up.",
        "points": [services.PointAnswer("Shouting in the kitchen", "upheld")],
        "remedies": [services.RemedyGiven("apology", "A written apology")],
    }
    return services.stage_respond(
        actor=by or world.senior,
        complaint=complaint,
        number=number,
        responded_on=on or days_ago(30),
        version=version or complaint.version,
        **(defaults | kw),
    )


def _acknowledge(world, complaint, number=1, *, by=None, on=None):
    complaint.refresh_from_db()
    return services.stage_acknowledge(
        actor=by or world.senior,
        complaint=complaint,
        number=number,
        acknowledged_on=on or days_ago(38),
        version=complaint.version,
    )


def test_it_counts_a_stage_1_deadline_in_the_services_working_days(world, about_colleague):
    stage = about_colleague.stages.get()
    assert stage.number == 1
    assert stage.acknowledge_by == add_working_days(days_ago(40), 5, nation="ENG")
    _acknowledge(world, about_colleague, on=days_ago(39))
    stage.refresh_from_db()
    assert stage.answer_by == add_working_days(days_ago(39), 10, nation="ENG")


def test_it_never_shows_a_complaint_to_the_member_of_staff_it_is_about(
    world, client_for, about_colleague, person
):
    colin = client_for("colleague")
    url = reverse("feedback:complaint", args=[about_colleague.pk])
    assert colin.get(url).status_code == 404
    listing = colin.get(reverse("feedback:complaints")).content.decode()
    assert "Colin shouted" not in listing and f"Complaint {about_colleague.pk}" not in listing
    assert selectors.complaints_visible_to(world.colleague).count() == 0
    person_page = colin.get(reverse("people:person", args=[person.pk])).content.decode()
    assert f"Complaint {about_colleague.pk}" not in person_page
    # The managers read it; the worker who logged it reads it again.
    for who in ("senior", "lead_manager", "worker"):
        assert client_for(who).get(url).status_code == 200, who
    for who in ("other_team_worker", "other_lead_manager", "admin", "other_org_worker"):
        assert client_for(who).get(url).status_code == 404, who


def test_it_never_lets_the_member_of_staff_handle_it(world, about_colleague):
    with pytest.raises(NotFoundOrNotAllowed):
        services.stage_acknowledge(
            actor=world.colleague,
            complaint=about_colleague,
            number=1,
            acknowledged_on=days_ago(38),
            version=about_colleague.version,
        )


def test_it_refuses_a_senior_it_is_about_as_its_handler(world, person):
    with pytest.raises(ValidationError) as refused:
        services.complaint_log(
            actor=world.worker,
            service=world.service,
            who=Complaint.Who.PERSON,
            person=person,
            how=Complaint.How.PHONE,
            about=Complaint.About.STAFF,
            about_staff=world.senior,
            summary="s",
            wanted="w",
            received_on=days_ago(3),
            handler=world.senior,
        )
    assert "handler" in refused.value.message_dict
    assert not Complaint.objects.exists()


def test_it_takes_a_complaint_through_both_stages(world, client_for, about_colleague):
    _acknowledge(world, about_colleague)
    _answer(world, about_colleague)
    senior = client_for("senior")
    letter = senior.get(reverse("feedback:letter", args=[about_colleague.pk, 1]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(letter.content).split())
    for part in (
        "Stage 1",
        "Our decision and why",
        "We looked at the rota and spoke to both of you.",
        "Shouting in the kitchen Upheld",
        "An apology: A written apology",
        "What is still to be done",
        "Colin will do conflict training",
        "look at your complaint again at stage 2",
        "Housing Ombudsman",
        "within 12 months",
    ):
        assert part in text, part
    assert senior.get(
        reverse("feedback:letter", args=[about_colleague.pk, 1]) + "?print=large"
    ).content.startswith(b"%PDF")

    # The stage 1 handler cannot take stage 2; someone else can.
    about_colleague.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.complaint_escalate(
            actor=world.lead_manager,
            complaint=about_colleague,
            asked_on=days_ago(25),
            reason="Not satisfied",
            handler=world.senior,
            version=about_colleague.version,
        )
    assert "someone other than the stage 1 handler" in refused.value.message_dict["handler"][0]
    assert about_colleague.stages.count() == 1
    response = client_for("lead_manager").post(
        reverse("feedback:escalate", args=[about_colleague.pk]),
        {
            "asked_on": days_ago(25).strftime("%d/%m/%Y"),
            "reason": "The apology was not sincere.",
            "handler": world.lead_manager.pk,
            "version": about_colleague.version,
        },
    )
    assert response.status_code == 302
    second = about_colleague.stages.get(number=2)
    assert second.handler == world.lead_manager
    _acknowledge(world, about_colleague, 2, by=world.lead_manager, on=days_ago(24))
    _answer(
        world,
        about_colleague,
        2,
        by=world.lead_manager,
        on=days_ago(10),
        remedies=[services.RemedyGiven("payment", "For the distress", Decimal("50.00"))],
    )
    second.refresh_from_db()
    assert second.answered_in_time is True
    assert Remedy.objects.get(stage=second).amount == Decimal("50.00")
    assert AuditEntry.objects.get_for_object(second).exists()


def test_it_refuses_bad_input_on_the_field_with_nothing_saved(world, about_colleague):
    with pytest.raises(ValidationError) as refused:
        _answer(world, about_colleague)
    assert "responded_on" in refused.value.message_dict
    _acknowledge(world, about_colleague)
    cases = [
        ({"on": days_ago(39)}, "responded_on"),
        ({"decision": ""}, "decision"),
        ({"points": []}, "points"),
        ({"remedies": [services.RemedyGiven("payment", "for the distress")]}, "remedies"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as refused:
            _answer(world, about_colleague, **overrides)
        assert field in refused.value.message_dict, overrides
    assert not Point.objects.exists() and not Remedy.objects.exists()
    assert about_colleague.stages.get().responded_on is None

    about_colleague.refresh_from_db()
    for extended_to, reason, field in [
        (days_ago(-40), "", "reason"),
        (None, "Waiting for a witness", "extended_to"),
        (days_ago(30), "Waiting for a witness", "extended_to"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.stage_extend(
                actor=world.senior,
                complaint=about_colleague,
                number=1,
                extended_to=extended_to,
                reason=reason,
                version=about_colleague.version,
            )
        assert field in refused.value.message_dict
    assert about_colleague.stages.get().extended_to is None


def test_it_saves_only_over_the_version_opened(world, about_colleague):
    opened = about_colleague.version
    _acknowledge(world, about_colleague)
    with pytest.raises(ChangedSinceOpened):
        services.stage_extend(
            actor=world.senior,
            complaint=about_colleague,
            number=1,
            extended_to=days_ago(-60),
            reason="Waiting for a witness",
            version=opened,
        )
    assert about_colleague.stages.get().extended_to is None


def test_it_refuses_stage_2_before_stage_1_is_answered(world, about_colleague):
    with pytest.raises(ValidationError):
        services.complaint_escalate(
            actor=world.lead_manager,
            complaint=about_colleague,
            asked_on=days_ago(1),
            reason="r",
            handler=world.lead_manager,
            version=about_colleague.version,
        )
    assert not Stage.objects.filter(number=2).exists()


def test_it_goes_straight_to_stage_2_only_with_the_reason(world, person):
    complaint = services.complaint_log(
        actor=world.senior,
        service=world.service,
        who=Complaint.Who.FAMILY_OR_ADVOCATE,
        person=person,
        complainant_name="Ana Resident",
        consent_recorded_on=days_ago(5),
        how=Complaint.How.EMAIL,
        about=Complaint.About.DECISION,
        summary="The eviction notice was wrong.",
        wanted="Withdraw it.",
        received_on=days_ago(4),
        handler=world.lead_manager,
        straight_to_stage_2_reason="Agreed with the complainant: stage 1 would add nothing.",
    )
    assert [s.number for s in complaint.stages.all()] == [2]


def test_it_asks_for_consent_when_family_complain(world, client_for, person):
    response = client_for("worker").post(
        reverse("feedback:complaint_new") + f"?person={person.pk}",
        {
            "service": world.service.pk,
            "who": "family",
            "complainant_name": "Ana Resident",
            "how": "phone",
            "about": "service",
            "summary": "s",
            "wanted": "w",
            "received_on": days_ago(1).strftime("%d/%m/%Y"),
            "handler": world.senior.pk,
        },
    )
    assert response.status_code == 200
    assert "consent" in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_logs_a_complaint_from_the_page(world, client_for, person):
    response = client_for("worker").post(
        reverse("feedback:complaint_new") + f"?person={person.pk}",
        {
            "service": world.service.pk,
            "who": "person",
            "how": "phone",
            "about": "building",
            "summary": "The lift has been broken for a month.",
            "wanted": "Fix the lift.",
            "received_on": days_ago(1).strftime("%d/%m/%Y"),
            "handler": world.senior.pk,
        },
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("feedback:complaint", args=[complaint.pk])
    assert complaint.person == person and complaint.logged_by == world.worker


def test_it_shows_overdue_and_due_soon_stages_on_the_managers_home_page(
    world, client_for, about_colleague
):
    home = client_for("senior").get(reverse("home:home")).content.decode()
    assert "Overdue" in home and f"Complaint {about_colleague.pk}" in home
    colin_home = client_for("colleague").get(reverse("home:home")).content.decode()
    assert f"Complaint {about_colleague.pk}" not in colin_home


def test_it_counts_a_stage_answered_late_as_late(world, about_colleague):
    _acknowledge(world, about_colleague, on=days_ago(39))
    stage = _answer(world, about_colleague, on=days_ago(1))
    assert stage.answered_in_time is False
    assert stage.answer_by < days_ago(1) - timedelta(days=0)
