"""Blameless-language checks over every narrative field, with rules as data (rules/language.toml).

`check(doc)` returns findings: where (field path and character span), which rule, why it matters
and a rewrite that names a system property. Teams extend the rules by adding tables to the TOML
file or by passing their own file to `load_rules`. Names come from the contacts table.

Each field's context (code, links, headings, questions, quotes: language_context) is read once,
and rules that depend on who acts ask language_subject for the clause's subject. A finding blocks
Final only when its rule is sure; the others are suggestions. Overlaps are removed by a sweep, so a
field is checked in time linear in its length.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from postmortem.errors import DebriefError
from postmortem.language_context import KINDS, Context
from postmortem.language_subject import subject_of
from postmortem.models import ContactKind, PostMortem

RULES_FILE = Path(__file__).resolve().parent / "rules" / "language.toml"
CATEGORIES = ("names", "should_have", "counterfactual", "human_error", "hindsight")
CATEGORY_TITLES = {
    "names": "Names in the narrative",
    "should_have": "Should have",
    "counterfactual": "Counterfactual",
    "human_error": "Human error as a cause",
    "hindsight": "Hindsight certainty",
}
_LOOKAROUND = 40  # characters before/after a match that unless_before/unless_after see


class RulesError(DebriefError, ValueError):
    """A rules file that cannot be used: the message names the rule and the problem."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    pattern: re.Pattern[str]
    why: str
    rewrite: str
    blocking: bool = True
    unless_before: re.Pattern[str] | None = None
    unless_after: re.Pattern[str] | None = None
    skip_fields: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # lower-case words; the rule runs only if one occurs in the text
    when_before: re.Pattern[str] | None = None  # must match the text just before the match
    person_source: str = ""  # when_before with {person} left open, so contact names can join it
    skip_in: frozenset[str] = frozenset({"code", "url"})  # contexts where the rule never fires
    subject: str = ""  # "person": the verb's subject decides (see severity_for)
    on_system: str = "skip"  # with a system as subject: "skip" the match or "suggest" (never blocking)
    system_behaviour: re.Pattern[str] | None = None  # with a system subject, these words mean "skip"

    def severity_for(self, subject: str, matched: str) -> str | None:
        """ "block", "suggest" or None: sure only when a person or role is the subject."""
        if not self.subject or subject == "person":
            return "block" if self.blocking else "suggest"
        if subject == "unknown":
            return "suggest"
        if self.on_system == "suggest" and not (
            self.system_behaviour and self.system_behaviour.search(matched)
        ):
            return "suggest"
        return None

    def applies_to(self, path: str) -> bool:
        return not any(fnmatch.fnmatchcase(path, glob) for glob in self.skip_fields)

    def may_match(self, present: set[str]) -> bool:
        return not self.requires or not present.isdisjoint(self.requires)

    def subject_for(self, names: tuple[str, ...]) -> re.Pattern[str] | None:
        """when_before, with the document's person names counted as people ("Priya failed to")."""
        if not names or not self.person_source:
            return self.when_before
        return _with_names(self.person_source, names)


