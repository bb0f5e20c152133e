"""Likely duplicates among the people Keywork supports.

Before a worker saves a new person, and for each row of an import, Keywork looks for people
already recorded who may be the same person, so that nobody ends up with two records and
half a history in each. Everything here is a pure function over plain data: the caller
fetches the candidates and decides what to show.

How a caller uses it:

1. Keep blocking keys for every person in an indexed table (person id, key), written
   from candidate_keys_for(candidate) whenever the person's names change. The keys
   include nickname forms, so a change to NICKNAME_GROUPS means rebuilding every key.
2. For a new record (or an import row), build a Candidate and fetch the people who
   share any of its keys, plus those who share any identifier or the exact date of
   birth. Keys are only the first two letters of names, so they miss a typo in those
   letters; identifiers and the date of birth find most of what they miss.
3. Build a Candidate for each (leaving out the record itself when editing) and call
   likely_matches(new, candidates). Show each Match's reasons to the worker, who decides.

Scores run from 0 to 100. Any shared identifier scores 100. Otherwise the score adds up
what the names and dates of birth say, roughly:

    same names and date of birth                         95
    nickname, same surname and date of birth             91
    names swapped, same date of birth                    90
    same first name and date of birth, surname typo      86
    same names, no date of birth to compare              65
    same names, dates of birth years apart               40
    same surname and date of birth, other first name     55 (twins, usually)
    different names, same date of birth                  15

so the default threshold of 60 shows the first five and hides the rest.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# Letters that NFKD leaves whole because they are letters in their own right rather than
# a letter with an accent; records and systems often spell them without.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_NON_ALPHANUMERIC = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case without accents, each run of anything but letters and digits one space:
    "Zoë O'Brien-Smyth" becomes "zoe o brien smyth"."""
    # Decomposed before and after case folding: compatibility forms such as "𝕬" only
    # become letters that fold once decomposed, and folding can add marks ("İ" to "i̇").
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    unaccented = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALPHANUMERIC.sub(" ", unaccented.translate(_LETTERS_WITHOUT_DECOMPOSITION)).strip()


