"""Finding the named people of a notice by name, without JavaScript: a GET field that
lists at most 30 of the people of the service the reader may see whose names match, and
never takes anyone off a notice that names them already."""

from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.notices import selectors, services
from keywork.notices.models import NoticeFor
from keywork.people.models import Person
from keywork.testing.factories import supported_person


def _checklist(html: str) -> list[str]:
    """The names beside the named people's tick boxes."""
    part = html[html.index('name="people"') - 400 :]
    part = part[: part.index("</fieldset>")]
    return [
        chunk.split(">", 1)[1].split("<", 1)[0].strip()
        for chunk in part.split('class="govuk-label govuk-checkboxes__label"')[1:]
    ]


def test_it_lists_at_most_30_matches_of_the_readers_people_by_name(world, client_for):
    for n in range(35):
        supported_person(world, f"Sam{n:02d}", "Smith")
    supported_person(world, "Zoë", "Jones")
    supported_person(
        world,
        "Sam",
        "Elsewhere",
        service=world.other_service,
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
    )
    client = client_for("support_assistant")
    page = client.get(reverse("notices:new"), {"name": "sam"}).content.decode()
    listed = _checklist(page)
    assert len(listed) == 30 and all(n.endswith("Smith") for n in listed)
    assert "type more of the name to narrow it" in page
    assert "Elsewhere" not in page
    # Accents and case are ignored, as in the people search.
    page = client.get(reverse("notices:new"), {"name": "ZOE jon"}).content.decode()
    assert _checklist(page) == ["Zoë Jones"]
    assert 'action="?name=ZOE%20jon"' in page
    page = client.get(reverse("notices:new"), {"name": "nobody"}).content.decode()
    assert "No one you may see in the service matches" in page
    # The search is a read of those it lists.
    before = AuditEntry.objects.count()
    client.get(reverse("notices:new"), {"name": "sam01"})
    assert AuditEntry.objects.count() > before


def test_it_saves_the_people_ticked_from_a_search(world, client_for):
    zoe = supported_person(world, "Zoë", "Jones").person
    supported_person(world, "Adam", "Brown")
    answer = client_for("support_assistant").post(
        reverse("notices:new") + "?name=zoe",
        {
            "service": world.service.pk,
            "title": "Your review",
            "body": "Your review is on Monday.",
            "language": "en",
            "audience": "people",
            "people": [zoe.pk],
            "published_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert answer.status_code == 302
    assert list(NoticeFor.objects.values_list("person__first_name", flat=True)) == ["Zoë"]


def test_it_keeps_those_named_already_when_a_change_searches_for_others(world, client_for):
    ann = supported_person(world, "Ann", "Lee").person
    bob = supported_person(world, "Bob", "Kay").person
    notice = services.notice_create(
        actor=world.worker,
        service=world.service,
        title="Your review",
        body="Monday.",
        language="en",
        audience="people",
        people=[ann],
        published_on=timezone.localdate(),
    )
    url = reverse("notices:change", args=[notice.pk])
    page = client_for("worker").get(url, {"name": "bob"}).content.decode()
    assert _checklist(page) == ["Bob Kay", "Ann Lee"]
    shown = selectors.named_choices(world.worker, name="bob", keep=[ann.pk])
    assert {p.pk for p in shown} == {ann.pk, bob.pk}
    assert Person.objects.count() == 2
