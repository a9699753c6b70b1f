"""CSV files made safe to open in a spreadsheet (OWASP "CSV injection"): a cell that starts with
=, +, -, @, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets, and
`=HYPERLINK(...)` or `=cmd|...` in a log someone attached would run on the reader's machine. Such
cells get a ' in front, which spreadsheets show as text. Plain numbers such as -5 or +3.2 are left
alone: they are no formula, and changing them would change the evidence.

Applied when a file leaves Debrief (a download, an export zip); the stored file stays as uploaded,
and the JSON export carries it unchanged so an import gets back exactly what was kept."""

from __future__ import annotations

import csv
import io
import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?")
_DELIMITERS = ",;\t"


def safe_cell(cell: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=_DELIMITERS)
    except csv.Error:
        return csv.excel


def _by_lines(text: str, delimiter: str) -> str:
    # A file the csv module cannot read back (a cell past its size limit): each delimited piece is
    # still checked, so nothing a spreadsheet would run gets through.
    return "".join(
        delimiter.join(safe_cell(piece) for piece in line.split(delimiter))
        for line in text.splitlines(keepends=True)
    )


def neutralised(data: bytes) -> bytes:
    """A CSV file (UTF-8, as Debrief keeps it) with every formula-like cell turned into text."""
    text = data.decode("utf-8", errors="replace")
    dialect = _dialect(text)
    out = io.StringIO(newline="")
    writer = csv.writer(
        out,
        delimiter=dialect.delimiter,
        quotechar='"',
        quoting=csv.QUOTE_MINIMAL,
        lineterminator="\r\n" if "\r\n" in text else "\n",
    )
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            writer.writerow([safe_cell(cell) for cell in row])
    except csv.Error:
        return _by_lines(text, dialect.delimiter).encode("utf-8")
    return out.getvalue().encode("utf-8")


def for_download(data: bytes, media_type: str) -> bytes:
    """The bytes a file leaves Debrief with: CSV neutralised, everything else as kept."""
    return neutralised(data) if media_type == "text/csv" else data
