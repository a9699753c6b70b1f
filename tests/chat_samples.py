"""A small, realistic Slack export built in code: two channels, three people, a bot, joins, a thread."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

USERS = [
    {
        "id": "U01PRIYA",
        "name": "priya",
        "real_name": "Priya Raman",
        "profile": {"display_name": "Priya", "real_name": "Priya Raman"},
    },
    {
        "id": "U02TOMB",
        "name": "tom.becker",
        "real_name": "Tom Becker",
        "profile": {"display_name": "", "real_name": "Tom Becker"},
    },
    {"id": "U03ANAL", "name": "ana", "profile": {"display_name": "Ana Lima"}},
]
CHANNELS = [{"id": "C01INC", "name": "inc-checkout"}, {"id": "C02GEN", "name": "general"}]

INCIDENT_DAY = [
    {
        "type": "message",
        "subtype": "channel_join",
        "user": "U01PRIYA",
        "ts": "1772618100.000100",
        "text": "<@U01PRIYA> has joined the channel",
    },
    {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "B01PD",
        "username": "PagerDuty",
        "ts": "1772618110.000200",
        "text": "Triggered: checkout error rate &gt; 2% <https://pd.example/i/1|#1234>",
    },
    {
        "type": "message",
        "user": "U01PRIYA",
        "ts": "1772618160.000300",
        "text": "<@U02TOMB> can you look at payments-api? Tom, the pool graph is in <#C02GEN|general>",
    },
    {
        "type": "message",
        "user": "U02TOMB",
        "ts": "1772618220.000400",
        "thread_ts": "1772618160.000300",
        "text": "pool at 10/10 since the deploy &amp; retries climbing",
    },
    {"type": "message", "user": "U03ANAL", "ts": "1772618400.000500", "text": "rolling back <!here>"},
    {
        "type": "message",
        "subtype": "channel_leave",
        "user": "U03ANAL",
        "ts": "1772619000.000600",
        "text": "<@U03ANAL> has left the channel",
    },
]
GENERAL_DAY = [
    {"type": "message", "user": "U02TOMB", "ts": "1772618500.000100", "text": "checkout is recovering"},
]


def slack_export_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    """The export as zip bytes; `extra` adds or replaces members (for broken exports)."""
    files = {
        "users.json": json.dumps(USERS).encode(),
        "channels.json": json.dumps(CHANNELS).encode(),
        "inc-checkout/2026-03-04.json": json.dumps(INCIDENT_DAY).encode(),
        "general/2026-03-04.json": json.dumps(GENERAL_DAY).encode(),
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_slack_export(path: Path) -> Path:
    path.write_bytes(slack_export_bytes())
    return path
