"""Chat parsers, one format at a time, on the fixtures in tests/data/chat/ and a Slack zip built here."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from chat_samples import slack_export_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem import chat
from postmortem.chat import MessageKind, TextOptions
from postmortem.chat.slack import parse_export

DATA = Path(__file__).parent / "data" / "chat"
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 4)


def read(name: str, fmt: str = "auto", zone=UTC, day=DAY) -> chat.ParseResult:
    return chat.parse_text((DATA / name).read_text(encoding="utf-8"), fmt, TextOptions(zone, day))


def slack(**kwargs) -> chat.ParseResult:
    return chat.parse_file(io.BytesIO(slack_export_bytes(kwargs.pop("extra", None))), "export.zip", **kwargs)


# --- Slack ---------------------------------------------------------------------------------------


def test_slack_export_offers_its_channels_and_reads_the_chosen_one():
    result = slack(channels=["inc-checkout"])
    assert result.format == "slack" and result.channels == ["general", "inc-checkout"]
    assert [m.kind for m in result.messages] == [
        MessageKind.JOIN,
        MessageKind.BOT,
        MessageKind.MESSAGE,
        MessageKind.MESSAGE,
        MessageKind.MESSAGE,
        MessageKind.LEAVE,
    ]
    assert {m.channel for m in result.messages} == {"inc-checkout"}
    assert result.messages[2].ts == datetime(2026, 3, 4, 9, 56, 0, 300, tzinfo=UTC)
    assert result.unparsed == []


def test_slack_markup_becomes_plain_text_with_mentions_as_keys():
    messages = {m.where.split(" ")[1]: m for m in slack(channels=["inc-checkout"]).messages}
    bot, ask, reply, here = messages["#2"], messages["#3"], messages["#4"], messages["#5"]
    assert bot.author_display == "PagerDuty" and bot.author_key == "B01PD"
    assert bot.text == "Triggered: checkout error rate > 2% #1234 (https://pd.example/i/1)"
    assert chat.render(ask.text, {"U02TOMB": "DB on-call"}) == (
        "@DB on-call can you look at payments-api? Tom, the pool graph is in #general"
    )
    assert reply.text == "pool at 10/10 since the deploy & retries climbing"
    assert reply.where.endswith("(thread reply)")
    assert here.text == "rolling back @here" and here.author_display == "Ana Lima"


def test_slack_names_come_from_users_json():
    result = slack()
    assert result.names["U02TOMB"] == "Tom Becker" and result.names["U01PRIYA"] == "Priya"
    assert {m.author_display for m in result.messages if m.author_key == "U02TOMB"} == {"Tom Becker"}


def test_slack_all_channels_when_none_chosen_sorted_by_time():
    result = slack()
    assert {m.channel for m in result.messages} == {"general", "inc-checkout"}
    assert [m.ts for m in result.messages] == sorted(m.ts for m in result.messages)


def test_slack_export_in_a_top_folder_is_found():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(slack_export_bytes())) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            dst.writestr("Acme Slack export/" + info.filename, src.read(info))
    result = chat.parse_file(buffer, "e.zip", channels=["general"])
    assert [m.text for m in result.messages] == ["checkout is recovering"]


def test_slack_unknown_channel_names_the_ones_there():
    with pytest.raises(
        chat.ChatImportError, match="No channel 'nope' in this export; it has: general, inc-checkout"
    ):
        slack(channels=["nope"])


def test_slack_message_without_time_or_text_is_listed_not_dropped():
    day = [
        {"type": "message", "user": "U01PRIYA", "text": "no ts"},
        {"type": "message", "user": "U01PRIYA", "ts": "1772618160.1", "text": ""},
        {"type": "message", "user": "U01PRIYA", "ts": "1772618170.1", "text": "kept"},
    ]
    result = slack(channels=["general"], extra={"general/2026-03-04.json": json.dumps(day).encode()})
    assert [m.text for m in result.messages] == ["kept"]
    assert [(u.where, u.reason) for u in result.unparsed] == [
        ("general/2026-03-04.json #1", "no readable 'ts' time"),
        ("general/2026-03-04.json #2", "a message without text"),
    ]


def test_slack_bot_message_with_only_an_attachment_keeps_its_text():
    day = [
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B1",
            "ts": "1772618160.1",
            "text": "",
            "attachments": [{"color": "danger"}, {"fallback": "Datadog: p99 latency &gt; 2s on checkout"}],
        }
    ]
    result = slack(channels=["general"], extra={"general/2026-03-04.json": json.dumps(day).encode()})
    assert [(m.kind, m.text) for m in result.messages] == [
        (MessageKind.BOT, "Datadog: p99 latency > 2s on checkout")
    ]


def test_slack_day_file_alone():
    data = json.dumps(
        [
            {
                "type": "message",
                "user": "U9",
                "ts": "1772618160.0",
                "text": "hi",
                "user_profile": {"display_name": "Kim"},
            }
        ]
    ).encode()
    result = chat.parse_file(io.BytesIO(data), "2026-03-04.json")
    assert [(m.author_display, m.text) for m in result.messages] == [("Kim", "hi")]


def test_slack_bad_json_names_the_file():
    with pytest.raises(chat.ChatImportError, match=r"^general/2026-03-04.json is not valid JSON: .* line 1"):
        slack(extra={"general/2026-03-04.json": b"[{"})


@pytest.mark.parametrize("content", [b'{"a": 1}', b"[1, 2]", b'"text"'])
def test_slack_wrong_shape_names_the_file(content):
    with pytest.raises(chat.ChatImportError, match="^general/2026-03-04.json is not a Slack export file"):
        slack(extra={"general/2026-03-04.json": content})


def test_slack_users_json_of_the_wrong_shape_names_it():
    with pytest.raises(chat.ChatImportError, match="^users.json is not a Slack export file"):
        slack(extra={"users.json": b'{"users": []}'})


def test_a_zip_without_day_files_is_not_a_slack_export():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(chat.ChatImportError, match="not a Slack export"):
        chat.parse_file(buffer, "notes.zip")


# --- Text formats ------------------------------------------------------------------------------


def test_irc_log_with_seconds_join_quit_action_and_midnight():
    result = read("irc.log", zone=BERLIN)
    assert result.format == "irc"
    by_line = {m.where: m for m in result.messages}
    assert by_line["line 1"].kind is MessageKind.JOIN
    assert by_line["line 9"].kind is MessageKind.LEAVE
    assert by_line["line 4"].text.startswith("* tom sees the connection pool")
    assert by_line["line 2"].ts == datetime(2026, 3, 4, 22, 52, tzinfo=UTC)  # 23:52 in Berlin
    assert by_line["line 6"].ts == datetime(2026, 3, 4, 23, 3, 15, tzinfo=UTC)  # 00:03:15 the next day
    assert by_line["line 7"].author_key == "priya"  # the op sigil is not part of the nick
    assert [(u.where, u.reason) for u in result.unparsed] == [
        ("line 8", "not a chat line in this format"),
        ("line 10", "not a time of day"),
    ]


def test_time_only_log_needs_a_day():
    with pytest.raises(chat.ChatImportError, match="times without a date"):
        read("irc.log", day=None)


def test_iso_log_with_offsets_naive_times_and_brackets():
    result = read("iso.log", zone=BERLIN)
    assert result.format == "iso"
    assert [(m.ts, m.author_display, m.text) for m in result.messages] == [
        (datetime(2026, 3, 4, 10, 15, tzinfo=UTC), "priya", "checkout alert fired"),
        (datetime(2026, 3, 4, 9, 16, 30, tzinfo=UTC), "tom", "I see it too (my clock is CET)"),
        (datetime(2026, 3, 4, 9, 20, tzinfo=UTC), "ana", "naive time, read in the chosen zone"),
        (datetime(2026, 3, 4, 10, 21, 5, 250000, tzinfo=UTC), "tom", "pool size raised to 40"),
        (datetime(2026, 3, 4, 10, 30, tzinfo=UTC), "priya", "resolved"),
    ]
    assert [u.where for u in result.unparsed] == ["line 6", "line 7"]


def test_teams_paste_with_multi_line_messages_and_header_variants():
    result = read("teams.txt", zone=BERLIN)
    assert result.format == "teams"
    assert [(m.ts.strftime("%H:%M"), m.author_display, m.where) for m in result.messages] == [
        ("09:15", "Raman, Priya", "line 1"),
        ("09:17", "Tom Becker", "line 5"),
        ("09:42", "Ana Lima", "line 10"),
        ("09:50", "Priya Raman", "line 13"),
    ]
    assert result.messages[1].text == "Looking now.\nThe pool is at 10/10 since the deploy.\nRolling back."
    assert result.unparsed == []


def test_teams_time_only_header_takes_the_day_of_the_header_before():
    result = read("teams.txt", day=None)  # no day chosen: every header finds one
    assert [m.ts.date() for m in result.messages] == [date(2026, 3, 4)] * 4
    late = chat.parse_text(
        "Tom Becker, 3/5/2026 11:58 PM\nstill on it\n[11:59 PM] Ana Lima\nme too\n",
        "teams",
        TextOptions(UTC, DAY),
    )
    assert [m.ts for m in late.messages] == [
        datetime(2026, 3, 5, 23, 58, tzinfo=UTC),
        datetime(2026, 3, 5, 23, 59, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Tom Becker, 3/4/2026 1:05 PM", datetime(2026, 3, 4, 13, 5, tzinfo=UTC)),
        ("Tom Becker 3/4/26 1:05 PM", datetime(2026, 3, 4, 13, 5, tzinfo=UTC)),
        ("Tom Becker, 3/4/2026, 13:05", datetime(2026, 3, 4, 13, 5, tzinfo=UTC)),
        ("[3/4/2026 1:05 PM] Tom Becker", datetime(2026, 3, 4, 13, 5, tzinfo=UTC)),
        ("[3/5 1:05 PM] Tom Becker", datetime(2026, 3, 5, 13, 5, tzinfo=UTC)),
        ("[1:05:30 p.m.] Tom Becker", datetime(2026, 3, 4, 13, 5, 30, tzinfo=UTC)),
    ],
)
def test_teams_header_variants(header, expected):
    result = chat.parse_text(f"{header}\nhello\n", "teams", TextOptions(UTC, DAY))
    assert [(m.ts, m.author_display, m.text) for m in result.messages] == [(expected, "Tom Becker", "hello")]


def test_mixed_garbage_is_returned_with_line_numbers():
    result = read("mixed.txt")
    assert [m.text for m in result.messages] == ["alert fired", "on it", "thanks"]
    assert [u.where for u in result.unparsed] == ["line 1", "line 3", "line 7"]


@pytest.mark.parametrize("name, fmt", [("irc.log", "irc"), ("iso.log", "iso"), ("teams.txt", "teams")])
def test_format_is_detected(name, fmt):
    assert read(name).format == fmt


def test_a_forced_format_that_reads_nothing_says_so():
    with pytest.raises(chat.ChatImportError, match="No line could be read as Microsoft Teams"):
        read("iso.log", fmt="teams")


def test_origin_keys_are_stable_and_distinct():
    first, again = read("iso.log"), read("iso.log")
    assert [m.origin_key for m in first.messages] == [m.origin_key for m in again.messages]
    assert len({m.origin_key for m in first.messages}) == len(first.messages)
    assert [m.origin_key for m in slack().messages] == [m.origin_key for m in slack().messages]


def test_placeholder_characters_in_input_cannot_forge_a_mention():
    result = chat.parse_text("2026-03-04T10:00Z kim: hi \ue000U02TOMB\ue001 there", "iso")
    assert result.messages[0].text == "hi U02TOMB there"


# --- Never a crash --------------------------------------------------------------------------------

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINEISH = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.builds(
            lambda h, m, n, t: f"[{h}:{m:02d}] <{n}> {t}",
            st.integers(0, 30),
            st.integers(0, 70),
            st.text(min_size=0, max_size=12),
            st.text(max_size=30),
        ),
        st.builds(lambda n, t: f"2026-03-04T10:15:00Z {n}: {t}", st.text(max_size=12), st.text(max_size=30)),
        st.builds(
            lambda n, d, t: f"{n}, {d} {t}",
            st.text(max_size=12),
            st.sampled_from(["3/4/2026", "13/45/2026", "0/0/0", "2/30/2026", "3/4"]),
            st.sampled_from(["10:15 AM", "99:99 PM", "1:05", "12:00 a.m."]),
        ),
    ),
    max_size=20,
).map("\n".join)


@SETTINGS
@given(text=LINEISH, fmt=st.sampled_from(list(chat.FORMATS)))
def test_text_parsers_never_crash(text, fmt):
    try:
        result = chat.parse_text(text, fmt, TextOptions(BERLIN, DAY))
    except chat.ChatImportError:
        return
    assert all(m.ts.tzinfo is not None and m.ts.utcoffset().total_seconds() == 0 for m in result.messages)
    assert all(u.where.startswith("line ") for u in result.unparsed) or result.format == "slack"


@SETTINGS
@given(
    data=st.binary(max_size=2000),
    fmt=st.sampled_from(list(chat.FORMATS)),
    name=st.sampled_from(["x.zip", "x.json", "x.txt"]),
)
def test_files_of_arbitrary_bytes_never_crash(data, fmt, name):
    try:
        chat.parse_file(io.BytesIO(data), name, fmt, TextOptions(UTC, DAY))
    except chat.ChatImportError:
        pass


@SETTINGS
@given(
    items=st.lists(
        st.dictionaries(
            st.sampled_from(
                ["ts", "user", "text", "subtype", "bot_id", "thread_ts", "files", "user_profile", "username"]
            ),
            st.one_of(
                st.none(),
                st.text(max_size=20),
                st.integers(),
                st.floats(),
                st.lists(st.integers(), max_size=2),
                st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
            ),
        ),
        max_size=10,
    )
)
def test_slack_messages_of_any_shape_never_crash(items):
    result = slack(channels=["general"], extra={"general/2026-03-04.json": json.dumps(items).encode()})
    assert len(result.messages) + len(result.unparsed) == len(items)


def test_parse_export_reads_a_source_protocol():
    files = {
        "users.json": b"[]",
        "ops/2026-03-04.json": b'[{"ts": "1772618160.0", "user": "U1", "text": "x"}]',
    }

    class Folder:
        def names(self):
            return list(files)

        def read(self, name):
            return files[name]

    assert [m.text for m in parse_export(Folder()).messages] == ["x"]
