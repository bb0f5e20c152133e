from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.notes import search, services
from keywork.notes.models import FileNote, NoteDraft
from keywork.testing.factories import staff


def note_data(on, **overrides):
    now = timezone.localtime()
    return {
        "episode": on.pk,
        "contact_type": "key_work",
        "contact_date": now.strftime("%d/%m/%Y"),
        "contact_time": now.strftime("%H:%M"),
        "duration_minutes": "45",
        "place": "Her flat",
        "subject": "Weekly key-work session",
        "text": "Talked about the rent arrears.\n\n- call the council\n- book the GP",
    } | overrides


def write(client, on, **overrides):
    return client.post(reverse("notes:note_new", args=[on.person_id]), note_data(on, **overrides))


def test_it_writes_a_note_and_lays_out_paragraphs_and_lists(client_for, world, episode):
    client = client_for("worker")
    response = write(client, episode)
    assert response.status_code == 302
    note = FileNote.objects.get()
    assert note.author == world.worker and not note.is_late_entry and note.versions.count() == 1
    page = client.get(reverse("notes:note", args=[note.pk])).content.decode()
    assert '<ul class="govuk-list govuk-list--bullet"><li>call the council</li>' in page


def test_it_flags_a_note_written_more_than_a_day_later(client_for, episode):
    client = client_for("worker")
    earlier = timezone.localtime() - timedelta(days=2)
    write(client, episode, contact_date=earlier.strftime("%d/%m/%Y"))
    note = FileNote.objects.get()
    assert note.is_late_entry
    assert (
        "Late entry"
        in client.get(reverse("notes:note_list", args=[episode.person_id])).content.decode()
    )


