"""`notify` on the demo history (3 full and 40 short post-mortems), channels pointing at a loopback
HTTP server, so the figures are Debrief's own work and not a network's.

- `notify:plan (dry run)`: work out every notice and delivery, send nothing; baseline: reading every
  post-mortem (list + get), the least any run must do, measured alternately with it.
- `notify:quiet run`: the second run, when everything was sent (each delivery looked up, none sent);
  same baseline. A run every 5 minutes is this case nearly always.
- `notify:first run`: the first real run, every notice posted to the loopback server (report only).
- `notify:quiet run, 500 people with preferences`: the quiet run again once 500 people stored their
  choices (each recipient's are looked up); baseline: the quiet run without them, measured alternately.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import storage
from bench.report import Figure, median, ratio
from channels.run import run as notify
from channels.settings import settings
from postmortem.demo import demo_documents
from postmortem.demo_history import history_documents
from postmortem.notify_prefs import Prefs
from storage.notices import set_prefs

ROUNDS = 7


def _ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _read_all(db) -> None:
    for row in storage.list_documents(db=db):
        storage.get(db=db, doc_id=row.id)


def run(**_options) -> list[Figure]:
    from tests.notify_servers import start_http  # the loopback server the tests use

    http, hooks = start_http()
    config = settings(
        {
            "DEBRIEF_WEBHOOK_URL": f"http://127.0.0.1:{http.server_address[1]}/hook",
            "DEBRIEF_SLACK_WEBHOOK": f"http://127.0.0.1:{http.server_address[1]}/slack",
        }
    )
    now = datetime.now(UTC)
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = storage.connect(Path(folder) / "bench.db", actor=storage.LOCAL)
            for doc in [*demo_documents(), *history_documents(now.date(), country="US")]:
                storage.create(db=db, doc=doc)
            plan, base = [], []
            for _ in range(ROUNDS):
                plan.append(_ms(lambda: notify(db, config, now, dry_run=True)))
                base.append(_ms(lambda: _read_all(db)))
            first = _ms(lambda: notify(db, config, now))
            sent = len(hooks.posts)
            quiet, base2 = [], []
            for _ in range(ROUNDS):
                quiet.append(_ms(lambda: notify(db, config, now)))
                base2.append(_ms(lambda: _read_all(db)))
            with_prefs, without = _with_preferences(db, config, now)
            db.close()
    finally:
        http.shutdown()
    return [
        Figure("notify:plan (dry run)", median(plan), "ms", median(base), ratio(median(plan), median(base))),
        Figure(
            "notify:quiet run",
            median(quiet),
            "ms",
            median(base2),
            ratio(median(quiet), median(base2)),
            note=f"nothing sent on the quiet runs: {len(hooks.posts) == sent}",
        ),
        Figure("notify:first run", first, "ms", note=f"{sent} webhook posts on the first run"),
        Figure(
            "notify:quiet run, 500 people with preferences",
            median(with_prefs),
            "ms",
            median(without),
            ratio(median(with_prefs), median(without)),
        ),
    ]


def _with_preferences(db, config, now) -> tuple[list[float], list[float]]:
    """Quiet runs with and without 500 stored preferences (none of them a demo recipient), alternately."""
    people = [f"person{n}@example.org" for n in range(500)]
    with_prefs, without = [], []
    for _ in range(ROUNDS):
        db.execute("delete from notify_prefs")
        db.conn.commit()
        without.append(_ms(lambda: notify(db, config, now)))
        for n, person in enumerate(people):
            set_prefs(db, person, Prefs(daily_digest=n % 2 == 0, channel="slack" if n % 3 else "email"))
        with_prefs.append(_ms(lambda: notify(db, config, now)))
    return with_prefs, without