@lru_cache(maxsize=64)
def _with_names(source: str, names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(source.replace("{person}", "|".join(re.escape(n) for n in names)), re.IGNORECASE)


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key for _check_cached
class Rules:
    rules: tuple[Rule, ...]
    names_why: str
    names_rewrite: str
    non_person_handles: frozenset[str]
    non_person_mailboxes: re.Pattern[str]
    required_words: tuple[str, ...] = ()  # every rule's `requires`, looked for once per text

    def candidates(self, text: str, names: tuple[str, ...]) -> list[Rule]:
        """The rules that can match `text`, in file order: most texts need few regexes or none."""
        lowered = text.lower()
        words = {w for w in self.required_words if w in lowered}  # substring tests beat one big regex
        if not words:
            return [r for r in self.rules if not r.requires]
        return [r for r in self.rules if r.may_match(words)]


@dataclass(frozen=True)
class Finding:
    path: str  # dotted path with list indices, as postmortem.edit uses
    start: int
    end: int
    text: str  # the matched words
    rule: str
    category: str
    why: str
    rewrite: str
    blocking: bool = True
    key: str = ""  # stable across reorders and unrelated edits: what a dismissal refers to

    def to_json(self) -> dict:
        return asdict(self)


# --- loading rules ---------------------------------------------------------------------------

_REQUIRED = ("id", "category", "pattern", "why", "rewrite")
_KNOWN = set(_REQUIRED) | {
    "blocking",
    "unless_before",
    "unless_after",
    "skip_fields",
    "case_sensitive",
    "requires",
    "when_before",
    "skip_in",
    "subject",
    "on_system",
}


def _compile(rule_id: str, source: str, flags: int) -> re.Pattern[str]:
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise RulesError(f"rule {rule_id!r}: the pattern is not a valid regular expression ({exc})") from exc


def _participle(vocab: dict) -> str:
    irregular = "|".join(re.escape(w) for w in vocab.get("irregular_participles", []))
    return rf"(?:[\w-]+ed|\w+en|{irregular})" if irregular else r"(?:[\w-]+ed|\w+en)"


# A system's own behaviour: the verb has no object ("the queue should have drained within a minute";
# not "should have rotated logs", where someone rotates), or the sentence says it happens by itself.
_BEHAVIOUR = (
    r"\b(?:{words})\b(?=\s*(?:[.,;:!?)\n]|$)|\s+(?:within|in|after|before|at|by|on|once|when|as|again"
    r"|back|up|down|over|out|itself|automatically|instead)\b)|\b(?:automatically|by\s+itself|on\s+its\s+own)\b"
)


def _rule(raw: dict, vocab: dict) -> Rule:
    rule_id = str(raw.get("id", "?"))
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if missing:
        raise RulesError(f"rule {rule_id!r}: missing {', '.join(missing)}")
    unknown = set(raw) - _KNOWN
    if unknown:
        raise RulesError(f"rule {rule_id!r}: unknown key(s) {', '.join(sorted(unknown))}")
    if raw["category"] not in CATEGORIES:
        raise RulesError(f"rule {rule_id!r}: category must be one of {', '.join(CATEGORIES)}")
    flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
    person = "|".join(vocab.get("person_subjects", [])) or r"(?!)"
    source = raw["pattern"].replace("{participle}", _participle(vocab)).replace("{person}", person)
    before = raw.get("when_before", "")
    skip_in = frozenset(raw.get("skip_in", ("url",))) | {"code"}  # code is never checked
    if skip_in - set(KINDS):
        raise RulesError(f"rule {rule_id!r}: skip_in takes {', '.join(KINDS)}")
    if raw.get("subject", "person") != "person" or raw.get("on_system", "skip") not in ("skip", "suggest"):
        raise RulesError(f'rule {rule_id!r}: subject must be "person" and on_system "skip" or "suggest"')
    behaviour = "|".join(vocab.get("system_behaviour", []))
    return Rule(
        id=rule_id,
        category=raw["category"],
        pattern=_compile(rule_id, source, flags),
        why=raw["why"],
        rewrite=raw["rewrite"],
        blocking=bool(raw.get("blocking", True)),
        unless_before=_compile(rule_id, raw["unless_before"], re.IGNORECASE)
        if raw.get("unless_before")
        else None,
        unless_after=_compile(rule_id, raw["unless_after"], re.IGNORECASE)
        if raw.get("unless_after")
        else None,
        skip_fields=tuple(raw.get("skip_fields", ())),
        requires=tuple(w.lower() for w in raw.get("requires", ())),
        when_before=_compile(rule_id, before.replace("{person}", person), re.IGNORECASE) if before else None,
        person_source=before.replace("{person}", person + "|{person}") if "{person}" in before else "",
        skip_in=skip_in,
        subject=raw.get("subject", ""),
        on_system=raw.get("on_system", "skip"),
        system_behaviour=_compile(rule_id, _BEHAVIOUR.format(words=behaviour), re.IGNORECASE)
        if behaviour
        else None,
    )


def parse_rules(text: str) -> Rules:
    """Rules from TOML text; raises RulesError naming the first unusable rule."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"the rules file is not valid TOML: {exc}") from exc
    vocab = data.get("vocab", {})
    rules = tuple(_rule(raw, vocab) for raw in data.get("rules", []))
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RulesError(f"rule id(s) used twice: {', '.join(duplicates)}")
    names = data.get("names", {})
    words = sorted({w for r in rules for w in r.requires}, key=len, reverse=True)
    mailboxes = "|".join(vocab.get("non_person_mailboxes", [])) or r"(?!)"
    return Rules(
        rules=rules,
        names_why=names.get("why", "A named person in the narrative turns a review into a verdict."),
        names_rewrite=names.get("rewrite", "Refer to the role, not the person."),
        non_person_handles=frozenset(h.lower() for h in vocab.get("non_person_handles", [])),
        non_person_mailboxes=re.compile(rf"^(?:{mailboxes})$", re.IGNORECASE),
        required_words=tuple(words),
    )


def load_rules(path: Path = RULES_FILE) -> Rules:
    return _load_rules_cached(str(path))


@lru_cache(maxsize=8)
def _load_rules_cached(path: str) -> Rules:
    return parse_rules(Path(path).read_text(encoding="utf-8"))


# --- names from the contacts table -----------------------------------------------------------

# Name parts that are also ordinary words are matched only with their capital letter and never as
# the first word of a sentence ("Will the alert fire?", "Mark the anchor").
_COMMON_WORDS = frozenset(
    [
        "will",
        "mark",
        "grant",
        "may",
        "bill",
        "rose",
        "june",
        "april",
        "august",
        "hope",
        "joy",
        "faith",
        "art",
        "dawn",
        "sky",
        "summer",
        "autumn",
        "ray",
        "rich",
        "chase",
        "hunter",
        "cash",
        "page",
        "case",
        "lane",
        "park",
        "hall",
        "king",
        "rock",
        "storm",
        "river",
        "forest",
        "cliff",
        "jack",
        "nick",
        "pat",
        "sue",
        "frank",
        "gene",
        "drew",
        "chip",
        "dash",
        "max",
        "miles",
        "sterling",
        "victor",
        "young",
        "white",
        "black",
        "brown",
        "green",
        "gray",
        "grey",
        "long",
        "short",
        "little",
        "small",
        "ward",
        "wood",
        "woods",
        "stone",
        "ford",
        "bell",
        "bush",
        "reed",
    ]
)


@lru_cache(maxsize=64)
def _name_parts(contacts_names: tuple[str, ...]) -> tuple[str, ...]:
    parts: set[str] = set()
    for name in contacts_names:
        name = name.strip()
        parts.add(name)
        parts.update(p.strip(".,") for p in name.split() if len(p.strip(".,")) >= 2)
    # A part with no letter is never a name: "Contact 10 Example" must not make every "10" a person.
    named = (p for p in parts if any(c.isalpha() for c in p))
    return tuple(sorted(named, key=len, reverse=True))  # longest first: "Priya Raman" before "Priya"


@lru_cache(maxsize=64)
def _names_pattern(parts: tuple[str, ...]) -> re.Pattern[str] | None:
    if not parts:
        return None
    alternatives = "|".join(re.escape(p) for p in parts)
    # Case-insensitive: chat logs write people's names in lower case ("<paladox>"); the capital
    # letter is still required for name parts that are ordinary words (see _name_findings).
    return re.compile(rf"(?<![\w@.-])(?:{alternatives})(?:['’]s)?(?![\w-]|@\w|\.[\w.-]*+@)", re.IGNORECASE)


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?:\n"“'


_ACTS_LIKE_A_NAME = re.compile(r"\s+(?:[\w-]+ed\b|and\b|was\b|is\b|said\b|took\b|ran\b|saw\b|[A-Z])")


def _name_findings(
    path: str, text: str, parts: tuple[str, ...], rules: Rules, ctx: Context
) -> Iterator[Finding]:
    pattern = _names_pattern(parts)
    if pattern is None:
        return
    for match in pattern.finditer(text):
        if ctx.in_any(match.start(), match.end(), ("code", "url")):
            continue
        word = match.group(0).removesuffix("'s").removesuffix("’s")
        if word not in parts and any(w.lower() in _COMMON_WORDS for w in word.split()):
            continue  # "will", "mark": ordinary words unless written as the name is
        if (
            word.lower() in _COMMON_WORDS
            and _at_sentence_start(text, match.start())
            and not _ACTS_LIKE_A_NAME.match(text, match.end())
        ):
            continue
        yield Finding(
            path,
            match.start(),
            match.end(),
            match.group(0),
            "contact-name",
            "names",
            rules.names_why,
            rules.names_rewrite,
        )


# --- checking ---------------------------------------------------------------------------------


def _applies(rule: Rule, path: str) -> bool:
    return not rule.skip_fields or _applies_cached(rule.skip_fields, path)


_INDEX = re.compile(r"\.\d+")


@lru_cache(maxsize=4096)
def _generic(path: str) -> str:
    return _INDEX.sub(".0", path)  # rules and the cache see "timeline.0.text" for every event


@lru_cache(maxsize=1024)
def _applies_cached(skip: tuple[str, ...], path: str) -> bool:
    return not any(fnmatch.fnmatchcase(path, glob) for glob in skip)


def _excluded(rule: Rule, text: str, match: re.Match[str], rules: Rules, names: tuple[str, ...]) -> bool:
    subject = rule.subject_for(names)
    if subject and not subject.search(text[max(0, match.start() - _LOOKAROUND) : match.start()]):
        return True
    if rule.unless_before and rule.unless_before.search(
        text[max(0, match.start() - _LOOKAROUND) : match.start()]
    ):
        return True
    if rule.unless_after and rule.unless_after.search(text[match.end() : match.end() + _LOOKAROUND]):
        return True
    if rule.id == "handle" and (
        match.group(0)[1:].lower() in rules.non_person_handles or text.startswith("/", match.end())
    ):  # an npm scope, not a person
        return True
    return bool(rule.id == "email" and rules.non_person_mailboxes.match(match.group(0).split("@")[0]))


def _present(parts: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The name parts the text holds, in any case: substring tests are cheap, regexes are not."""
    lowered = text.lower()
    return tuple(p for p in parts if p.lower() in lowered)


def check_text(
    text: str, *, path: str = "text", names: Iterable[str] = (), rules: Rules | None = None
) -> list[Finding]:
    """Findings in one piece of text, spans relative to it; overlapping findings keep the first rule."""
    if not text:
        return []
    parts = _name_parts(tuple(names))
    present = _present(parts, text)
    generic = _generic(path)
    found = _check_cached(text, generic, present, rules or load_rules())
    return [replace(f, path=path) for f in found] if generic != path else list(found)


@lru_cache(maxsize=8192)
def _check_cached(text: str, path: str, present: tuple[str, ...], rules: Rules) -> tuple[Finding, ...]:
    # Keyed by the text itself: while the author types in one field, every other field is a hit.
    ctx = Context.of(text)  # once per field: every rule asks it where a match stands
    names = frozenset(present)
    by_rule: list[list[Finding]] = [list(_name_findings(path, text, present, rules, ctx)) if present else []]
    for rule in rules.candidates(text, present):
        if not _applies(rule, path):
            continue
        by_rule.append(list(_rule_findings(rule, path, text, ctx, rules, present, names)))
    return tuple(without_overlaps(by_rule))


def _rule_findings(
    rule: Rule,
    path: str,
    text: str,
    ctx: Context,
    rules: Rules,
    present: tuple[str, ...],
    names: frozenset[str],
) -> Iterator[Finding]:
    for match in rule.pattern.finditer(text):
        start, end = match.span()
        if (
            end == start
            or ctx.in_any(start, end, rule.skip_in)
            or _excluded(rule, text, match, rules, present)
        ):
            continue
        subject = subject_of(text, start, names) if rule.subject else "person"
        severity = rule.severity_for(subject, text[start : end + 25])
        if severity is None:
            continue
        yield Finding(
            path,
            start,
            end,
            match.group(0),
            rule.id,
            rule.category,
            rule.why,
            rule.rewrite,
            severity == "block",
        )


_sweep_steps = 0  # comparisons made by the last without_overlaps call: tests check it grows linearly


def without_overlaps(by_rule: list[list[Finding]]) -> list[Finding]:
    """One finding per stretch of text, earlier rule first; a name may overlap a phrase (both need fixing).

    Each rule's matches are sorted and disjoint (finditer), so each is merged into the kept ones of
    its group by one sweep: time linear in the findings, however many there are.
    """
    global _sweep_steps
    _sweep_steps = 0
    groups: dict[bool, list[Finding]] = {True: [], False: []}  # names, everything else
    for found in by_rule:
        for is_name in (True, False):
            new = [f for f in found if (f.category == "names") is is_name]
            if new:
                groups[is_name] = _merge(groups[is_name], new)
    return sorted(groups[True] + groups[False], key=_by_span)


_by_span = attrgetter("start", "end")


def _merge(kept: list[Finding], new: list[Finding]) -> list[Finding]:
    """kept ∪ the new findings that overlap none of kept; both lists sorted and disjoint."""
    global _sweep_steps
    out: list[Finding] = []
    i = 0
    for finding in new:
        while i < len(kept) and kept[i].end <= finding.start:
            out.append(kept[i])
            i += 1
            _sweep_steps += 1
        _sweep_steps += 1
        if i == len(kept) or kept[i].start >= finding.end:
            out.append(finding)
    out.extend(kept[i:])
    _sweep_steps += len(kept) - i
    return out


def sweep_steps() -> int:
    return _sweep_steps


SUGGESTED_ONLY = ("attachments.",)  # paths whose findings are suggestions: captions and alt text


def narrative_fields(doc: PostMortem) -> Iterator[tuple[str, str, str]]:
    """(path, stable key, text) for every narrative field; not contacts, owners, tickets or links."""
    yield "header.title", "header.title", doc.header.title
    yield "summary", "summary", doc.summary
    yield "impact.description", "impact.description", doc.impact.description
    yield "impact.public_communication", "impact.public_communication", doc.impact.public_communication
    yield "impact.regulatory.notes", "impact.regulatory.notes", doc.impact.regulatory.notes
    for i, event in enumerate(doc.timeline):
        yield f"timeline.{i}.text", f"timeline[{event.id}].text", event.text
        if event.decision:
            yield f"timeline.{i}.decision.options", f"timeline[{event.id}].options", event.decision.options
            yield (
                f"timeline.{i}.decision.information_available",
                f"timeline[{event.id}].information",
                event.decision.information_available,
            )
    for i, interview in enumerate(doc.interviews):
        yield f"interviews.{i}.notes", f"interviews[{interview.id}].notes", interview.notes
        for j, row in enumerate(interview.rows):
            for part in ("observed", "did", "knew"):
                yield f"interviews.{i}.rows.{j}.{part}", f"interviews[{row.id}].{part}", getattr(row, part)
    for section in ("went_well", "went_wrong", "lessons", "where_we_got_lucky"):
        for i, note in enumerate(getattr(doc, section)):
            yield f"{section}.{i}.text", f"{section}[{note.id}].text", note.text
    for i, factor in enumerate(doc.contributing_factors):
        yield f"contributing_factors.{i}.text", f"contributing_factors[{factor.id}].text", factor.text
        yield (
            f"contributing_factors.{i}.accepted_rationale",
            f"contributing_factors[{factor.id}].rationale",
            factor.accepted_rationale,
        )
    rca = doc.root_cause
    yield "root_cause.statement", "root_cause.statement", rca.statement
    yield "root_cause.five_whys.problem", "root_cause.problem", rca.five_whys.problem
    yield "root_cause.five_whys.stop_reason", "root_cause.stop_reason", rca.five_whys.stop_reason
    for i, step in enumerate(rca.five_whys.steps):
        yield f"root_cause.five_whys.steps.{i}.question", f"why[{step.id}].question", step.question
        yield f"root_cause.five_whys.steps.{i}.answer", f"why[{step.id}].answer", step.answer
    for i, item in enumerate(doc.action_items):
        yield f"action_items.{i}.title", f"action_items[{item.id}].title", item.title
        yield (
            f"action_items.{i}.acceptance_criteria",
            f"action_items[{item.id}].criteria",
            item.acceptance_criteria,
        )
    for i, part in enumerate(doc.imported):  # text kept as written by a Markdown import
        yield f"imported.{i}.text", f"imported[{part.id}].text", part.text
    for i, attachment in enumerate(doc.attachments):  # a caption is read as narrative, and so is alt text
        yield f"attachments.{i}.caption", f"attachments[{attachment.id}].caption", attachment.caption
        yield f"attachments.{i}.alt", f"attachments[{attachment.id}].alt", attachment.alt


def person_names(doc: PostMortem) -> list[str]:
    return [c.name for c in doc.contacts if c.kind is ContactKind.PERSON]


def check(doc: PostMortem, rules: Rules | None = None, extra_names: Iterable[str] = ()) -> list[Finding]:
    """Every finding in the document's narrative, in reading order."""
    rules = rules or load_rules()
    parts = _name_parts(tuple(person_names(doc) + list(extra_names)))
    found: list[Finding] = []
    for path, stable, text in narrative_fields(doc):
        if not text:
            continue
        present = _present(parts, text) if parts else ()
        # Unchanged texts are cache hits, so a rerun after typing in one field rechecks only that field.
        # A line under a picture is suggested a rewrite, never held against Final on its own.
        suggest_only = path.startswith(SUGGESTED_ONLY)
        for f in _check_cached(text, _generic(path), present, rules):
            found.append(
                replace(
                    f,
                    path=path,
                    key=f"{stable}|{f.rule}|{f.text.lower()}",
                    blocking=f.blocking and not suggest_only,
                )
            )
    return found


def _with_key(finding: Finding, key: str) -> Finding:
    return replace(finding, key=key)


def categories_in(findings: Iterable[Finding]) -> set[str]:
    return {f.category for f in findings}


def clear_cache() -> None:
    """Forget checked texts (benchmarks measure a cold check with it)."""
    _check_cached.cache_clear()