# Forms of common first names in the UK and Ireland, the formal name first. A name can be
# in several groups (Harry is short for Harold and for Henry) without making those
# groups' names equivalent to each other: Harold and Henry are different people.
_NAME_FORMS = (
    "william bill billy will willie willy liam",
    "robert bob bobby rob robbie bert bertie",
    "elizabeth liz lizzie lizzy beth betty bess bessie betsy eliza libby elsie elspeth",
    "margaret maggie mags peggy peg meg madge marge margie greta rita",
    "megan meg",
    "james jim jimmy jimmie jamie",
    "seamus shamus jamie",
    "michael mick micky mickey mike mikey",
    "catherine katherine kathryn katharine kate katie katy cathy kathy cath kath kat kitty kay",
    "kathleen kath kathy kate katie kay",
    "anthony antony tony ant",
    "stephen steven steve stevie",
    "stephanie steph stephie",
    "jonathan jon jonny john johnny jack",
    "john jon johnny jonny jack jock",
    "patrick pat paddy padraig",
    "patricia pat patsy patty trish tricia trisha",
    "christopher chris kit",
    "christine christina chris chrissie chrissy tina kirsty kirstie",
    "thomas tom tommy",
    "daniel dan danny",
    "joseph joe joey",
    "josephine jo josie",
    "joanne joanna joan jo",
    "richard rich richie rick ricky dick dickie",
    "edward ed eddie eddy ted teddy ned",
    "theodore theo ted teddy",
    "alexander alex alec sandy",
    "alexandra alex alexa lexi sasha",
    "sandra sandy sandi",
    "rebecca becky becca bex",
    "susan sue susie suzie suzy susanna susannah suzanne",
    "jennifer jenny jen jenni",
    "deborah debra debbie deb debs",
    "samuel sam sammy",
    "samantha sam sammie sammy",
    "nicholas nick nicky nic",
    "nicola nicky nikki nic",
    "matthew matt matty",
    "andrew andy drew",
    "david dave davey davie dai dafydd dewi",
    "peter pete",
    "charles charlie chas chaz chuck",
    "charlotte charlie lottie",
    "victoria vicky vicki vikki vic tori",
    "abigail abby abbie abi gail",
    "benjamin ben benny benji",
    "frederick fred freddie freddy",
    "alfred alf alfie fred freddie",
    "harold harry",
    "henry harry hal hank",
    "kenneth ken kenny",
    "lawrence laurence larry laurie lawrie",
    "gerald gerard gerry jerry ged",
    "geraldine gerry geri gerri",
    "jeremy jerry jez",
    "terence terrence terry tel",
    "philip phillip phil pip",
    "sean shaun shawn shane",
    "mary molly polly mae maire mamie",
    "ann anne anna annie nan nancy",
    "sarah sara sally sal sadie",
    "helen helena ellen nell nellie",
    "eleanor elinor ellie nell nellie nora norah",
    "jacqueline jackie jacqui jacky",
    "gregory greg",
    "timothy tim timmy",
    "geoffrey jeffrey geoff jeff",
    "raymond ray",
    "ronald ron ronnie",
    "donald don donnie",
    "douglas doug dougie",
    "leonard len lenny leo",
    "stanley stan",
    "albert al bert bertie alby",
    "francis frank frankie fran",
    "frances fran frankie fanny",
    "martin marty",
    "vincent vince vinny",
    "walter walt wally",
    "arthur art artie",
    "oliver ollie olly",
    "nathan nathaniel nat nate",
    "natalie nat natty",
    "natasha tasha tash nat",
    "zachary zach zack zak",
    "jacob jake",
    "joshua josh",
    "gareth gaz",
    "gary garry gaz",
    "barry baz",
    "darren daz",
    "caroline carol carrie caz",
    "amanda mandy",
    "kimberley kimberly kim",
    "jessica jess jessie",
    "emma em emmy",
    "emily em emmy milly",
    "amelia millie milly amy",
    "isabel isabelle isobel izzy issy bella",
    "gillian jillian gill jill gilly",
    "dorothy dot dottie dolly dora",
    "florence flo florrie flossie",
    "theresa teresa tess tessa terri",
    "louise louisa lou",
    "lewis louis lou",
    "valerie val",
    "pamela pam",
    "beverley beverly bev",
    "leslie lesley les",
    "reginald reg reggie",
    "roderick rod roddy",
    "rodney rod",
    "dominic dom",
    "sebastian seb",
    "maximilian max",
    "maxwell max",
    "tobias toby",
    "ian iain",
    "neil neal niall",
    "stuart stewart stu",
    "callum calum cal",
    "rhys reece reese rees",
    "eoin owen eoghan",
    "ciaran kieran kieron",
    "conor connor",
    "aidan aiden aodhan",
    "brian bryan",
    "niamh neve neave",
    "dermot diarmuid",
    "mohammed muhammad mohammad mohamed muhammed mohamad mo",
    "ahmed ahmad",
)
NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = tuple(tuple(forms.split()) for forms in _NAME_FORMS)

_GROUPS_OF: dict[str, frozenset[int]] = {}
for _index, _group in enumerate(NICKNAME_GROUPS):
    for _form in _group:
        _GROUPS_OF[_form] = _GROUPS_OF.get(_form, frozenset()) | {_index}
del _index, _group, _form


