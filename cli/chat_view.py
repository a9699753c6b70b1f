"""What `timeline-import` prints: the roles used, the events added (or that a dry run would add),
and every line it could not read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from postmortem.chat.messages import ChatImportError, Unparsed
from postmortem.chat.to_timeline import ImportReport
from postmortem.models import TimelineEvent

MAX_LISTED_UNPARSED = 20


def roles_option(pairs: Sequence[str]) -> dict[str, str]:
    """--role USER=ROLE options as {user (case-folded): role}."""
    roles = {}
    for pair in pairs:
        user, sep, role = pair.partition("=")
        if not sep or not user.strip() or not role.strip():
            raise ChatImportError(
                f"--role {pair!r} is not USER=ROLE (e.g. --role priya='Incident commander')."
            )
        roles[user.strip().casefold()] = role.strip()
    return roles


def apply_role_options(
    defaults: Mapping[str, str], people: Mapping[str, str], given: Mapping[str, str]
) -> dict[str, str]:
    """The default roles with each --role applied; USER matches a key or a display name."""
    roles = dict(defaults)
    used = set()
    for key, display in people.items():
        for spelling in (key.casefold(), display.casefold()):
            if spelling in given:
                roles[key] = given[spelling]
                used.add(spelling)
    unknown = sorted(set(given) - used)
    if unknown:
        raise ChatImportError(
            f"--role {unknown[0]}: nobody of that name in this chat; "
            f"it has: {', '.join(list(people.values())[:10])}."
        )
    return roles


def _when(event: TimelineEvent) -> str:
    return event.at.strftime("%Y-%m-%d %H:%M:%S")


def format_text(
    events: Sequence[TimelineEvent],
    report: ImportReport,
    people: Mapping[str, str],
    roles: Mapping[str, str],
    unparsed: Sequence[Unparsed],
    dry_run: bool,
    clean,
) -> str:
    lines = ["Roles (names stay out of the timeline):"]
    lines += [f"  {clean(display)} -> {clean(roles[key])}" for key, display in people.items()]
    lines.append("Events" + (" that would be added:" if dry_run else " added:"))
    lines += [f"  {_when(e)}  {clean(e.actor_role)}: {clean(e.text)}" for e in events] or ["  (none)"]
    verb = "Would add" if dry_run else "Added"
    lines.append(
        f"{verb} {report.added} events; {report.duplicates} already in the timeline; "
        f"{report.noise_skipped} joins, leaves, bot messages and notices left out" + ("" if dry_run else ".")
    )
    if dry_run:
        lines[-1] += " (dry run: nothing was saved)."
    if unparsed:
        lines.append(f"{len(unparsed)} lines could not be read:")
        lines += [f"  {u.where}: {clean(u.text)[:100]}" for u in unparsed[:MAX_LISTED_UNPARSED]]
        if len(unparsed) > MAX_LISTED_UNPARSED:
            lines.append(f"  … and {len(unparsed) - MAX_LISTED_UNPARSED} more (--json lists them all)")
    return "\n".join(lines)


def as_json(
    events: Sequence[TimelineEvent],
    report: ImportReport,
    roles: Mapping[str, str],
    people: Mapping[str, str],
    unparsed: Sequence[Unparsed],
    dry_run: bool,
    version: int | None,
) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "version": version,
        "added": report.added,
        "duplicates": report.duplicates,
        "noise_skipped": report.noise_skipped,
        "roles": {people[k]: roles[k] for k in people},
        "events": [e.model_dump(mode="json") for e in events],
        "unparsed": [{"where": u.where, "text": u.text, "reason": u.reason} for u in unparsed],
    }
