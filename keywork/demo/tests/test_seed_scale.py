from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from keywork.audit.models import AuditEntry
from keywork.demo.bulk_rows import CopySink, copy_text
from keywork.housing.models import Tenancy
from keywork.notes import search
from keywork.notes.models import FileNote, FileNoteVersion
from keywork.organisations.models import Organisation
from keywork.people.models import Episode, Person
from keywork.planning.models import SupportPlan


def _check_scale_organisation(name: str, people: int, out: str) -> None:
    org = Organisation.objects.get(name=name)
    assert Person.objects.filter(organisation=org).count() == people
    assert Episode.objects.filter(organisation=org).count() == people
    notes = FileNote.objects.filter(organisation=org)
    assert notes.count() > people
    assert FileNoteVersion.objects.filter(note__in=notes, number=1).count() == notes.count()
    open_episodes = Episode.objects.filter(organisation=org, end_date=None)
    assert SupportPlan.objects.filter(episode__in=open_episodes).count() == open_episodes.count()
    in_houses = open_episodes.filter(service__type="accommodation")
    assert Tenancy.objects.filter(episode__in=in_houses).count() == in_houses.count() > 0
    assert f"people {people:,} of {people:,}" in out
    found, total = search.search(notes, "xylophonist", 10)
    assert total == 1 and "<mark>xylophonist</mark>" in found[0][1]
    # Stemmed, and the last word as it is being typed, as the search finds them in use.
    for typed in ("xylophonists", "xyloph"):
        assert search.search(notes, typed, 10)[1] == 1
    if connection.vendor == "sqlite":
        # The generator fills SQLite's search table itself: every note's own words, as
        # index_note puts them, and the table stems them as it stems any note.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM notes_filenote n "
                "LEFT JOIN notes_filenote_fts f ON f.rowid = n.id "
                "WHERE n.organisation_id = %s AND n.voided_at IS NULL AND (f.rowid IS NULL "
                "OR f.subject IS NOT n.subject OR f.text IS NOT n.text)",
                [org.pk],
            )
            assert cursor.fetchone()[0] == 0
    if connection.vendor == "postgresql":
        # The generator builds each note's search vector itself; it must be exactly what
        # PostgreSQL makes of the note, or search at scale would measure something else.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM notes_filenote WHERE organisation_id = %s AND "
                "search_vector IS DISTINCT FROM "
                "setweight(to_tsvector('english', subject), 'A') || "
                "setweight(to_tsvector('english', text), 'B')",
                [org.pk],
            )
            assert cursor.fetchone()[0] == 0


def test_it_seeds_a_searchable_organisation_at_scale_and_says_how_far_it_has_got(db):
    out = StringIO()
    audited = AuditEntry.objects.count()
    call_command("seed_scale", people=120, batch=50, stdout=out)
    # Nobody did any of this: the audit, which records what people do, stays as it was.
    assert AuditEntry.objects.count() == audited
    assert "people 50 of 120" in out.getvalue()
    _check_scale_organisation("Scale 120", 120, out.getvalue())
    with pytest.raises(CommandError):
        call_command("seed_scale", people=120, stdout=StringIO())


def test_it_writes_rows_from_a_second_connection_only_on_postgresql_outside_a_transaction(db):
    from keywork.demo.management.commands.seed_scale import Command

    with Command().fast_load(large=False) as sink:
        # Inside a test's transaction another connection could not see its rows.
        assert sink is None
    if connection.vendor != "postgresql":
        return
    sink = CopySink(["SET synchronous_commit = off"])
    sink.connection.execute("CREATE TEMPORARY TABLE sink_check (id int, word text)")
    for n in range(5):
        sink.put("COPY sink_check (id, word) FROM STDIN", f"{n}\tword {n}\n")
    sink.drain()
    rows = sink.connection.execute("SELECT id, word FROM sink_check ORDER BY id").fetchall()
    assert rows == [(n, f"word {n}") for n in range(5)]
    # A block the server refuses is raised in the caller's thread, not lost.
    sink.put("COPY sink_check (id, word) FROM STDIN", "not a number\tword\n")
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        sink.drain()
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        sink.close()


def test_it_writes_copy_text_that_postgresql_reads_back():
    from datetime import UTC, date, datetime

    assert copy_text(None) == r"\N"
    assert copy_text(True) == "t" and copy_text(False) == "f"
    assert copy_text(7) == "7"
    assert copy_text("tab\there\nnew\\line") == "tab\\there\\nnew\\\\line"
    assert copy_text(date(2026, 1, 2)) == "2026-01-02"
    assert copy_text(datetime(2026, 1, 2, 9, 30, tzinfo=UTC)) == "2026-01-02T09:30:00+00:00"


def test_it_writes_the_duplicate_keys_that_saving_a_person_writes(db):
    from keywork.people.matching import candidate_keys
    from keywork.people.selectors import likely_duplicates
    from keywork.people.services import match_keys_for, search_names_for

    call_command("seed_scale", people=30, batch=10, stdout=StringIO())
    seeded = Person.objects.filter(organisation__name="Scale 30").order_by("pk")
    assert seeded.count() == 30
    for person in seeded:
        assert person.match_keys == match_keys_for(person)
        assert person.search_names == search_names_for(person)
    person = seeded.last()
    assert candidate_keys(person.first_name, person.last_name) & set(person.match_keys.split())
    key_worker = Episode.objects.get(person=person).key_worker
    found = likely_duplicates(
        fetched_by=key_worker,
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
    )
    assert person in [d.person for d in found]
