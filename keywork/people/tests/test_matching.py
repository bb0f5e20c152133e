from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keywork.people.matching import (
    NICKNAME_GROUPS,
    Candidate,
    Match,
    candidate_keys,
    candidate_keys_for,
    compare,
    damerau_levenshtein,
    fold,
    jaro_winkler,
    likely_matches,
)

BORN = date(1980, 3, 4)


def person(id=1, first="William", last="Smith", born=BORN, **fields) -> Candidate:
    return Candidate(id=id, first_name=first, last_name=last, date_of_birth=born, **fields)


NEW = person(id=0)


def score(new: Candidate, old: Candidate) -> int:
    return compare(new, old).score


# Folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zoë O'Brien-Smyth", "zoe o brien smyth"),
        ("  JOSÉ  ", "jose"),
        ("Siobhán Ní Bhriain", "siobhan ni bhriain"),
        ("Łukasz Żółć", "lukasz zolc"),
        ("Søren Bjørn", "soren bjorn"),
        ("Straße", "strasse"),
        ("Mary--Jane__Smith!!", "mary jane smith"),
        ("Jose\u0301", "jose"),  # an accent typed as a separate combining mark
        ("Anne 2nd", "anne 2nd"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_it_folds_names_for_comparison(text, folded):
    assert fold(text) == folded


@given(st.text())
def test_it_folds_to_a_stable_tidy_form(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.casefold()


# Distances


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("smith", "smith", 0),
        ("smith", "smyth", 1),
        ("smith", "smiht", 1),  # two neighbours swapped is one edit
        ("smith", "smit", 1),
        ("smith", "smithe", 1),
        ("ca", "abc", 3),  # optimal string alignment: no edit of an edited part
        ("", "abc", 3),
        ("brown", "braun", 2),
    ],
)
def test_it_counts_edits(a, b, distance):
    assert damerau_levenshtein(a, b) == distance
    assert damerau_levenshtein(b, a) == distance


def test_it_gives_the_published_jaro_winkler_similarities():
    assert round(jaro_winkler("martha", "marhta"), 3) == 0.961
    assert round(jaro_winkler("dwayne", "duane"), 3) == 0.840
    assert round(jaro_winkler("dixon", "dicksonx"), 3) == 0.813
    assert jaro_winkler("smith", "smith") == 1.0
    assert jaro_winkler("abc", "xyz") == 0.0
    assert jaro_winkler("", "smith") == 0.0


names = st.text(alphabet="abcdeo", max_size=9)


@given(names, names)
def test_it_measures_distance_and_similarity_consistently(a, b):
    distance = damerau_levenshtein(a, b)
    assert distance == damerau_levenshtein(b, a)
    assert (distance == 0) == (a == b)
    assert distance <= max(len(a), len(b))
    similarity = jaro_winkler(a, b)
    assert 0.0 <= similarity <= 1.0
    assert (similarity == 1.0) == (a == b)
    assert similarity == pytest.approx(jaro_winkler(b, a))


# First names


def test_it_has_a_useful_table_of_name_forms():
    assert len(NICKNAME_GROUPS) >= 40
    for group in NICKNAME_GROUPS:
        assert len(set(group)) == len(group) >= 2, group
        for form in group:
            assert fold(form) == form, form


# Scoring one pair


def test_it_scores_the_same_name_and_date_of_birth_highest():
    match = compare(NEW, person())
    assert match == Match(1, 95, ("same first name", "same surname", "same date of birth"))


def test_it_matches_a_nickname():
    match = compare(person(first="Bill"), person(first="William"))
    assert match.score >= 80
    assert "first name Bill is another form of William" in match.reasons
    match = compare(person(first="Bill"), person(first="Will"))
    assert match.score >= 80
    assert "first names Bill and Will are both forms of William" in match.reasons


def test_it_matches_a_surname_spelt_differently():
    match = compare(person(last="Smyth"), person(last="Smith"))
    assert match.score >= 75
    assert "surname spelt differently (Smyth / Smith)" in match.reasons
    assert score(person(last="Philipps"), person(last="Phillips")) >= 75
    # Two letters apart makes a different short surname.
    assert score(person(last="Brown"), person(last="Braun")) < 60


def test_it_matches_swapped_names():
    match = compare(person(first="Smith", last="William"), person())
    assert match.score >= 80
    assert match.reasons[0] == "first and last names swapped"
    nickname = compare(person(first="Smith", last="Bill"), person())
    assert nickname.score >= 80
    assert "name Bill is another form of William" in nickname.reasons


def test_it_ignores_accents_and_punctuation():
    match = compare(person(first="José", last="O'Brien"), person(first="Jose", last="OBrien"))
    assert match.score >= 90
    assert match.reasons == ("same first name", "same surname", "same date of birth")


