"""Chat messages into the timeline: roles instead of names, no duplicates on re-import, and the
`timeline-import` command."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from chat_samples import slack_export_bytes
from cli_helpers import main
from hypothesis import given, settings
from hypothesis import strategies as st

import storage
from postmortem import chat
from postmortem.chat.to_timeline import default_roles, import_messages
from postmortem.models import EventKind, EventSource, TimelineEvent, new_postmortem

DATA = Path(__file__).parent / "data" / "chat"


@pytest.fixture
def parsed() -> chat.ParseResult:
    return chat.parse_file(io.BytesIO(slack_export_bytes()), "e.zip", channels=["inc-checkout"])


def roles_for(result, **given):
    return {**default_roles(result.messages, names=result.names), **given}


def test_events_carry_roles_not_names(parsed):
    roles = roles_for(parsed, U02TOMB="Payments on-call")
    doc, report = import_messages(new_postmortem("INC-1", "t"), parsed.messages, roles, names=parsed.names)
    assert (report.added, report.duplicates, report.noise_skipped) == (3, 0, 3)
    texts = [e.text for e in doc.timeline]
    assert (
        texts[0]
        == "@Payments on-call can you look at payments-api? Payments on-call, the pool graph is in #general"
    )
    assert [e.actor_role for e in doc.timeline] == ["Participant 1", "Payments on-call", "Participant 3"]
    assert all(e.source is EventSource.CHAT and e.origin_key.startswith("chat:") for e in doc.timeline)
    for name in ("Priya", "Tom", "Becker", "Ana", "Lima", "U02TOMB"):
        assert all(name.casefold() not in t.casefold() for t in texts), name


def test_reimport_adds_nothing_and_keeps_hand_written_events(parsed):
    roles = roles_for(parsed)
    doc, _ = import_messages(new_postmortem("INC-1", "t"), parsed.messages, roles)
    typed = TimelineEvent(at=doc.timeline[0].at, text="Alert acknowledged")
    doc = doc.model_copy(update={"timeline": [*doc.timeline, typed]})
    again, report = import_messages(doc, parsed.messages, roles)
    assert (report.added, report.duplicates) == (0, 3)
    assert again.timeline == doc.timeline


def test_noise_is_kept_on_request_with_bots_as_alerts(parsed):
    doc, report = import_messages(
        new_postmortem("INC-1", "t"), parsed.messages, roles_for(parsed), keep_noise=True, names=parsed.names
    )
    assert report.added == 6 and report.noise_skipped == 0
    assert [e.kind for e in doc.timeline][:2] == [EventKind.OBSERVATION, EventKind.ALERT]
    assert doc.timeline[0].text == "@Participant 1 has joined the channel"
    assert doc.timeline[1].actor_role == "Bot 1"


def test_a_missing_role_is_refused(parsed):
    roles = roles_for(parsed, U03ANAL="  ")
    with pytest.raises(chat.ChatImportError, match="missing: Ana Lima"):
        import_messages(new_postmortem("INC-1", "t"), parsed.messages, roles)


def test_events_are_sorted_into_the_existing_timeline(parsed):
    late = TimelineEvent(at=parsed.messages[-1].ts, text="Postmortem scheduled")
    doc = new_postmortem("INC-1", "t").model_copy(update={"timeline": [late]})
    doc, _ = import_messages(doc, parsed.messages, roles_for(parsed))
    assert [e.at for e in doc.timeline] == sorted(e.at for e in doc.timeline)


def test_nicks_written_out_in_text_logs_become_roles():
    result = chat.parse_text((DATA / "irc.log").read_text(), options=chat.TextOptions(day=date(2026, 3, 4)))
    doc, _ = import_messages(
        new_postmortem("INC-1", "t"), result.messages, {"priya": "Incident commander", "tom": "DB on-call"}
    )
    assert "DB on-call: can you roll back the 23:40 deploy?" in [e.text for e in doc.timeline]
    assert "* DB on-call sees the connection pool at 10/10 since the 23:40 deploy" in [
        e.text for e in doc.timeline
    ]


def test_a_stored_event_without_origin_key_still_loads():
    data = TimelineEvent(at="2026-03-04T10:00:00Z", text="x").model_dump(mode="json")
    del data["origin_key"]
    assert TimelineEvent.model_validate(data).origin_key == ""


# --- The command line ------------------------------------------------------------------------------


@pytest.fixture
def doc_id(db_path) -> int:
    return storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL),
        doc=new_postmortem("INC-2026-0042", "Checkout errors"),
    ).id


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "slack.zip"
    path.write_bytes(slack_export_bytes())
    return path


def run(db_path, *args) -> int:
    return main(["--db", str(db_path), "timeline-import", *map(str, args)])


def stored(db_path, doc_id):
    return storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id)


def test_cli_dry_run_prints_and_changes_nothing(db_path, doc_id, export, capsys):
    assert (
        run(
            db_path,
            doc_id,
            export,
            "--dry-run",
            "--channel",
            "inc-checkout",
            "--role",
            "priya=Incident commander",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Priya -> Incident commander" in out and "Tom Becker -> Participant 2" in out
    assert "Would add 3 events; 0 already in the timeline; 3 joins" in out and "dry run" in out
    assert stored(db_path, doc_id).version == 1


def test_cli_imports_once_then_skips_duplicates(db_path, doc_id, export, capsys):
    assert run(db_path, doc_id, export, "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["added"], first["duplicates"], first["version"]) == (4, 0, 2)
    assert first["roles"] == {
        "Priya": "Participant 1",
        "Tom Becker": "Participant 2",
        "Ana Lima": "Participant 3",
    }
    assert run(db_path, doc_id, export, "--json") == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["added"], second["duplicates"], second["version"]) == (0, 4, None)
    assert stored(db_path, doc_id).version == 2 and len(stored(db_path, doc_id).doc.timeline) == 4


def test_cli_reads_an_unpacked_export_folder(db_path, doc_id, export, tmp_path, capsys):
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(export) as archive:
        archive.extractall(folder)
    assert run(db_path, doc_id, folder, "--channel", "general") == 0
    assert "Added 1 events" in capsys.readouterr().out
    assert [e.actor_role for e in stored(db_path, doc_id).doc.timeline] == ["Participant 1"]


def test_cli_text_log_with_zone_and_date_lists_unreadable_lines(db_path, doc_id, capsys):
    assert run(db_path, doc_id, DATA / "irc.log", "--tz", "Europe/Berlin", "--date", "2026-03-04") == 0
    out = capsys.readouterr().out
    assert "2026-03-04 22:52:00  Participant 1: checkout error rate alert fired" in out
    assert "2 lines could not be read:" in out and "line 8: this line was pasted from somewhere else" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--tz", "Mars/Base"], "--tz 'Mars/Base' is not a time zone name"),
        (["--date", "04.03.2026"], "--date '04.03.2026' is not a date"),
        ([], "times without a date"),
        (["--date", "2026-03-04", "--role", "nobody=X"], "--role nobody: nobody of that name"),
        (["--date", "2026-03-04", "--role", "priya"], "is not USER=ROLE"),
    ],
)
def test_cli_bad_options_are_one_error_line_and_change_nothing(db_path, doc_id, capsys, args, message):
    assert run(db_path, doc_id, DATA / "irc.log", *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert stored(db_path, doc_id).version == 1


def test_cli_bad_file_leaves_the_database_untouched(db_path, doc_id, tmp_path, capsys):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(slack_export_bytes({"general/2026-03-04.json": b"[{"}))
    assert run(db_path, doc_id, bad) == 2
    assert "general/2026-03-04.json is not valid JSON" in capsys.readouterr().err
    assert run(db_path, doc_id, tmp_path / "missing.zip") == 2
    assert "cannot read" in capsys.readouterr().err
    assert stored(db_path, doc_id).version == 1


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüé", min_size=3, max_size=8)


@settings(max_examples=100, deadline=None)
@given(names=st.lists(WORD, min_size=1, max_size=4, unique=True), filler=st.lists(WORD, max_size=6))
def test_no_author_name_survives_as_a_word_in_event_text(names, filler):
    lines = [
        f"2026-03-04T10:{n:02d}:00Z {name}: {' '.join(filler)} {names[(n + 1) % len(names)].title()} "
        f"@{names[n % len(names)]} ok"
        for n, name in enumerate(names)
    ]
    result = chat.parse_text("\n".join(lines), "iso")
    roles = {name: f"R{n}" for n, name in enumerate(names)}
    doc, _ = import_messages(new_postmortem("INC-1", "t"), result.messages, roles)
    for event in doc.timeline:
        words = {w.strip("@:,.").casefold() for w in event.text.split()}
        assert not words & {n.casefold() for n in names}, event.text
