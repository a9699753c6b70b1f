"""Cold start to healthy: `streamlit run app.py` until /_stcore/health says ok, vs a one-line app.

Both are started the same way, alternately, as fresh processes. Health turns ok once the server
listens; app.py itself first runs when a browser session connects, so this measures the server's
start-up with Debrief's files (pages/ folder, config) rather than a first page render.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.report import Figure, median, ratio

REPO = Path(__file__).resolve().parents[1]
MAX_RATIO = 1.5
START_TIMEOUT = 60.0
ONE_LINE_APP = 'import streamlit as st\nst.write("ok")\n'


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_command(script: str, port: int, *extra: str) -> list[str]:
    """`streamlit run script`, headless on a loopback port: how every bench starts an app and its baseline."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def start_to_healthy(script: str, cwd: Path, log: Path, env: dict[str, str]) -> float:
    """Seconds from Popen to a healthy server; the server is stopped before returning."""
    port = free_port()
    command = streamlit_command(script, port)
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            while True:
                if _healthy(port):
                    return time.perf_counter() - start
                if proc.poll() is not None:
                    raise RuntimeError(f"{script} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
                if time.perf_counter() - start > START_TIMEOUT:
                    raise RuntimeError(
                        f"{script} not healthy after {START_TIMEOUT:g} s:\n{log.read_text()[-2000:]}"
                    )
                time.sleep(0.01)
        finally:
            stop(proc)


def run(starts: int = 5, warm_starts: int = 1, **_: object) -> list[Figure]:
    samples: dict[str, list[float]] = {"app": [], "one-line": []}
    with tempfile.TemporaryDirectory(prefix="debrief-bench-coldstart-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "oneline").mkdir()
        (tmp_path / "oneline" / "app.py").write_text(ONE_LINE_APP)
        env = {**os.environ, "DEBRIEF_DB": str(tmp_path / "coldstart.db")}
        # An untimed start of each first (file-system and bytecode caches), then alternate so that
        # machine noise hits both alike.
        for n in range(warm_starts + starts):
            app = start_to_healthy("app.py", REPO, tmp_path / f"app-{n}.log", env)
            one = start_to_healthy("app.py", tmp_path / "oneline", tmp_path / f"oneline-{n}.log", env)
            if n >= warm_starts:
                samples["app"].append(app)
                samples["one-line"].append(one)
    app, base = median(samples["app"]) * 1000, median(samples["one-line"]) * 1000
    r = ratio(app, base)
    return [
        Figure(
            "coldstart:app to healthy",
            app,
            "ms",
            base,
            r,
            f"<= {MAX_RATIO:g}x one-line app",
            r is not None and r <= MAX_RATIO,
            note=f"{starts} starts each; app {', '.join(f'{s * 1000:.0f}' for s in samples['app'])} ms; "
            f"one-line {', '.join(f'{s * 1000:.0f}' for s in samples['one-line'])} ms",
        )
    ]
