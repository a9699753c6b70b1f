"""Commands about the post-mortems themselves: new, list, show, schema, demo, revisions, delete, restore."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import click

import storage
from cli.database import find, opened
from cli.options import EnumChoice, key_argument, runtime, shared_options
from cli.output import created, print_json, report_created
from cli.text import plain
from cli.views import format_list, format_revisions, format_summary
from postmortem.demo import demo_documents
from postmortem.demo_history import history_documents
from postmortem.models import PostMortem, Severity, TriggerKind, new_postmortem


@click.command("new", help="Create a blank post-mortem draft.")
@shared_options()
@click.option("--title", required=True, help="what happened, in a few words")
@click.option("--incident-id", help="e.g. INC-2026-0042 (default: the next free ID for this year)")
@click.option(
    "--severity",
    type=EnumChoice(Severity),
    default=Severity.SEV2.value,
    help=f"one of: {', '.join(Severity)} (default: Sev2)",
)
@click.option(
    "--trigger",
    type=EnumChoice(TriggerKind),
    default=TriggerKind.OUTAGE.value,
    help=f"what kind of incident: {', '.join(TriggerKind)} (default: outage)",
)
def new(title: str, incident_id: str | None, severity: Severity, trigger: TriggerKind) -> None:
    rt = runtime()
    with opened(rt) as db:
        incident_id = incident_id or storage.next_incident_id(db=db, year=datetime.now(UTC).year)
        doc = new_postmortem(incident_id, title, severity=severity, trigger=trigger)
        stored = storage.create(db=db, doc=doc)
    report_created(rt, stored)


@click.command("list", help="List post-mortems, most recently changed first.")
@shared_options()
@click.option("--deleted", is_flag=True, help="list the bin instead")
def list_(deleted: bool) -> None:
    rt = runtime()
    with opened(rt) as db:
        rows = storage.list_documents(db=db, deleted=deleted)
    if rt.json:
        print_json([asdict(row) for row in rows])
    else:
        print(format_list(rows, deleted=deleted, prog=click.get_current_context().find_root().info_name))


@click.command("show", help="Show one post-mortem as a readable summary, or as JSON with --json.")
@shared_options()
@key_argument
def show(key: str) -> None:
    rt = runtime()
    with opened(rt) as db:
        stored = find(db, key)
    if rt.json:
        print(stored.doc.model_dump_json(indent=2))
    else:
        country = rt.settings.holidays_country
        print(format_summary(stored.doc, stored.id, stored.version, stored.updated_at, country))


@click.command("schema", help="Print the JSON Schema of the post-mortem document.")
@shared_options(with_json=False)
def schema() -> None:
    print_json(PostMortem.model_json_schema())


@click.command("demo", help="Load three example post-mortems, skipping any whose incident ID already exists.")
@shared_options()
@click.option(
    "--history",
    is_flag=True,
    help="also load 40 short post-mortems spread over the last two years, for the Learning page",
)
def demo(history: bool) -> None:
    rt = runtime()
    results = []
    with opened(rt) as db:
        country = rt.settings.holidays_country
        older = history_documents(datetime.now(UTC).date(), country=country) if history else []
        for doc in [*demo_documents(), *older]:
            try:
                results.append({**created(storage.create(db=db, doc=doc)), "created": True})
            except storage.DuplicateError:
                header = doc.header
                results.append(
                    {"id": None, "incident_id": header.incident_id, "title": header.title, "created": False}
                )
    if rt.json:
        print_json(results)
        return
    for r in results:
        if r["created"]:
            print(f"Created #{r['id']} {r['incident_id']}: {r['title']}")
        else:
            print(f"Skipped {r['incident_id']}: a post-mortem with this incident ID already exists.")


@click.command("revisions", help="List every saved version of one post-mortem, newest first.")
@shared_options()
@key_argument
def revisions(key: str) -> None:
    rt = runtime()
    with opened(rt) as db:
        rows = storage.revisions(db=db, doc_id=find(db, key).id)
    if rt.json:
        print_json([asdict(row) for row in rows])
    else:
        print(format_revisions(rows))


@click.command("delete", help="Move a post-mortem to the bin (nothing is erased; 'restore' brings it back).")
@shared_options(with_json=False)
@key_argument
def delete(key: str) -> None:
    with opened(runtime()) as db:
        stored = storage.find(db=db, key=key, include_deleted=True)
        label = f"#{stored.id} {plain(stored.doc.header.incident_id)}"
        if stored.deleted_at:
            print(f"{label} is already in the bin.")
            return
        storage.delete(db=db, doc_id=stored.id)
    print(f"Moved {label} to the bin; 'restore {stored.id}' brings it back.")


@click.command("restore", help="Bring a post-mortem back from the bin.")
@shared_options(with_json=False)
@key_argument
def restore(key: str) -> None:
    with opened(runtime()) as db:
        stored = storage.find(db=db, key=key, include_deleted=True)
        label = f"#{stored.id} {plain(stored.doc.header.incident_id)}"
        if not stored.deleted_at:
            print(f"{label} is not in the bin; nothing to restore.")
            return
        storage.undelete(db=db, doc_id=stored.id)
    print(f"Restored {label}.")
