"""`python -m bench chat`: reading a large Slack export and a long text log.

A Slack export of 50,000 messages (scaled by $DEBRIEF_BENCH_SCALE) is generated as a zip in a temp
dir: 6 channels, 30 days, 40 people and 2 bots, with joins, leaves, mentions, links, entities and
thread replies. Measured: the parse time (target <= 5 s) and the peak memory the parse allocates
(tracemalloc, target <= 300 MB), each against a naive reader measured in the same run (the whole
zip read into memory, every file json-loaded at once, mentions replaced with regexes); and the
plain-text (IRC-style) parse speed.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import report
from postmortem import chat

MESSAGES = 50_000
CHANNELS = ("inc-checkout", "inc-db", "ops", "deploys", "general", "alerts")
DAYS = 30
START = datetime(2026, 3, 1, tzinfo=UTC)
WORDS = (
    "pool",
    "deploy",
    "rollback",
    "latency",
    "p99",
    "error",
    "rate",
    "checkout",
    "replica",
    "lag",
    "restart",
    "cache",
    "dashboard",
    "alert",
    "page",
    "ack",
    "looking",
    "fixed",
    "config",
    "flag",
)


def _scale() -> float:
    return float(os.environ.get("DEBRIEF_BENCH_SCALE", "1.0"))


def _message(rng: random.Random, ts: float, users: list[str]) -> dict:
    user = rng.choice(users)
    roll = rng.random()
    if roll < 0.02:
        return {
            "type": "message",
            "subtype": "channel_join",
            "user": user,
            "ts": f"{ts:.6f}",
            "text": f"<@{user}> has joined the channel",
        }
    if roll < 0.03:
        return {
            "type": "message",
            "subtype": "channel_leave",
            "user": user,
            "ts": f"{ts:.6f}",
            "text": f"<@{user}> has left the channel",
        }
    if roll < 0.08:
        return {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": rng.choice(["B01PD", "B02DD"]),
            "username": "PagerDuty",
            "ts": f"{ts:.6f}",
            "text": f"Triggered: error rate &gt; {rng.randint(1, 9)}% <https://pd.example/i/{rng.randint(1, 9999)}|#inc>",
        }
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 25)))
    text = (
        f"<@{rng.choice(users)}> {words} &amp; <https://grafana.example/d/{rng.randint(1, 99)}|dash>"
        if roll < 0.3
        else words
    )
    item = {
        "type": "message",
        "user": user,
        "ts": f"{ts:.6f}",
        "text": text,
        "user_profile": {"display_name": user.lower(), "real_name": f"Person {user}"},
    }
    if roll > 0.9:
        item["thread_ts"] = f"{ts - 30:.6f}"
    return item


def write_export(path: Path, messages: int, seed: int = 7) -> Path:
    """A Slack export zip with `messages` messages spread over channels and days."""
    rng = random.Random(seed)
    users = [f"U{n:07d}" for n in range(40)]
    per_file = max(1, messages // (len(CHANNELS) * DAYS))
    written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "users.json",
            json.dumps(
                [
                    {
                        "id": u,
                        "name": u.lower(),
                        "real_name": f"Person {u}",
                        "profile": {"display_name": u.lower()},
                    }
                    for u in users
                ]
            ),
        )
        archive.writestr(
            "channels.json", json.dumps([{"id": f"C{n}", "name": c} for n, c in enumerate(CHANNELS)])
        )
        for day in range(DAYS):
            for channel in CHANNELS:
                count = (
                    min(per_file, messages - written)
                    if (day, channel) != (DAYS - 1, CHANNELS[-1])
                    else messages - written
                )
                base = (START + timedelta(days=day)).timestamp()
                items = [_message(rng, base + n * 20 + rng.random(), users) for n in range(count)]
                written += count
                archive.writestr(
                    f"{channel}/{(START + timedelta(days=day)).date().isoformat()}.json",
                    json.dumps(items, indent=1),
                )
    return path


def parse(path: Path) -> int:
    with open(path, "rb") as handle:
        return len(chat.parse_file(handle, path.name).messages)


_MENTION = re.compile(r"<@(\w+)>")
_LINK = re.compile(r"<([^>|]+)\|([^>]+)>")


def naive_parse(path: Path) -> int:
    """The obvious reader: the zip into memory, every file into one structure, then regexes."""
    data = Path(path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        everything = {name: json.loads(archive.read(name)) for name in archive.namelist()}
    users = {u["id"]: u["profile"]["display_name"] for u in everything["users.json"]}
    out = []
    for name, items in everything.items():
        if "/" not in name:
            continue
        for item in items:
            text = _MENTION.sub(lambda m: "@" + users.get(m.group(1), "?"), item.get("text", ""))
            text = _LINK.sub(r"\2 (\1)", text).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
            out.append((datetime.fromtimestamp(float(item["ts"]), UTC), item.get("user"), text))
    out.sort(key=lambda row: row[0])
    return len(out)


def _seconds(function, path: Path, runs: int) -> tuple[float, int]:
    samples, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        count = function(path)
        samples.append(time.perf_counter() - started)
    return report.median(samples), count


def _peak_mb(function, path: Path) -> float:
    tracemalloc.start()
    try:
        function(path)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


# VmHWM of /proc/self/status, not getrusage: Linux carries ru_maxrss across fork/vfork + execve (the
# child starts with its parent's high-water mark), so a child of a large bench process reported the
# bench process's own peak (368.9 MB for both parsers). VmHWM belongs to the child's own address space.
_RSS_SCRIPT = """
import sys
from pathlib import Path
def hwm_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
from bench.chat import {function} as run
before = hwm_kb()
run(Path(sys.argv[1]))
print(before, hwm_kb())
"""


def _peak_rss_mb(function: str, path: Path) -> tuple[float, float]:
    """(peak RSS of a fresh process that parsed the export, its peak RSS before parsing), in MB."""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT.format(function=function), str(path)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[1]) / 1024, int(out[0]) / 1024  # VmHWM is in kB


def _irc_log(lines: int) -> str:
    rng = random.Random(3)
    clock = datetime(2026, 3, 4, tzinfo=UTC)
    out = []
    for _ in range(lines):
        clock += timedelta(seconds=rng.randint(0, 3))
        out.append(
            f"[{clock:%H:%M:%S}] <nick{rng.randint(1, 30)}> " + " ".join(rng.choice(WORDS) for _ in range(12))
        )
    return "\n".join(out)


def run(**_options) -> list[report.Figure]:
    messages = max(500, int(MESSAGES * _scale()))
    runs = 3
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_export(Path(tmp) / "slack.zip", messages)
        size_mb = path.stat().st_size / 2**20
        # Interleaved, so a change in the machine's load falls on both alike.
        ours, naive, count = [], [], 0
        for _ in range(runs):
            value, count = _seconds(parse, path, 1)
            ours.append(value)
            naive.append(_seconds(naive_parse, path, 1)[0])
        value, base = report.median(ours), report.median(naive)
        figures.append(
            report.Figure(
                f"chat: parse Slack export, {count:,} messages (median)",
                value,
                "s",
                baseline=base,
                ratio=report.ratio(value, base),
                target="<= 5 s",
                ok=value <= 5,
                note=f"zip {size_mb:.1f} MB, {len(CHANNELS)} channels x {DAYS} "
                f"days; baseline: the whole zip in memory, json + regexes",
            )
        )
        peak, naive_peak = _peak_mb(parse, path), _peak_mb(naive_parse, path)
        figures.append(
            report.Figure(
                "chat: parse Slack export, peak memory (tracemalloc)",
                peak,
                "MB",
                baseline=naive_peak,
                ratio=report.ratio(peak, naive_peak),
                target="<= 300 MB",
                ok=peak <= 300,
            )
        )
        (rss, idle), (naive_rss, _) = _peak_rss_mb("parse", path), _peak_rss_mb("naive_parse", path)
        figures.append(
            report.Figure(
                "chat: parse Slack export, peak RSS of a fresh process",
                rss,
                "MB",
                baseline=naive_rss,
                ratio=report.ratio(rss, naive_rss),
                target="<= 300 MB",
                ok=rss <= 300,
                note=f"{idle:.0f} MB of it is the interpreter and imports",
            )
        )
    lines = max(500, int(MESSAGES * _scale()))
    text = _irc_log(lines)
    options = chat.TextOptions(UTC, date(2026, 3, 4))
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        chat.parse_text(text, "irc", options)
        samples.append(time.perf_counter() - started)
    seconds = report.median(samples)
    figures.append(
        report.Figure(
            f"chat: parse IRC-style text log, {lines:,} lines (median)",
            lines / seconds,
            "lines/s",
            target="reported only",
        )
    )
    return figures
