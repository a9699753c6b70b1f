"""One measured figure, and how figures are printed and written to bench/results.json.

Every suite returns a list of Figure. The JSON file is a list of
{"name", "value", "unit", "baseline", "ratio", "target", "ok"}; later suites add figures of the same shape.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
FIELDS = ("name", "value", "unit", "baseline", "ratio", "target", "ok")


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    ok: bool = True
    note: str = ""  # printed under the table (errors, context); not written to results.json

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "value": _round(self.value),
            "unit": self.unit,
            "baseline": _round(self.baseline),
            "ratio": _round(self.ratio, 3),
            "target": self.target,
            "ok": bool(self.ok),
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return round(float(value), digits)


def ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline:
        return None
    return value / baseline


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def median_ms(function: Callable[[], object], repeats: int) -> float:
    """The median wall-clock time of `repeats` calls of `function`, in milliseconds."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return median(samples)


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 100 samples is the 95th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:,.{digits}f}"


def table(figures: Iterable[Figure]) -> str:
    """The figures as a plain-text table, followed by any notes."""
    figures = list(figures)
    header = ("name", "value", "unit", "baseline", "ratio", "target", "ok")
    rows = [
        (
            f.name,
            _fmt(f.value),
            f.unit,
            _fmt(f.baseline),
            _fmt(f.ratio, 2) + ("x" if f.ratio is not None else ""),
            f.target,
            "ok" if f.ok else "MISSED",
        )
        for f in figures
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    right = {1, 3, 4}  # numbers align right

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        ).rstrip()

    out = [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    notes = [f for f in figures if f.note]
    if notes:
        out += ["", "Notes:"] + [f"  {f.name}: {f.note}" for f in notes]
    missed = [f.name for f in figures if not f.ok]
    out += [
        "",
        f"{len(figures) - len(missed)} of {len(figures)} figures meet their target"
        + (f"; missed: {', '.join(missed)}" if missed else "."),
    ]
    return "\n".join(out)


def print_table(figures: Iterable[Figure]) -> None:
    print(table(figures), flush=True)


def write(figures: Iterable[Figure], path: Path = RESULTS, *, merge: bool = False) -> Path:
    """Write figures as JSON. With merge=True, figures already in the file are kept unless re-measured."""
    fresh = [f.to_json() for f in figures]
    if merge and path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = []
        by_name = {f["name"]: f for f in fresh}
        # Keep the file's order: re-measured figures take their old place, new ones go at the end.
        merged = [
            by_name.pop(item["name"], item) for item in old if isinstance(item, dict) and "name" in item
        ]
        fresh = merged + list(by_name.values())
    path.write_text(json.dumps(fresh, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