def test_it_matches_day_and_month_swapped():
    match = compare(NEW, person(born=date(1980, 4, 3)))
    assert match.score >= 80
    assert "same date of birth with day and month swapped" in match.reasons


def test_it_forgives_one_slip_in_a_date_of_birth_but_not_a_different_date():
    assert score(NEW, person(born=date(1980, 3, 14))) >= 75
    assert score(NEW, person(born=date(1981, 3, 4))) >= 75
    assert score(NEW, person(born=date(1980, 9, 21))) < 60


def test_it_lets_a_shared_identifier_override_different_names():
    nhs = frozenset({"NHS:9434765919"})
    match = compare(person(identifiers=nhs), person(first="Mary", last="Jones", identifiers=nhs))
    assert match.score == 100
    assert match.reasons[0] == "same NHS number"
    ni = frozenset({"NI:AB123456C", "CHAIN:12345"})
    both = compare(person(identifiers=ni), person(first="Zed", born=None, identifiers=ni))
    assert both.score == 100
    assert both.reasons[:2] == ("same CHAIN number", "same National Insurance number")


def test_it_lowers_the_score_for_different_national_insurance_numbers():
    match = compare(
        person(identifiers=frozenset({"NI:AB123456C"})),
        person(identifiers=frozenset({"NI:AB123456D"})),
    )
    assert 60 <= match.score < 90
    assert "different National Insurance numbers" in match.reasons


def test_it_gives_the_same_names_without_dates_of_birth_a_middling_score():
    assert 60 <= score(person(born=None), person(born=None)) <= 70
    assert 60 <= score(NEW, person(born=None)) <= 70


def test_it_uses_an_estimated_year_of_birth():
    estimated = person(born=None, birth_year=1980)
    match = compare(NEW, estimated)
    assert 70 <= match.score < 90
    assert "same year of birth (at least one is estimated)" in match.reasons
    assert score(NEW, person(born=None, birth_year=1982)) == score(NEW, person(born=None))
    assert score(NEW, person(born=None, birth_year=1990)) < 60


def test_it_keeps_people_with_the_same_name_born_years_apart_below_the_threshold():
    assert score(NEW, person(born=date(1990, 3, 4))) < 60
    assert score(NEW, person(born=date(1955, 11, 30))) < 60


def test_it_keeps_strangers_born_on_the_same_day_low():
    assert score(NEW, person(first="Anna", last="Jones")) < 40


def test_it_does_not_take_twins_for_one_person():
    assert score(NEW, person(first="Peter")) < 60


def test_it_matches_other_names():
    married = person(first="Jane", last="Jones", other_names=("Smith",))
    match = compare(person(first="Jane", last="Smith"), married)
    assert match.score >= 90
    assert match.reasons[0] == "using their other name Smith"
    preferred = person(first="Robert", other_names=("Bob",))
    assert score(person(first="Bob"), preferred) >= 90
    full_name = person(first="Aisha", last="Khan", other_names=("Mary Smith",))
    assert score(person(first="Mary", last="Smith"), full_name) >= 90
    new_with_other_name = person(first="Jane", last="Smith", other_names=("Jones",))
    match = compare(new_with_other_name, person(first="Jane", last="Jones"))
    assert match.score >= 90
    assert match.reasons[0] == "using the other name given, Jones"


def test_it_prefers_the_recorded_names_when_other_names_agree_as_well():
    match = compare(NEW, person(other_names=("William Smith",)))
    assert not any(reason.startswith("using") for reason in match.reasons)


def test_it_gives_an_initial_some_weight():
    match = compare(person(first="W"), person())
    assert 60 <= match.score < 90
    assert "first name initial matches (W / William)" in match.reasons


def test_it_matches_one_of_several_first_names():
    match = compare(person(first="Mary Jane"), person(first="Jane"))
    assert match.score >= 80
    assert "first name Jane is part of Mary Jane" in match.reasons
    both = compare(person(first="Mary Jane"), person(first="Mary Ann"))
    assert "first names share Mary (Mary Jane / Mary Ann)" in both.reasons


def test_it_matches_part_of_a_double_barrelled_surname():
    match = compare(NEW, person(last="Smith-Jones"))
    assert match.score >= 75
    assert "surname Smith is part of Smith-Jones" in match.reasons


# Choosing the likely matches