def test_it_refuses_bad_input_and_makes_markup_harmless(client_for, world, episode):
    client = client_for("worker")
    in_two_days = (timezone.localtime() + timedelta(days=2)).strftime("%d/%m/%Y")
    cases = [
        ({"contact_date": in_two_days}, "cannot be more than a day in the future"),
        ({"duration_minutes": "-5"}, "The duration cannot be negative"),
        ({"duration_minutes": "1441"}, "cannot be more than 24 hours"),
        ({"restricted": "on"}, "Name at least one other member of staff who may read it"),
        ({"contact_time": "25:99"}, "Enter the time like 14:30"),
        ({"text": ""}, "Write the note"),
        ({"episode": "999999"}, "Select a valid choice"),
    ]
    for overrides, message in cases:
        response = write(client, episode, **overrides)
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), overrides
    assert not FileNote.objects.exists()

    write(client, episode, text='<script>alert("x")</script><b>bold</b>')
    page = client.get(reverse("notes:note", args=[FileNote.objects.get().pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page and "<b>bold" not in page


def test_it_amends_keeping_the_original_and_the_reason_for_managers(client_for, world, episode):
    client = client_for("worker")
    write(client, episode)
    note = FileNote.objects.get()
    url = reverse("notes:note_amend", args=[note.pk])
    missing = client.post(
        url, {"subject": note.subject, "text": "Changed", "reason": "", "version": 1}
    )
    assert "Say why the note is being amended" in missing.content.decode()
    client.post(
        url,
        {
            "subject": note.subject,
            "text": "Talked about the rent arrears and the dog.",
            "reason": "Left out the dog",
            "version": 1,
        },
    )
    note.refresh_from_db()
    assert note.version == 2 and "dog" in note.text
    assert [v.number for v in note.versions.all()] == [1, 2]
    manager_page = client_for("senior").get(reverse("notes:note", args=[note.pk])).content.decode()
    assert "Version 1" in manager_page and "(the original)" in manager_page
    assert "Reason: Left out the dog" in manager_page and "rent arrears.</p>" in manager_page
    colleague_page = (
        client_for("colleague").get(reverse("notes:note", args=[note.pk])).content.decode()
    )
    assert "(the original)" not in colleague_page and "Amended: this is version 2" in colleague_page
    stale = client.post(
        url, {"subject": note.subject, "text": "Another", "reason": "x", "version": 1}
    )
    assert "Someone amended this note after you opened it" in stale.content.decode()
    # A colleague who did not write it cannot amend it.
    assert (
        client_for("colleague")
        .post(url, {"subject": "s", "text": "t", "reason": "r", "version": 2})
        .status_code
        == 404
    )


def test_it_voids_a_note_without_deleting_it(client_for, episode):
    client = client_for("worker")
    write(client, episode, text="A rare word: zanzibar")
    note = FileNote.objects.get()
    client.post(reverse("notes:note_void", args=[note.pk]), {"reason": "Wrong person"})
    note.refresh_from_db()
    assert note.is_void and note.void_reason == "Wrong person"
    assert client.get(reverse("notes:search"), {"q": "zanzibar"}).context["total"] == 0
    assert (
        "Void: Wrong person" in client.get(reverse("notes:note", args=[note.pk])).content.decode()
    )


def write_a_disclosure_and_an_ordinary_note(client, world, episode, word):
    """A restricted note that names a support assistant, and an ordinary one, each holding
    `word`. Gives the named assistant."""
    named = staff(role="support_assistant", team=world.team, full_name="Nia Named")
    write(
        client,
        episode,
        subject="Disclosure",
        text=f"Private: {word}",
        restricted="on",
        named_staff=[named.pk],
    )
    write(client, episode, subject="Ordinary", text=f"Public: {word}")
    return named


def test_it_hides_a_restricted_note_from_a_colleague_everywhere(client_for, world, episode):
    client = client_for("worker")
    named = write_a_disclosure_and_an_ordinary_note(client, world, episode, "quetzalcoatl")
    restricted = FileNote.objects.get(restricted=True)
    colleague = client_for("colleague")
    listing = colleague.get(reverse("notes:note_list", args=[episode.person_id])).content.decode()
    assert "Disclosure" not in listing and "Ordinary" in listing
    timeline = colleague.get(
        reverse("timeline:timeline", args=[episode.person_id])
    ).content.decode()
    assert "Disclosure" not in timeline and "Ordinary" in timeline
    found = colleague.get(reverse("notes:search"), {"q": "quetzalcoatl"})
    assert found.context["total"] == 1
    assert [n.subject for n, _ in found.context["results"]] == ["Ordinary"]
    assert "Private" not in found.content.decode()
    assert colleague.get(reverse("notes:note", args=[restricted.pk])).status_code == 404
    for reader in (client, client_for(named), client_for("senior")):
        assert reader.get(reverse("notes:note", args=[restricted.pk])).status_code == 200
        assert reader.get(reverse("notes:search"), {"q": "quetzalcoatl"}).context["total"] == 2


def test_it_finds_the_one_note_with_a_rare_word_among_ten_thousand(world, episode):
    now = timezone.now()
    notes = FileNote.objects.bulk_create(
        FileNote(
            organisation=world.organisation,
            person=episode.person,
            episode=episode,
            contact_type="phone",
            contact_at=now - timedelta(minutes=i),
            subject=f"Call {i}",
            text="Checked in about benefits, rent and the doctor's appointment next week.",
            author=world.worker,
            recorded_at=now,
        )
        for i in range(10_000)
    )
    rare = notes[7_321]
    FileNote.objects.filter(pk=rare.pk).update(text="Mentioned a new word: xylophonist.")
    rare.refresh_from_db()
    for note in FileNote.objects.all():
        search.index_note(note)
    results, total = search.search(FileNote.objects.all(), "xylophonist", 50)
    assert total == 1 and [n.pk for n, _ in results] == [rare.pk]
    assert "<mark>xylophonist</mark>" in results[0][1]
    _, common = search.search(FileNote.objects.all(), "benefits", 50)
    assert common == 9_999


def test_it_keeps_a_draft_as_the_worker_types(client_for, episode):
    client = client_for("worker")
    url = reverse("notes:draft_save", args=[episode.person_id])
    response = client.post(
        url, {"subject": "Half", "text": "Half a thought"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Draft saved" in response.content.decode()
    page = client.get(reverse("notes:note_new", args=[episode.person_id])).content.decode()
    assert "Half a thought" in page
    write(client, episode)
    assert not NoteDraft.objects.exists()


def test_it_shows_when_a_file_note_is_due_on_the_caseload(client_for, world, episode):
    client = client_for("worker")
    cell = lambda: client.get(reverse("people:my_caseload")).context["rows"][0].cells[0]  # noqa: E731
    assert cell() == ("13 days overdue", "red")  # started 20 days ago, weekly standard
    write(
        client,
        episode,
        contact_date=(timezone.localtime() - timedelta(days=6)).strftime("%d/%m/%Y"),
    )
    assert cell() == ("Due in 1 day", "yellow")
    write(client, episode)
    assert cell() == ("Due in 7 days", "green")


def test_it_pages_the_timeline_and_filters_it(client_for, world, episode):
    client = client_for("worker")
    for i in range(30):
        services.note_create(
            actor=world.worker,
            person=episode.person,
            episode=episode,
            contact_type="phone",
            contact_at=timezone.now() - timedelta(hours=i),
            subject=f"Call number {i}",
            text="t",
        )
    url = reverse("timeline:timeline", args=[episode.person_id])
    first = client.get(url)
    assert len(first.context["events"]) == 25 and first.context["older_link"]
    second = client.get(url + first.context["older_link"])
    titles = [e.title for e in first.context["events"] + second.context["events"]]
    assert sum("Call number" in t for t in titles) == 30
    assert "Referral to Harbour House" in titles
    only_notes = client.get(url, {"kind": "note"})
    assert {e.kind for e in only_notes.context["events"]} == {"note"}
    bad = client.get(url, {"since": "32/13/2026", "before": "not-a-date"})
    assert bad.status_code == 200 and "Enter the date like 01/01/2026" in bad.content.decode()


@pytest.mark.parametrize("people_first_up_to", [0, 2000])
def test_it_gives_the_same_search_answer_whether_it_starts_from_the_people_or_the_index(
    client_for, world, episode, monkeypatch, people_first_up_to
):
    # A worker's few people are searched note by note, a wider view through the index
    # (PostgreSQL); the answer, restricted notes left out, must be the same either way.
    monkeypatch.setattr(search, "PERSON_FIRST_LIMIT", people_first_up_to)
    client = client_for("worker")
    write_a_disclosure_and_an_ordinary_note(client, world, episode, "axolotl")
    write(client, episode, subject="Other", text="Nothing to find here")
    found = client_for("colleague").get(reverse("notes:search"), {"q": "axolotl"})
    assert found.context["total"] == 1
    assert [n.subject for n, _ in found.context["results"]] == ["Ordinary"]
    assert client.get(reverse("notes:search"), {"q": "axolotl"}).context["total"] == 2


def test_it_keeps_every_field_of_a_draft_and_says_where_a_draft_is_waiting(
    client_for, world, episode
):
    client = client_for("worker")
    person_id = episode.person_id
    client.post(
        reverse("notes:draft_save", args=[person_id]),
        {
            "episode": episode.pk,
            "contact_type": "home_visit",
            "contact_date": "20/11/2026",
            "contact_time": "14:30",
            "duration_minutes": "45",
            "place": "Their flat\x00",
            "subject": "Rent arrears",
            "text": "Talked through the letter",
            "follow_up": "Ring the housing officer",
            "follow_up_by": "04/12/2026",
        },
    )
    draft = NoteDraft.objects.get()
    assert draft.typed["place"] == "Their flat"  # control characters are not kept
    form = client.get(reverse("notes:note_new", args=[person_id])).content.decode()
    for typed in (
        "20/11/2026",
        "14:30",
        'value="45"',
        "Their flat",
        "Ring the housing officer",
        "04/12/2026",
        "Rent arrears",
        "Talked through the letter",
    ):
        assert typed in form, typed
    assert 'value="home_visit" checked' in form
    listing = client.get(reverse("notes:note_list", args=[person_id])).content.decode()
    assert "Your draft note from" in listing and "Rent arrears" in listing
    caseload = client.get(reverse("people:my_caseload"))
    assert ("Your draft is waiting", "blue") in caseload.context["rows"][0].cell_parts[0]["parts"]
    # A colleague sees no sign of the worker's draft.
    colleague = client_for("colleague").get(reverse("notes:note_list", args=[person_id]))
    assert "Your draft note from" not in colleague.content.decode()
