"""The command line's own cost: `debrief` start-up and a small command, against a process that only
imports the libraries any command needs (storage, exports, channels, the importers); and `debrief
serve` to healthy against `streamlit run app.py`.

Each figure is the median of fresh processes, run alternately with its baseline so machine noise
hits both alike. The ratio is what click, the group and its option handling add.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.coldstart import _healthy, free_port, start_to_healthy, stop
from bench.report import Figure, median, ratio

REPO = Path(__file__).resolve().parents[1]
LIBRARIES = "import storage, exports.render, channels.run, postmortem.chat, postmortem.mdimport"
MAX_RATIO = 1.3
SERVE_TIMEOUT = 60.0


def _seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - start


def _serve_to_healthy(env: dict[str, str]) -> float:
    port = free_port()
    start = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "cli",
        "serve",
        "--port",
        str(port),
        "--",
        "--server.address",
        "127.0.0.1",
    ]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not _healthy(port):
            if proc.poll() is not None or time.perf_counter() - start > SERVE_TIMEOUT:
                raise RuntimeError(f"debrief serve did not become healthy (exit {proc.poll()})")
            time.sleep(0.01)
        return time.perf_counter() - start
    finally:
        stop(proc)


def _figure(name: str, samples: list[float], base: list[float], target: float, what: str) -> Figure:
    value, baseline = median(samples) * 1000, median(base) * 1000
    r = ratio(value, baseline)
    return Figure(
        f"cli:{name}",
        value,
        "ms",
        baseline,
        r,
        f"<= {target:g}x {what}",
        r is not None and r <= target,
        note=f"{len(samples)} runs; {', '.join(f'{s * 1000:.0f}' for s in samples)} ms; "
        f"{what} {', '.join(f'{s * 1000:.0f}' for s in base)} ms",
    )


def run(starts: int = 5, **_: object) -> list[Figure]:
    runs = max(starts, 3)
    with tempfile.TemporaryDirectory(prefix="debrief-bench-cli-") as tmp:
        db = str(Path(tmp) / "bench.db")
        env = {**os.environ, "PYTHONPATH": str(REPO), "DEBRIEF_DB": db}
        cli = [sys.executable, "-m", "cli"]
        _seconds([*cli, "demo"], env)  # the database and the bytecode caches, untimed
        samples: dict[str, list[float]] = {
            "help": [],
            "list": [],
            "libraries": [],
            "serve": [],
            "streamlit": [],
        }
        for _n in range(runs):
            samples["libraries"].append(_seconds([sys.executable, "-c", LIBRARIES], env))
            samples["help"].append(_seconds([*cli, "--help"], env))
            samples["list"].append(_seconds([*cli, "list", "--json"], env))
        for n in range(max(starts // 2, 2)):
            samples["streamlit"].append(start_to_healthy("app.py", REPO, Path(tmp) / f"app-{n}.log", env))
            samples["serve"].append(_serve_to_healthy(env))
    libraries = "importing the libraries"
    return [
        _figure("debrief --help", samples["help"], samples["libraries"], MAX_RATIO, libraries),
        _figure("debrief list (3 documents)", samples["list"], samples["libraries"], MAX_RATIO, libraries),
        _figure(
            "debrief serve to healthy",
            samples["serve"],
            samples["streamlit"],
            MAX_RATIO,
            "streamlit run app.py",
        ),
    ]