def test_it_orders_by_score_then_id_and_applies_threshold_and_limit():
    candidates = [
        person(id=5, first="Bill"),
        person(id=3, last="Smyth"),
        person(id=9),
        person(id=2),
        person(id=7, born=None),
        person(id=4, first="Anna", last="Jones"),
    ]
    matches = likely_matches(NEW, candidates)
    assert [m.candidate_id for m in matches] == [2, 9, 5, 3, 7]
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert [m.candidate_id for m in likely_matches(NEW, candidates, threshold=90)] == [2, 9, 5]
    assert [m.candidate_id for m in likely_matches(NEW, candidates, limit=2)] == [2, 9]
    assert likely_matches(NEW, candidates, limit=0) == []
    assert [m.candidate_id for m in likely_matches(NEW, candidates, threshold=0)][-1] == 4
    with pytest.raises(ValueError):
        likely_matches(NEW, candidates, limit=-1)


def test_it_counts_a_candidate_fetched_twice_once():
    twice = [person(id=3), person(id=3)]
    assert likely_matches(NEW, iter(twice)) == [compare(NEW, person(id=3))]


def test_it_finds_nothing_for_unrelated_people():
    unrelated = [
        person(id=1, first="Anna", last="Jones"),
        person(id=2, first="Priya", last="Patel", born=date(1999, 12, 1)),
        person(id=3, first="Peter", last="Smith", born=date(1960, 1, 1)),
        person(id=4, first="William", last="Smith", born=date(2001, 7, 9)),
        person(id=5, first="Mohammed", last="Ali", born=None),
    ]
    assert likely_matches(NEW, unrelated) == []
    assert likely_matches(NEW, []) == []


# Blocking keys


def test_it_makes_blocking_keys_from_name_prefixes_and_forms():
    assert candidate_keys("William", "Smith") == {"sm|wi", "bi|sm", "li|sm"}
    assert candidate_keys("Zoë", "O'Brien-Smyth") >= {"ob|zo", "br|zo", "sm|zo"}
    assert candidate_keys("", "") == set()
    assert candidate_keys("", "Smith") == {"|sm"}


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (("Bill", "Smith"), ("William", "Smith")),
        (("Bill", "Smith"), ("Will", "Smith")),
        (("Smith", "William"), ("William", "Smith")),
        (("Smith", "Bill"), ("William", "Smith")),
        (("William", "Smith"), ("Smith", "Bill")),
        (("José", "Smyth"), ("Jose", "Smith")),
        (("Jane", "Jones"), ("Jane", "Smith-Jones")),
        (("Mary Jane", "Smith"), ("Jane", "Smith")),
    ],
)
def test_it_gives_likely_matches_a_shared_key(new, old):
    assert candidate_keys(*new) & candidate_keys(*old)


def test_it_includes_other_names_in_a_candidates_keys():
    married = person(first="Jane", last="Jones", other_names=("Smith", "Janie Brown"))
    keys = candidate_keys_for(married)
    assert {"ja|jo", "ja|sm", "br|ja"} <= keys
    assert candidate_keys("Jane", "Smith") & keys


first_name_forms = st.sampled_from(sorted({form for group in NICKNAME_GROUPS for form in group}))
surnames = st.sampled_from(["Smith", "O'Brien", "Patel", "Nowak", "Ní Bhriain", "Jones"])


@given(first=first_name_forms, last=surnames, data=st.data())
def test_it_gives_every_form_of_a_name_a_shared_key_either_way_round(first, last, data):
    groups = [group for group in NICKNAME_GROUPS if first in group]
    other_form = data.draw(st.sampled_from(sorted({form for group in groups for form in group})))
    keys = candidate_keys(first, last)
    assert keys & candidate_keys(other_form, last)
    assert keys & candidate_keys(last, other_form)


# Properties of the score


people = st.builds(
    Candidate,
    id=st.integers(1, 50),
    first_name=st.sampled_from(["William", "Bill", "Will", "Jon", "Jonathon", "Jonathan", "J", ""]),
    last_name=st.sampled_from(["Smith", "Smyth", "Smith-Jones", "William", "Jon", ""]),
    other_names=st.lists(st.sampled_from(["Bob", "Smith", "Mary Smith"]), max_size=2).map(tuple),
    date_of_birth=st.one_of(st.none(), st.dates(date(1979, 1, 1), date(1981, 12, 31))),
    birth_year=st.one_of(st.none(), st.integers(1975, 1985)),
    identifiers=st.sets(st.sampled_from(["NI:AB123456C", "NI:AB123456D", "NHS:9434765919"])).map(
        frozenset
    ),
)


@given(people, people)
def test_it_scores_within_range_and_the_same_either_way_round(a, b):
    match = compare(a, b)
    assert 0 <= match.score <= 100
    assert match.candidate_id == b.id
    assert len(set(match.reasons)) == len(match.reasons)
    assert compare(b, a).score == match.score


@given(people)
def test_it_scores_a_record_against_itself_highly(a):
    named_and_born = a.first_name and a.last_name and a.date_of_birth
    assert score(a, a) >= (90 if named_and_born else 0)
