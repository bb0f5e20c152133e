"""Length and number errors name their field in plain words, as every other message does."""

from django.urls import reverse

from keywork.people.forms import AlertForm


def test_it_names_the_field_when_text_is_too_long(world, client_for, episode):
    response = client_for("worker").post(
        reverse("people:alert_new", args=[episode.person_id]),
        {"level": "warning", "text": "x" * 99_999},
    )
    page = response.content.decode()
    assert "Ensure this value has at most" not in page
    assert "must be" in page and "characters or fewer" in page


def test_it_keeps_a_fields_own_words():
    form = AlertForm(data={"level": "nonsense", "text": ""})
    assert not form.is_valid()
    assert all("Ensure this value" not in str(e) for e in form.errors.values())
