"""Debrief's benchmarks: `python -m bench [suite ...]` from the repo root, with the venv's python.

Each suite is a function returning a list of report.Figure. Suites are registered here by name as
"module:function" strings and imported only when run, so adding one is a single line.
"""

from __future__ import annotations

SUITES: dict[str, str] = {
    "steps": "bench.steps:run",
    "save": "bench.save:run",
    "coldstart": "bench.coldstart:run",
    "language": "bench.language:run",
    "exports": "bench.exports:run",
    "causal": "bench.causal:run",
    "tracker": "bench.tracker:run",
    "learning": "bench.learning:run",
    "archive": "bench.archive:run",
    "chat": "bench.chat:run",
    "load": "bench.load:run",
    "access": "bench.access:run",
    "mdimport": "bench.mdimport:run",
    "trust": "bench.trust:run",
    "notify": "bench.notify:run",
    "markdown_escapes": "bench.markdown_escapes:run",
    "attachments": "bench.attachments:run",
    "browser": "bench.browser:run",
    "home": "bench.home:run",
    "comments": "bench.comments:run",
    "cli": "bench.cli:run",
}
