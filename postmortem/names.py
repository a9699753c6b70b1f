"""People named in narrative text, replaced by their roles for readers who may not see names.

Names belong in the contacts table (and the action-item owner column). When someone writes
"Priya restarted the pool" in the timeline anyway, every audience that may not see names reads
"Incident commander restarted the pool": each person contact's name, first or last name alone,
handle and e-mail address becomes that contact's role; any other @handle or e-mail address becomes
"a responder". Code spans and fenced code are left alone except for known contacts (a `user@host`
or `@Override` in code is not a person), and so are package names such as `@scope/pkg`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from typing import Any

from pydantic import BaseModel

from postmortem.models import ContactKind, PostMortem

RESPONDER = "a responder"
# Keys whose values are not narrative: ids, the tables that may hold names, enum-like fields.
_SKIPPED_KEYS = frozenset(
    {"id", "incident_id", "contacts", "sign_offs", "owner", "origin_key", "key", "schema_version", "url"}
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A handle: @ at the start of a word, not an e-mail's @, not a package scope (@scope/pkg).
_HANDLE = r"(?<![\w@./`])@[A-Za-z0-9][\w.-]*(?<![.-])(?![\w/@])"
# The look-behind makes an address start at a word's start: without it every position inside a long
# word would be tried again (quadratic in the word's length).
_UNKNOWN = re.compile(f"(?<![\\w.+-]){_EMAIL}|{_HANDLE}")
_CODE = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)
_NAME_PART = re.compile(r"[^\W\d_][\w'’-]*")


def _spellings(name: str, contact: str) -> tuple[list[str], list[str]]:
    """How a contact may be written: (any case) the full name and the handles or e-mail addresses in
    its contact; (as capitalised in the name) each part of three letters or more. Parts match only
    capitalised, so "Will" or "Mark" as a name does not take "will" or "mark" out of every sentence,
    and shorter parts like "Li" are left alone (they would hit ordinary words)."""
    whole = [name.strip(), *re.findall(f"{_EMAIL}|@[A-Za-z0-9][\\w.-]*", contact)]
    if "@" in contact and not contact.startswith("@"):
        local = contact.split("@", 1)[0].strip()
        whole += [f"@{local}"] if re.fullmatch(r"[\w.-]+", local) else []
    parts = [part for part in _NAME_PART.findall(name) if len(part) >= 3 and part[0].isupper()]
    return [s for s in whole if len(s) >= 2], parts


def replacer_for(doc: PostMortem) -> Callable[[str], str]:
    """A function replacing the people of `doc` (and unknown handles and e-mails) in one text."""
    return _replacer([c.model_dump(mode="json") for c in doc.contacts])


def _replacer(contacts: list[dict]) -> Callable[[str], str]:
    any_case: dict[str, str] = {}  # casefolded spelling -> role
    exact: dict[str, str] = {}
    for contact in contacts:
        if contact.get("kind", ContactKind.PERSON.value) != ContactKind.PERSON.value:
            continue
        role = (contact.get("role") or "").strip() or (contact.get("team") or "").strip() or RESPONDER
        whole, parts = _spellings(contact.get("name") or "", contact.get("contact") or "")
        for spelling in whole:
            any_case.setdefault(spelling.casefold(), role)
        for part in parts:
            exact.setdefault(part, role)
    known = None
    if any_case or exact:
        # Longest first ("Priya Raman" before "Priya"); (?i:...) scopes ignoring case to whole spellings.
        words = sorted([(w, True) for w in any_case] + [(w, False) for w in exact], key=lambda w: -len(w[0]))
        alternatives = "|".join(f"(?i:{re.escape(w)})" if ignore else re.escape(w) for w, ignore in words)
        known = re.compile(rf"(?<![\w@.])(?:{alternatives})(?![\w@])")

    def role_of(match: re.Match[str]) -> str:
        return exact.get(match.group(0)) or any_case[match.group(0).casefold()]

    # A plain search for any spelling first: most texts name nobody, and the look-arounds and scoped
    # flags of `known` make it several times slower to run over text that holds none of them.
    anywhere = re.compile("|".join(re.escape(w.casefold()) for w in [*any_case, *exact])) if known else None

    def known_only(text: str) -> str:
        if anywhere is None or not anywhere.search(text.casefold()):
            return text
        return known.sub(role_of, text)

    def prose(text: str) -> str:
        text = known_only(text)
        return _UNKNOWN.sub(RESPONDER, text) if "@" in text else text

    def replace(text: str) -> str:
        if "@" not in text and known is None:
            return text
        out, last = [], 0
        for match in _CODE.finditer(text):
            out += [prose(text[last : match.start()]), known_only(match.group(0))]
            last = match.end()
        out.append(prose(text[last:]))
        return "".join(out)

    return replace


def scrub(value: Any, replace: Callable[[str], str]) -> Any:
    """`value` (a document's plain data) with `replace` applied to every narrative string."""
    if isinstance(value, str) and not isinstance(value, Enum):
        return replace(value)
    if isinstance(value, list):
        return [scrub(item, replace) for item in value]
    if isinstance(value, dict):
        return {k: v if k in _SKIPPED_KEYS else scrub(v, replace) for k, v in value.items()}
    return value


def data_without_names(data: dict) -> dict:
    """A document's JSON data with people in narrative replaced by roles (for the search index)."""
    return scrub(data, _replacer([c for c in data.get("contacts") or [] if isinstance(c, dict)]))


def without_names_in_text(doc: PostMortem) -> PostMortem:
    """The document with every person in narrative fields replaced by their role; the contacts
    table, owners and sign-offs are left for the caller's audience rules."""
    return _scrub_model(doc, replacer_for(doc))


def _scrub_model(model: BaseModel, replace: Callable[[str], str]) -> BaseModel:
    """Like `scrub`, on models: copies without validating again, since a role may be longer than the
    name it replaces and an export must not fail on a title that grew past its limit."""
    changed = {}
    for key, value in model.__dict__.items():
        if key in _SKIPPED_KEYS:
            continue
        new = _scrub_value(value, replace)
        if new is not value:
            changed[key] = new
    return model.model_copy(update=changed) if changed else model


def _scrub_value(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str) and not isinstance(value, Enum):
        new = replace(value)
        return value if new == value else new
    if isinstance(value, BaseModel):
        return _scrub_model(value, replace)
    if isinstance(value, list):
        items = [_scrub_value(item, replace) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value
