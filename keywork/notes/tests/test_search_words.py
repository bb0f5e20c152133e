"""Note search finds words as people type them, the same on SQLite as on PostgreSQL:
another form of a word finds it ("prescriptions", "prescription"), the last word may be
half typed ("prescrip"), and nothing a user types is read as query syntax."""

import importlib

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from keywork.notes import search, services
from keywork.notes.models import FileNote
from keywork.testing.factories import staff


def note(world, episode, subject, text, **extra):
    return services.note_create(
        actor=world.worker,
        person=episode.person,
        episode=episode,
        contact_type="phone",
        contact_at=timezone.now(),
        subject=subject,
        text=text,
        **extra,
    )


def found(query):
    results, total = search.search(FileNote.objects.all(), query, 50)
    assert total == len(results)
    return {n.subject for n, _ in results}


@pytest.mark.parametrize(
    "query",
    [
        "prescription",
        "prescriptions",
        "Prescriptions",
        "collecting prescriptions",
        "prescriptions collected",
        "prescriptions from the chemist",
    ],
)
def test_it_finds_a_note_by_another_form_of_its_words(world, episode, query):
    note(world, episode, "Chemist", "Collected her prescription from the chemist.")
    note(world, episode, "Other", "Talked about the rent.")
    assert found(query) == {"Chemist"}


@pytest.mark.parametrize("query", ["prescrip", "presc", "Prescrip", "chemist prescrip", "pre"])
def test_it_finds_the_last_word_as_it_is_being_typed(world, episode, query):
    note(world, episode, "Chemist", "Collected her prescription from the chemist.")
    note(world, episode, "Other", "Talked about the rent.")
    assert found(query) == {"Chemist"}
    _, snippet = search.search(FileNote.objects.all(), query, 50)[0][0]
    assert "<mark>prescription</mark>" in snippet


def test_it_takes_only_the_last_word_as_half_typed(world, episode):
    note(world, episode, "Chemist", "Collected her prescription from the chemist.")
    assert found("prescrip chemist") == set()
    assert found("prescription chemi") == {"Chemist"}


def test_it_tells_calm_from_calmer_as_postgresql_english_stemmer_does(world, episode):
    # PostgreSQL's English stemmer keeps "calmer" and "calm" apart; as the last word "calm"
    # is also the start of "calmer", so it finds both.
    note(world, episode, "Calmer", "She seemed calmer today.")
    note(world, episode, "Calm", "She was calm on the phone.")
    assert found("calmer") == {"Calmer"}
    assert found("calm") == {"Calm", "Calmer"}
    assert found("calm phone") == {"Calm"}
    assert found("calm today") == set()
    assert found("calmer phone") == set()
    assert found("seems calmer") == {"Calmer"}


def test_it_leaves_out_the_words_postgresql_leaves_out(world, episode):
    note(world, episode, "Collected", "Prescription collected.")
    assert found("the prescription") == {"Collected"}
    assert found("prescription and") == {"Collected"}
    assert found("the") == set()
    assert found("the and of") == set()


ODD = [
    '"',
    "*",
    "AND",
    "NEAR(",
    "'",
    ":*",
    "a & b | !c",
    "\x00",
    "\\",
    "''",
    '""',
    "!",
    "()",
    "<->",
    "-",
    ":",
    "NOT OR",
    "x:*A",
    "'; DROP TABLE notes_filenote; --",
    'NEAR("a" "b", 2)',
    "subject:prescription",
    "\\'",
    "\x00'\x00",
    "prescription" * 30,
    " ".join(["chemist"] * 100),
]


@pytest.mark.parametrize("query", ODD)
def test_it_answers_odd_input_without_an_error(client_for, world, episode, query):
    note(world, episode, "Chemist", "Collected her prescription from the chemist.")
    response = client_for("worker").get(reverse("notes:search"), {"q": query})
    assert response.status_code == 200
    assert search.search(FileNote.objects.all(), query, 50)[1] in (0, 1)
    assert found("chemist") == {"Chemist"}  # and the search still works


@pytest.mark.parametrize(
    "query",
    [
        '"prescrip',
        'prescrip"',
        "'prescrip",
        "prescrip'",
        "prescrip*",
        "prescrip:*",
        "prescrip :*",
        "prescrip *",
        "AND prescrip",
        "* prescrip",
        "pres\x00crip",
        "prescrip\x00",
        "prescriptions!",
        "(prescription)",
        "chemist & prescrip",
        "chemist | prescrip",
        "!chemist prescrip",
    ],
)
def test_it_reads_odd_characters_round_a_word_as_the_word(client_for, world, episode, query):
    note(world, episode, "Chemist", "Collected her prescription from the chemist.")
    response = client_for("worker").get(reverse("notes:search"), {"q": query})
    assert response.status_code == 200 and response.context["total"] == 1
    assert found(query) == {"Chemist"}


def test_it_keeps_restricted_notes_from_those_who_may_not_read_them(client_for, world, episode):
    named = staff(role="support_assistant", team=world.team, full_name="Nia Named")
    note(
        world,
        episode,
        "Disclosure",
        "Private: her prescriptions",
        restricted=True,
        named_staff=[named],
    )
    note(world, episode, "Ordinary", "Public: her prescription")
    for query in ("prescrip", "prescriptions", "prescription"):
        colleague = client_for("colleague").get(reverse("notes:search"), {"q": query})
        assert colleague.context["total"] == 1
        assert [n.subject for n, _ in colleague.context["results"]] == ["Ordinary"]
        assert "Private" not in colleague.content.decode()
        for reader in ("worker", named, "senior"):
            page = client_for(reader).get(reverse("notes:search"), {"q": query})
            assert page.context["total"] == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's own")
def test_it_rebuilds_the_sqlite_index_with_stems_and_keeps_every_note(world, episode):
    remake = importlib.import_module("keywork.notes.migrations.0007_sqlite_fts_stems")
    note(world, episode, "Chemist", "Collected her prescription from the chemist.")
    voided = note(world, episode, "Void", "Prescription for someone else.")
    services.note_void(actor=world.worker, note=voided, reason="Wrong person")
    remake.remake(connection, remake.WHOLE_WORDS)
    assert found("prescription") == {"Chemist"} and found("prescriptions") == set()
    remake.remake(connection, remake.STEMMED)
    assert found("prescriptions") == {"Chemist"} and found("prescrip") == {"Chemist"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="asks PostgreSQL's dictionary")
def test_it_leaves_out_only_words_postgresql_leaves_out(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w WHERE ts_lexize('english_stem', w) <> '{}'",
            [sorted(search.STOP_WORDS)],
        )
        assert cursor.fetchall() == []
        cursor.execute("SELECT ts_lexize('english_stem', 'calm')")
        assert cursor.fetchone()[0] == ["calm"]
