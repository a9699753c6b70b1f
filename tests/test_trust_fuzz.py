"""Issue 11, hole 7: whatever bytes or JSON reach an importer, the command line answers with its
result or one `error:` line and exit code 2, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storage
from postmortem.models import new_postmortem

IMPORTERS = {
    "import": lambda path: ["import", str(path)],
    "import-md": lambda path: ["import-md", str(path), "--dry-run"],
    "timeline-import": lambda path: ["timeline-import", "INC-2026-0001", str(path), "--dry-run"],
    "timeline-import slack": lambda path: [
        "timeline-import",
        "INC-2026-0001",
        str(path),
        "--format",
        "slack",
        "--dry-run",
    ],
    "lint --text": lambda path: ["lint", "--text", str(path)],
}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "header",
                    "incident_id",
                    "title",
                    "status",
                    "timeline",
                    "at",
                    "text",
                    "ts",
                    "user",
                    "type",
                    "sign_offs",
                    "schema_version",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    storage.create(
        db=storage.connect(path, actor=storage.LOCAL), doc=new_postmortem("INC-2026-0001", "Fuzzed")
    )
    return path


def _answers_in_one_line(
    database: Path, tmp_path: Path, capsys, command: str, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    code = main(["--db", str(database), *IMPORTERS[command](path)])
    err = capsys.readouterr().err
    assert code in (0, 1, 2) and "Traceback" not in err
    if code == 2:
        assert err.startswith("error: ") and err.count("\n") == 1, err


@pytest.mark.parametrize("command", IMPORTERS)
@FUZZ
@given(data=st.binary(max_size=400))
def test_hole7_random_bytes_to_each_importer_give_no_traceback(database, tmp_path, capsys, command, data):
    _answers_in_one_line(database, tmp_path, capsys, command, data, ".json")


@pytest.mark.parametrize("command", IMPORTERS)
@FUZZ
@given(value=JSON)
def test_hole7_random_json_to_each_importer_gives_no_traceback(database, tmp_path, capsys, command, value):
    _answers_in_one_line(database, tmp_path, capsys, command, json.dumps(value).encode(), ".json")
