"""The round of doors as a PDF: each resident the reader may see, their room or flat, the
notices they have not had yet and a box to tick; audited as a read of those named."""

import subprocess

from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.notices import services
from keywork.notices.tests.test_notice_delivery import _house, _notice
from keywork.notices.tests.test_notice_delivery_report import _someone_the_house_team_may_not_see
from keywork.people.models import Person


def _text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def test_it_prints_each_door_with_what_is_owed_and_a_tick_box(world, client_for):
    house, people = _house(world, 3)
    _someone_the_house_team_may_not_see(world, house)
    notice = _notice(world, house)
    services.receipts_record(
        actor=world.worker, notice=notice, people=people[:1], received_on=timezone.localdate()
    )
    response = client_for("support_assistant").get(reverse("notices:round_pdf", args=[house.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert "Round of doors: Ash House" in text
    assert "Room or flat Name Not had yet Handed" in text and "Date, initials" in text
    assert "Room 1 Resident0 Ash Nothing to hand out" in text
    assert "Room 2 Resident1 Ash Fire doors are changing" in text
    assert "Room 3 Resident2 Ash Fire doors are changing" in text
    assert "Hidden" not in text and "Flat 9" not in text
    read = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk="").latest("pk")
    assert sorted(read.additional_data["shown"]["people.person"]) == sorted(p.pk for p in people)
    assert Person.objects.count() == 4


def test_it_is_tagged_for_a_screen_reader(world, client_for):
    house, _ = _house(world, 1)
    _notice(world, house)
    pdf = client_for("worker").get(reverse("notices:round_pdf", args=[house.pk])).content
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert "Tagged:          yes" in info.stdout.decode()
    assert "Title:           Round of doors: Ash House" in info.stdout.decode()