def damerau_levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) that turn a into b.

    The optimal string alignment variant: no part of the string is edited twice. That is
    enough for typos, and needs three rows in memory rather than the whole table."""
    if a == b:
        return 0
    if not a or not b:
        return len(a) + len(b)
    before_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before_previous[j - 2] + 1)
        before_previous, previous = previous, current
    return previous[-1]


def jaro_winkler(a: str, b: str) -> float:
    """Similarity from 0 (nothing in common) to 1 (the same), favouring a shared start,
    where names are least often mistyped."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(len(a), len(b)) // 2 - 1
    a_matched = [False] * len(a)
    b_matched = [False] * len(b)
    matches = 0
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_matched[j] and b[j] == char:
                a_matched[i] = b_matched[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    a_order = [char for char, matched in zip(a, a_matched, strict=True) if matched]
    b_order = [char for char, matched in zip(b, b_matched, strict=True) if matched]
    half_transpositions = sum(x != y for x, y in zip(a_order, b_order, strict=True))
    jaro = (matches / len(a) + matches / len(b) + (matches - half_transpositions / 2) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


@dataclass(frozen=True)
class Candidate:
    """A person as matching sees them. Identifiers are normalised and prefixed with their
    scheme, like "NI:AB123456C", "NHS:9434765919" or "CHAIN:12345". other_names holds
    preferred and previous names, each either a single name or a full name."""

    id: int
    first_name: str
    last_name: str
    other_names: tuple[str, ...] = ()
    date_of_birth: date | None = None
    birth_year: int | None = None  # when only an estimated age is known
    identifiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    candidate_id: int
    score: int  # 0 to 100
    reasons: tuple[str, ...]  # plain English for the worker deciding


# Points each kind of agreement adds.
_FIRST_NAME_POINTS = {"same": 30, "nickname": 26, "part": 24, "typo": 22, "initial": 12}
_SURNAME_POINTS = {"same": 35, "typo": 26, "part": 22}
_DIFFERENT_FIRST_NAME = -10
_DIFFERENT_SURNAME = -5
_SHARED_IDENTIFIER = 100
# A person has one of each of these, so two different numbers are two people, unless
# one was mistyped: enough to lower the score, not to hide a strong match.
_ONE_PER_PERSON = ("NI", "NHS")
_DIFFERENT_IDENTIFIER = -20
_IDENTIFIER_NAMES = {
    "NI": "National Insurance number",
    "NHS": "NHS number",
    "CHAIN": "CHAIN number",
}


@dataclass(frozen=True)
class _Name:
    raw: str
    compact: str  # folded without spaces, so "O'Brien" and "OBrien" agree
    tokens: tuple[str, ...]  # folded words
    shown: tuple[str, ...]  # each word as written, for reasons


@lru_cache(maxsize=8192)
def _name(raw: str) -> _Name:
    raw = raw.strip()
    folded = fold(raw)
    tokens = tuple(folded.split())
    as_written = tuple(
        word for word in _NON_ALPHANUMERIC.split(unicodedata.normalize("NFC", raw)) if word
    )
    if len(as_written) != len(tokens):
        as_written = tuple(token.title() for token in tokens)
    return _Name(raw=raw, compact=folded.replace(" ", ""), tokens=tokens, shown=as_written)


@dataclass(frozen=True)
class _Relation:
    kind: str  # same, nickname, part, typo or initial
    reason: str


_RANK = ("same", "nickname", "part", "typo")


def _nickname_reason(label: str, a: str, a_shown: str, b: str, b_shown: str) -> str:
    groups = [NICKNAME_GROUPS[index] for index in sorted(_GROUPS_OF[a] & _GROUPS_OF[b])]
    for group in groups:
        if group[0] == a:
            return f"{label} {b_shown} is another form of {a_shown}"
        if group[0] == b:
            return f"{label} {a_shown} is another form of {b_shown}"
    return f"{label}s {a_shown} and {b_shown} are both forms of {groups[0][0].title()}"


def _first_name_kind(a: str, b: str) -> str | None:
    if a == b:
        return "same"
    if _GROUPS_OF.get(a, frozenset()) & _GROUPS_OF.get(b, frozenset()):
        return "nickname"
    if min(len(a), len(b)) >= 5 and damerau_levenshtein(a, b) == 1:
        return "typo"
    return None


def _first_name_relation(
    a: _Name, b: _Name, label: str = "first name", initials: bool = True
) -> _Relation | None:
    if not a.compact or not b.compact:
        return None
    if a.compact == b.compact:
        return _Relation("same", f"same {label}")
    if initials and min(len(a.compact), len(b.compact)) == 1 and a.compact[0] == b.compact[0]:
        return _Relation("initial", f"{label} initial matches ({a.raw} / {b.raw})")
    whole = len(a.tokens) == 1 and len(b.tokens) == 1
    best: tuple[int, _Relation] | None = None
    for a_token, a_shown in zip(a.tokens, a.shown, strict=True):
        for b_token, b_shown in zip(b.tokens, b.shown, strict=True):
            kind = _first_name_kind(a_token, b_token)
            if kind is None or (best and _RANK.index(kind) >= best[0]):
                continue
            if kind == "same":
                # Whole names differ, so this is one of several names: "Mary" in "Mary Jane".
                shorter, longer = sorted((a, b), key=lambda name: len(name.tokens))
                if set(shorter.tokens) < set(longer.tokens):
                    reason = f"{label} {shorter.raw} is part of {longer.raw}"
                else:
                    reason = f"{label}s share {a_shown} ({a.raw} / {b.raw})"
                relation = _Relation("part", reason)
            elif kind == "nickname":
                relation = _Relation(
                    kind,
                    _nickname_reason(
                        label,
                        a_token,
                        a.raw if whole else a_shown,
                        b_token,
                        b.raw if whole else b_shown,
                    ),
                )
            else:
                relation = _Relation(kind, f"{label} spelt differently ({a.raw} / {b.raw})")
            best = (_RANK.index(relation.kind), relation)
    if best is None and not whole and _first_name_kind(a.compact, b.compact) == "typo":
        return _Relation("typo", f"{label} spelt differently ({a.raw} / {b.raw})")
    return best[1] if best else None


def _surname_kind(a: str, b: str) -> str | None:
    if a == b:
        return "same"
    distance = damerau_levenshtein(a, b)
    if distance == 1 and max(len(a), len(b)) >= 4:
        return "typo"
    # Two edits make a different short name (Brown, Braun); in a longer name with the
    # same start they are usually one name misheard (Phillips, Philipps).
    if distance == 2 and min(len(a), len(b)) >= 5 and jaro_winkler(a, b) >= 0.9:
        return "typo"
    return None


def _surname_relation(a: _Name, b: _Name) -> _Relation | None:
    if not a.compact or not b.compact:
        return None
    if a.compact == b.compact:
        return _Relation("same", "same surname")
    shorter, longer = sorted((a, b), key=lambda name: len(name.tokens))
    if len(shorter.compact) >= 3 and set(shorter.tokens) < set(longer.tokens):
        return _Relation("part", f"surname {shorter.raw} is part of {longer.raw}")
    if _surname_kind(a.compact, b.compact) == "typo":
        return _Relation("typo", f"surname spelt differently ({a.raw} / {b.raw})")
    return None


@dataclass(frozen=True)
class _NameVariant:
    first: _Name
    last: _Name
    other_name: str | None  # the other name this variant comes from


def _name_variants(person: Candidate) -> Iterator[_NameVariant]:
    """The person's own names, then each other name in the places it could stand: a
    single word as a first name or as a surname, several words as a full name or as a
    surname of several words."""
    first, last = _name(person.first_name), _name(person.last_name)
    yield _NameVariant(first, last, None)
    for raw in person.other_names:
        other = _name(raw)
        if not other.compact:
            continue
        words = other.raw.split()
        if len(words) > 1:
            # The first word as the first name: "Mary-Jane Smith" is Mary-Jane, Smith.
            yield _NameVariant(_name(words[0]), _name(" ".join(words[1:])), other.raw)
            yield _NameVariant(first, other, other.raw)
        else:
            yield _NameVariant(other, last, other.raw)
            yield _NameVariant(first, other, other.raw)


def _straight_names(new: _NameVariant, old: _NameVariant) -> tuple[int, list[str]]:
    points, reasons = 0, []
    first = _first_name_relation(new.first, old.first)
    if first:
        points += _FIRST_NAME_POINTS[first.kind]
        reasons.append(first.reason)
    elif new.first.compact and old.first.compact:
        points += _DIFFERENT_FIRST_NAME
        reasons.append(f"different first name ({new.first.raw} / {old.first.raw})")
    last = _surname_relation(new.last, old.last)
    if last:
        points += _SURNAME_POINTS[last.kind]
        reasons.append(last.reason)
    elif new.last.compact and old.last.compact:
        points += _DIFFERENT_SURNAME
        reasons.append(f"different surname ({new.last.raw} / {old.last.raw})")
    return points, reasons


def _swapped_names(new: _NameVariant, old: _NameVariant) -> tuple[int, list[str]] | None:
    # Forms and first-name typos both ways, because the first name is one side of each
    # pair. Worth a little less than the same names the right way round.
    one = _first_name_relation(new.first, old.last, label="name", initials=False)
    other = _first_name_relation(new.last, old.first, label="name", initials=False)
    if not one or not other:
        return None
    reasons = ["first and last names swapped"]
    reasons += [relation.reason for relation in (one, other) if relation.kind != "same"]
    return _FIRST_NAME_POINTS[one.kind] + _FIRST_NAME_POINTS[other.kind], reasons


def _names(new: Candidate, old: Candidate) -> tuple[int, list[str]]:
    points, reasons = _names_compared(
        (new.first_name, new.last_name, new.other_names),
        (old.first_name, old.last_name, old.other_names),
    )
    return points, list(reasons)


Names = tuple[str, str, tuple[str, ...]]


# The names alone decide this part of a match, and the same names come up again and
# again (an import of 10,000 rows against 30,000 people with common names compares
# "John Smith" with "Jon Smyth" thousands of times): each pair is worked out once.
@lru_cache(maxsize=100_000)
def _names_compared(new_names: Names, old_names: Names) -> tuple[int, tuple[str, ...]]:
    new = Candidate(0, new_names[0], new_names[1], new_names[2])
    old = Candidate(0, old_names[0], old_names[1], old_names[2])
    best: tuple[int, list[str]] | None = None
    for new_variant in _name_variants(new):
        for old_variant in _name_variants(old):
            for result in (
                _straight_names(new_variant, old_variant),
                _swapped_names(new_variant, old_variant),
            ):
                # Strictly better only, so the names as recorded win a tie.
                if result is None or (best is not None and result[0] <= best[0]):
                    continue
                reasons = list(result[1])
                if old_variant.other_name:
                    reasons.insert(0, f"using their other name {old_variant.other_name}")
                if new_variant.other_name:
                    reasons.insert(0, f"using the other name given, {new_variant.other_name}")
                best = (result[0], reasons)
    assert best is not None  # the recorded names always give a result
    return best[0], tuple(best[1])


def _dates_of_birth(a: date, b: date) -> tuple[int, str]:
    if a == b:
        return 30, "same date of birth"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 22, "same date of birth with day and month swapped"
    if abs(a.year - b.year) > 1:
        return -25, "different date of birth"
    same_parts = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    if same_parts == 2:
        # One part out, and the year by one at most: a slip of the keyboard.
        return 12, "date of birth nearly the same"
    return -15, "different date of birth"


def _birth(new: Candidate, old: Candidate) -> tuple[int, str | None]:
    if new.date_of_birth and old.date_of_birth:
        return _dates_of_birth(new.date_of_birth, old.date_of_birth)
    new_year = new.date_of_birth.year if new.date_of_birth else new.birth_year
    old_year = old.date_of_birth.year if old.date_of_birth else old.birth_year
    if new_year is None or old_year is None:
        return 0, None
    gap = abs(new_year - old_year)
    if gap == 0:
        return 10, "same year of birth (at least one is estimated)"
    # Estimated ages are rough, so only a wide gap counts against.
    if gap <= 2:
        return 0, None
    return -15, "years of birth far apart"


def _scheme(identifier: str) -> str:
    scheme, separator, _ = identifier.partition(":")
    return scheme.upper() if separator else ""


def _identifier_name(scheme: str) -> str:
    return _IDENTIFIER_NAMES.get(scheme, f"{scheme} reference" if scheme else "reference")


def compare(new: Candidate, old: Candidate) -> Match:
    """How likely old is the same person as new, and why."""
    shared = sorted(new.identifiers & old.identifiers)
    reasons = [f"same {_identifier_name(_scheme(identifier))}" for identifier in shared]
    points, name_reasons = _names(new, old)
    reasons += name_reasons
    birth_points, birth_reason = _birth(new, old)
    points += birth_points
    if birth_reason:
        reasons.append(birth_reason)
    if shared:
        points = _SHARED_IDENTIFIER
    elif new.identifiers and old.identifiers:
        for scheme in _ONE_PER_PERSON:
            new_numbers = {i for i in new.identifiers if _scheme(i) == scheme}
            old_numbers = {i for i in old.identifiers if _scheme(i) == scheme}
            if new_numbers and old_numbers:
                points += _DIFFERENT_IDENTIFIER
                reasons.append(f"different {_identifier_name(scheme)}s")
    return Match(
        candidate_id=old.id, score=max(0, min(100, points)), reasons=tuple(dict.fromkeys(reasons))
    )


def likely_matches(
    new: Candidate, candidates: Iterable[Candidate], threshold: int = 60, limit: int = 10
) -> list[Match]:
    """The candidates scoring at least threshold against new, best first, then by id,
    at most limit of them. A candidate given twice (fetched by two queries) counts once."""
    if limit < 0:
        raise ValueError("limit cannot be negative")
    best: dict[int, Match] = {}
    for candidate in candidates:
        match = compare(new, candidate)
        if match.score >= threshold and (
            candidate.id not in best or match.score > best[candidate.id].score
        ):
            best[candidate.id] = match
    return sorted(best.values(), key=lambda match: (-match.score, match.candidate_id))[:limit]


def _prefixes(words: Iterable[str]) -> set[str]:
    return {word[:2] for word in words if word}


def candidate_keys(first_name: str, last_name: str) -> set[str]:
    """Blocking keys for one name: two people who may be the same person share a key.

    Each key pairs the first two letters of the surname (whole, and of each word in it)
    with the first two letters of the first name or any form of it (Bill gives "bi", "wi"
    and "li" for William and Liam). The pair is in alphabetical order, so "John Smith"
    and "Smith John" give the same key. A missing first name or surname is an empty
    prefix, so "Smith" alone shares a key only with others missing a first name. Empty
    when there is no name at all."""
    first, last = _name(first_name), _name(last_name)
    if not first.compact and not last.compact:
        return set()
    first_forms = {first.compact, *first.tokens}
    for token in first.tokens:
        for index in _GROUPS_OF.get(token, ()):
            first_forms.update(NICKNAME_GROUPS[index])
    first_prefixes = _prefixes(first_forms) or {""}
    last_prefixes = _prefixes({last.compact, *last.tokens}) or {""}
    return {
        "|".join(sorted((first_prefix, last_prefix)))
        for first_prefix in first_prefixes
        for last_prefix in last_prefixes
    }


def candidate_keys_for(candidate: Candidate) -> set[str]:
    """The keys of every name the candidate has, other names included: what to store for
    each person and what to look up for a new one."""
    keys: set[str] = set()
    for variant in _name_variants(candidate):
        keys |= candidate_keys(variant.first.raw, variant.last.raw)
    return keys
