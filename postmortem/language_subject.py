"""Who a verb is about: a person or role ("the on-call", "we", a contact), a system, or unknown.

Rule-only (measured against spaCy on both corpora: tests/data/language_real/README.md): the
subject of "forgot", "failed to", "should have" is the first noun phrase of the clause the verb
stands in. The clause is read in a bounded window, so the cost per finding is constant and the
check stays linear in the text; its cost is a figure of `python -m bench language`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Subject = Literal["person", "system", "unknown"]

_WINDOW = 100  # characters before the verb; a subject further away is read as "unknown" or "system"
# Words and the punctuation that ends a clause, found by one simple pass over the window.
# A single line break inside a paragraph is a soft wrap; a blank line or a list item ends the clause.
_PIECE = re.compile(r"@?\w[\w'’.-]*|[.!?;:()\[\]“”\"]|,(?=\s)|\s[-–—]\s|\n[ \t]*(?=\n|[-*+>#|]|\d+[.)])")
# Conjunctions that begin a new clause, and with it a new subject.
_BREAK_WORDS = frozenset(
    [
        "and",
        "but",
        "because",
        "so",
        "when",
        "while",
        "after",
        "before",
        "until",
        "although",
        "though",
        "since",
        "as",
        "if",
        "unless",
        "whether",
        "then",
        "which",
        "who",
        "whom",
        "where",
        "once",
        "or",
    ]
)
# Words between a subject and its verb that are not the subject.
_SKIP = frozenset(
    [
        "not",
        "never",
        "also",
        "still",
        "just",
        "already",
        "then",
        "really",
        "all",
        "both",
        "each",
        "simply",
        "probably",
        "likely",
        "clearly",
        "obviously",
        "definitely",
        "certainly",
        "perhaps",
        "maybe",
        "only",
        "even",
        "ever",
        "again",
        "actually",
        "apparently",
        "initially",
        "eventually",
        "have",
        "has",
        "had",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "did",
        "does",
        "do",
        "would",
        "could",
        "should",
        "must",
        "might",
        "may",
        "will",
        "can",
        "ought",
        "to",
        "n't",
        "shall",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "for",
        "of",
        "in",
        "on",
        "at",
        "from",
        "with",
        "by",
        "about",
        "into",
        "during",
        "under",
        "over",
        "to",
        "via",
        "per",
        "than",
        "within",
    ]
)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "our",
        "their",
        "my",
        "your",
        "his",
        "her",
        "its",
        "some",
        "any",
        "every",
        "no",
    ]
)
PERSON_WORDS = frozenset(
    [
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "everyone",
        "everybody",
        "nobody",
        "one",
        "us",
        "me",
        "him",
        "them",
        "engineer",
        "engineers",
        "operator",
        "operators",
        "developer",
        "developers",
        "dev",
        "devs",
        "sre",
        "sres",
        "dba",
        "dbas",
        "admin",
        "admins",
        "administrator",
        "administrators",
        "sysadmin",
        "sysadmins",
        "reviewer",
        "reviewers",
        "author",
        "authors",
        "ic",
        "commander",
        "lead",
        "leads",
        "manager",
        "managers",
        "deployer",
        "deployers",
        "responder",
        "responders",
        "on-call",
        "oncall",
        "on-caller",
        "maintainer",
        "maintainers",
        "volunteer",
        "volunteers",
        "member",
        "members",
        "staff",
        "team",
        "teams",
        "person",
        "people",
        "human",
        "humans",
        "employee",
        "employees",
        "colleague",
        "colleagues",
        "contractor",
        "contractors",
        "owner",
        "owners",
        "analyst",
        "analysts",
        "technician",
        "technicians",
        "consultant",
        "tester",
        "testers",
        "qa",
        "ops",
        "devops",
        "crew",
        "shift",
        "officer",
    ]
)


def clause_before(window: str) -> tuple[list[str], str]:
    """The words of the clause that ends the window, and what opened it."""
    words: list[str] = []
    opener = ""
    for piece in reversed(_PIECE.findall(window)):
        if piece.lower() in _BREAK_WORDS or not (piece[0].isalnum() or piece[0] in "@_"):
            opener = piece.lower()
            break
        words.append(piece)
    words.reverse()
    return words, opener


def _is_person(token: str, names: frozenset[str]) -> bool:
    word = token.lower().rstrip(".,").removesuffix("'s").removesuffix("’s")
    return word in PERSON_WORDS or token.startswith("@") or word in names


def subject_of(text: str, start: int, names: frozenset[str] = frozenset()) -> Subject:
    """Person, system or unknown, for the verb that starts at `start`."""
    return _subject_of_window(text[max(0, start - _WINDOW) : start], names)


@lru_cache(maxsize=4096)  # a pure function of the window: repeated phrasing is read once
def _subject_of_window(window: str, names: frozenset[str]) -> Subject:
    names = frozenset(n.lower() for n in names)  # contact name parts; chat logs write them in lower case
    tokens, opener = clause_before(window)
    if any(a.lower() == "no" and b.lower() == "one" for a, b in zip(tokens, tokens[1:], strict=False)):
        return "person"  # "no one forgot"
    while tokens and (tokens[-1].lower() in _SKIP or _adverb(tokens[-1])):
        tokens.pop()
    if not tokens:
        # A relative clause's subject is its pronoun: "the file, which could have been edited".
        return {"which": "system", "who": "person", "whom": "person"}.get(opener, "unknown")
    # The clause's first noun phrase is its subject: "the fix from the Android team could have"
    # is about the fix. Only a clause that opens with a preposition falls back to the last word.
    head = _first_phrase_head(tokens) or tokens[-1]
    return "person" if _is_person(head, names) else "system"


def _adverb(token: str) -> bool:
    word = token.lower()
    return (
        len(word) > 4
        and word.endswith("ly")
        and word not in {"only", "family", "supply", "reply", "assembly"}
    )


def _first_phrase_head(tokens: list[str]) -> str:
    """The last word of the clause's first noun phrase ("the on-call engineer for payments" → engineer)."""
    phrase: list[str] = []
    for token in tokens:
        word = token.lower()
        if word in _PREPOSITIONS or word in _SKIP:
            if phrase:
                break
            continue
        if word in _DETERMINERS and not phrase:
            continue
        phrase.append(token)
    return phrase[-1] if phrase else ""
