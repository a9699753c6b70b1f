"""Latency of storage.save for the large document, against a save of the empty one in the same run.

Each save is a real one: it bumps the version (the next save passes the returned version), writes a
revision and refreshes the projections, exactly as an autosave from the wizard does.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import storage
from bench import fixtures
from bench.report import Figure, median, percentile, ratio

MAX_MS = 10.0


def run(saves: int = 100, warmups: int = 5, **_: object) -> list[Figure]:
    samples: dict[str, list[float]] = {"large": [], "empty": []}
    with tempfile.TemporaryDirectory(prefix="debrief-bench-save-") as tmp:
        targets = {}
        for label, doc in (("large", fixtures.large_postmortem()), ("empty", fixtures.empty_postmortem())):
            db = storage.connect(Path(tmp) / f"{label}.db", actor=storage.LOCAL)
            stored = storage.create(db=db, doc=doc)
            targets[label] = [db, stored.id, stored.version, doc]
        for n in range(warmups + saves):
            for label, target in targets.items():  # alternate, so machine noise hits both alike
                db, doc_id, version, doc = target
                start = time.perf_counter()
                saved = storage.save(db=db, doc_id=doc_id, doc=doc, expected_version=version)
                elapsed = (time.perf_counter() - start) * 1000
                target[2] = saved.version
                if n >= warmups:
                    samples[label].append(elapsed)
        for db, *_rest in targets.values():
            db.close()
    large, empty = samples["large"], samples["empty"]
    med, base = median(large), median(empty)
    p95, base95 = percentile(large, 95), percentile(empty, 95)
    return [
        Figure(
            "save:large median",
            med,
            "ms",
            base,
            ratio(med, base),
            f"<= {MAX_MS:g} ms",
            med <= MAX_MS,
            note=f"{saves} saves of a {fixtures.describe(fixtures.large_postmortem())} document",
        ),
        Figure("save:large p95", p95, "ms", base95, ratio(p95, base95), "report only", True),
    ]
