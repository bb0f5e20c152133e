"""A file note written over more than the idle time-out is not thrown away: what was
sent is kept as the worker's draft, and the sign-in page says so."""

import time_machine
from django.urls import reverse
from django.utils import timezone

from keywork.notes.models import FileNote, NoteDraft
from keywork.testing.factories import supported_person

SIGN_IN = reverse("accounts:sign_in") + "?timed_out=1"


def written_over_an_hour(client, url: str, data: dict, *, minutes: int = 31):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("home:home")).status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"] == SIGN_IN
        return client.get(SIGN_IN).content.decode()


NOTE = {
    "subject": "Visit at the flat",
    "text": "Talked through the letter from the council about the rent arrears.",
    "contact_type": "face_to_face",
    "place": "Their flat",
    "duration_minutes": "45",
}


def test_it_keeps_a_note_sent_after_the_time_out_as_the_workers_draft(client_for, world):
    person = supported_person(world, "Ada", "Lovelace").person
    client = client_for("worker")
    page = written_over_an_hour(client, reverse("notes:note_new", args=[person.pk]), NOTE)

    assert "was kept as your draft" in page
    assert "Lovelace" not in page  # who is at the screen has not signed in yet
    assert not FileNote.objects.exists()  # kept, not saved as a note unseen
    draft = NoteDraft.objects.get(user=world.worker, person=person)
    assert draft.subject == NOTE["subject"] and draft.text == NOTE["text"]
    assert draft.typed["place"] == "Their flat" and draft.typed["duration_minutes"] == "45"

    # Signed in again, the note form has it all back.
    form = client_for("worker").get(reverse("notes:note_new", args=[person.pk])).content.decode()
    assert NOTE["text"] in form and "Their flat" in form


def test_it_says_plainly_when_what_was_sent_could_not_be_kept(client_for, world):
    person = supported_person(world, "Ada").person
    client = client_for("worker")
    page = written_over_an_hour(
        client, reverse("people:person_edit", args=[person.pk]), {"first_name": "Ada"}
    )
    assert "was not saved" in page
    assert "enter it again" in page


def test_it_keeps_nothing_sent_without_the_pages_own_form_token(client_for, world):
    person = supported_person(world, "Ada").person
    client = client_for("worker")
    client.handler.enforce_csrf_checks = True  # a post made by another site
    page = written_over_an_hour(client, reverse("notes:draft_save", args=[person.pk]), NOTE)
    assert "was not saved" in page
    assert not NoteDraft.objects.exists()


def test_it_keeps_no_draft_about_someone_the_worker_may_no_longer_see(client_for, world):
    person = supported_person(world, "Ada").person
    client = client_for("other_team_worker")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(reverse("home:home"))
    with time_machine.travel(start + timezone.timedelta(minutes=31), tick=False):
        client.post(reverse("notes:note_new", args=[person.pk]), NOTE)
        assert "was not saved" in client.get(SIGN_IN).content.decode()
    assert not NoteDraft.objects.exists()
