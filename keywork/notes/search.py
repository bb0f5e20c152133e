"""Full-text search over file notes: PostgreSQL's tsvector with a GIN index, or SQLite's
FTS5, behind one function. Both answer with note ids, a rank and a snippet in which the
matched words are marked; everything else about the note is read through the access
module, so a note the user may not read never reaches a result, a snippet or a count.
Both read words as people type them: stemmed (PostgreSQL's English configuration, FTS5's
porter tokenizer), so "prescriptions" finds "prescription", and the last word taken as the
start of a word, so "prescrip" finds it too."""

import json
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import ExpressionWrapper, F, Func, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from keywork.notes.models import FileNote

# Marks that no note contains, swapped for <mark> once the snippet text is escaped.
OPEN, CLOSE = "\u2063[[", "]]\u2063"
CONFIG = "english"
# Up to this many people in view, PostgreSQL searches their notes person by person (see
# search()); a team's few hundred people have a few thousand notes, read in milliseconds.
PERSON_FIRST_LIMIT = 2000
MAX_WORDS = 20
# The last word is matched as the start of a word from this length (one letter would
# match nearly every note).
PREFIX_FROM = 2
# PostgreSQL's English stop words (tsearch_data/english.stop), which its index and its
# queries leave out; SQLite's index keeps them, so its query leaves them out instead.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both
    each few more most other some such no nor not only own same so than too very s t can
    will just don should now""".split()  # noqa: SIM905 - the file as PostgreSQL ships it
)


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_note(note: FileNote) -> None:
    """Puts the note's current words in the index, or takes them out if it is void."""
    if _is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM notes_filenote_fts WHERE rowid = %s", [note.pk])
            if not note.is_void:
                cursor.execute(
                    "INSERT INTO notes_filenote_fts(rowid, subject, text) VALUES (%s, %s, %s)",
                    [note.pk, note.subject, note.text],
                )
        return
    vector = None
    if not note.is_void:
        vector = SearchVector("subject", weight="A", config=CONFIG) + SearchVector(
            "text", weight="B", config=CONFIG
        )
    FileNote.objects.filter(pk=note.pk).update(search_vector=vector)


def _words(text: str) -> tuple[list[str], bool]:
    """What the user typed, split where they put spaces, and whether the last word is to
    be matched as the start of a word. Each word stays whole, so that each database's own
    tokenizer reads it as it read the notes (an address, "key-work"); words with no letter
    or digit and stop words alone are left out, as PostgreSQL leaves them out."""
    words: list[str] = []
    last = ""
    for word in text.split():
        tokens = re.findall(r"[^\W_]+", word)
        if tokens and not all(t.lower() in STOP_WORDS for t in tokens):
            words.append(word)
            last = tokens[-1]
            if len(words) == MAX_WORDS:
                break
    return words, len(last) >= PREFIX_FROM


def _fts5_query(words: list[str], prefix: bool) -> str:
    """Every word, each a quoted string, so that what a user types is never read as FTS5
    syntax (NEAR, AND, column filters...)."""
    terms = ['"' + word.replace('"', '""') + '"' for word in words]
    if prefix:
        terms[-1] += "*"
    return " ".join(terms)


def _tsquery(words: list[str], prefix: bool) -> str:
    """The same for PostgreSQL's to_tsquery: each word quoted (its quotes and backslashes
    escaped), so no operator the user types (& | ! <-> :*) is read as one."""
    terms = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words]
    if prefix:
        terms[-1] += ":*"
    return " & ".join(terms)


def _mark(snippet: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped first, then only our own <mark> tags added
        escape(snippet).replace(escape(OPEN), "<mark>").replace(escape(CLOSE), "</mark>")
    )


def search(
    visible: QuerySet, query: str, limit: int, *, person_first: bool = False
) -> tuple[list[tuple[FileNote, SafeString]], int]:
    """The best `limit` notes among `visible` for the query, each with its snippet, and
    how many visible notes match in all.

    `person_first` says the visible notes are few (a worker's few hundred people): on
    PostgreSQL they are then read through the person index and each is matched, instead
    of asking the GIN index, whose list for a common word holds most of the
    organisation's notes and must be set against the visible ones note by note."""
    typed, prefix = _words(query.replace("\x00", "").strip()[:200])
    if not typed:
        return [], 0
    if _is_sqlite():
        match = _fts5_query(typed, prefix)
        # The index is joined inside the database, so no list of ids crosses into Python.
        in_index = "SELECT rowid FROM notes_filenote_fts WHERE notes_filenote_fts MATCH %s"
        # Constant SQL; the user's words travel only as parameters.
        matching = visible.filter(pk__in=RawSQL(in_index, [match]))  # noqa: S611
        total = matching.count()
        # Ranked by the index in one pass over the matches, then kept to the notes the
        # user may read. (Asking the index about each readable note in turn, or ranking
        # note by note, runs the match again for every note.)
        visible_sql, visible_params = visible.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH found AS MATERIALIZED ("  # noqa: S608 - Django's own SQL, parameters apart
                "SELECT rowid AS id, bm25(notes_filenote_fts, 2.0, 1.0) AS score "
                "FROM notes_filenote_fts WHERE notes_filenote_fts MATCH %s) "
                f"SELECT id FROM found WHERE id IN ({visible_sql}) "
                "ORDER BY score, id DESC LIMIT %s",
                [match, *visible_params, limit],
            )
            ranked = [row[0] for row in cursor.fetchall()]
        if not ranked:
            return [], total
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, snippet(notes_filenote_fts, 1, %s, %s, '…', 16) "
                "FROM notes_filenote_fts WHERE notes_filenote_fts MATCH %s "
                "AND rowid IN (SELECT value FROM json_each(%s))",
                [OPEN, CLOSE, match, json.dumps(ranked)],
            )
            snippets = dict(cursor.fetchall())
        notes = {
            n.pk: n
            for n in FileNote.objects.filter(pk__in=ranked).select_related(
                "person", "author", "episode__service", "referral__service"
            )
        }
        return [(notes[pk], _mark(snippets.get(pk, ""))) for pk in ranked], total
    search_query = SearchQuery(_tsquery(typed, prefix), config=CONFIG, search_type="raw")
    words = F("search_vector")
    if person_first:  # the same words, in an expression no index answers
        words = Func(words, template="(%(expressions)s || ''::tsvector)")
    matching = visible.alias(words=ExpressionWrapper(words, SearchVectorField())).filter(
        words=search_query
    )
    total = matching.count()
    notes = (
        matching.annotate(
            rank=SearchRank(F("search_vector"), search_query),
            snippet=SearchHeadline(
                "text",
                search_query,
                config=CONFIG,
                start_sel=OPEN,
                stop_sel=CLOSE,
                max_words=30,
                min_words=12,
            ),
        )
        .select_related("person", "author", "episode__service", "referral__service")
        .order_by("-rank", "-pk")[:limit]
    )
    return [(note, _mark(note.snippet)) for note in notes], total
