"""An editable table bound to a list in the document (timeline, action items, notes, contacts…)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import streamlit as st

import storage
from components import findings, session
from components.fields import show_errors
from components.version_cache import per_version
from postmortem.edit import get_path, with_value


@dataclass(frozen=True)
class Column:
    """One visible column: the item's field, its editor config, and how cells map to JSON values."""

    field: str
    config: Any
    kind: str = "text"  # text | datetime | date | bool | number | choice
    default: Any = None


@dataclass(frozen=True)
class TableSpec:
    path: str
    label: str
    columns: tuple[Column, ...]
    required: str  # rows whose required cell is blank are not saved yet (the author is still typing)
    before_show: Callable[[list[dict]], list[dict]] = field(default=lambda items: items)
    before_save: Callable[[list[dict]], list[dict]] = field(default=lambda rows: rows)


def _cell_to_json(kind: str, value: Any) -> Any:
    if kind == "list":
        return [str(v) for v in value] if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else []
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return False if kind == "bool" else None if kind != "text" else ""
    if kind == "datetime":
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp.tz_convert(UTC)
        return stamp.isoformat()
    if kind == "date":
        return pd.Timestamp(value).date().isoformat()
    if kind == "bool":
        return bool(value)
    if kind == "text":
        return str(value)
    return value


def _json_to_cell(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None)
    if kind == "date":
        return date.fromisoformat(value)
    return value


_DTYPES = {"datetime": "datetime64[ns]", "bool": "bool", "number": "float64"}


def frame(spec: TableSpec, items: list[dict]) -> pd.DataFrame:
    """The table as shown: one row per item, with a dtype per column kind."""
    # Built in one go from plain columns: assigning column by column costs milliseconds per column.
    data = {}
    for column in spec.columns:
        values = [_json_to_cell(column.kind, item.get(column.field)) for item in items]
        if column.kind == "bool":
            data[column.field] = pd.array([bool(v) for v in values], dtype="bool")
        elif column.kind == "datetime":
            data[column.field] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            data[column.field] = pd.Series(values, dtype=_DTYPES.get(column.kind, "object"))
    return pd.DataFrame(data, index=pd.RangeIndex(len(items)), columns=[c.field for c in spec.columns])


def apply_edits(spec: TableSpec, items: list[dict], edits: dict) -> list[dict] | None:
    """The list after the editor's edits, or None when nothing worth saving changed."""
    by_position = [dict(item) for item in items]
    for position, changes in edits.get("edited_rows", {}).items():
        for name, value in changes.items():
            kind = next((c.kind for c in spec.columns if c.field == name), "text")
            by_position[int(position)][name] = _cell_to_json(kind, value)
    deleted = {int(p) for p in edits.get("deleted_rows", [])}
    rows = [row for n, row in enumerate(by_position) if n not in deleted]
    added = []
    for new in edits.get("added_rows", []):
        row = {c.field: _cell_to_json(c.kind, new.get(c.field, c.default)) for c in spec.columns}
        added.append({k: v for k, v in row.items() if v is not None})
    complete_added = [row for row in added if str(row.get(spec.required) or "").strip()]
    if not edits.get("edited_rows") and not deleted and not complete_added:
        return None
    return spec.before_save(rows + complete_added)


def _save_table(doc_id: int, spec: TableSpec, items: list[dict], key: str) -> None:
    rows = apply_edits(spec, items, st.session_state[key])
    if rows is None:
        return
    shown = "\n".join(str(row.get(spec.required, "")) for row in rows)
    session.commit(
        doc_id, spec.label, lambda doc: with_value(doc, spec.path, rows), shown_value=shown, path=spec.path
    )  # the path lets a stale save merge with rows others added meanwhile


def _with_default(column: Column) -> Any:
    # The browser sends a new row only once every required cell has a value: a required choice
    # column must bring its own default, or the row never reaches us.
    if column.default in (None, "") or column.kind in ("datetime", "date"):
        return column.config
    return {**column.config, "default": column.default}


def _rows_and_frame(stored: storage.Stored, spec: TableSpec) -> tuple[list[dict], pd.DataFrame]:
    items = spec.before_show(get_path(stored.doc, spec.path))
    return items, frame(spec, items)  # st.data_editor copies the frame: the cached one stays as built


def editor(stored: storage.Stored, spec: TableSpec, **kwargs: Any) -> pd.DataFrame:
    """Draw the table; each edit is validated and saved, and the table redrawn from what was stored."""
    # The rows and their frame are the same until the next save: built once per stored version.
    items, shown = per_version(stored, f"table:{spec.path}", lambda: _rows_and_frame(stored, spec))
    # The version in the key starts a fresh editor after each save, so edits are never applied twice.
    key = session.widget_key(stored.id, f"{spec.path}:table:v{stored.version}")
    kwargs.setdefault("disabled", session.read_only(stored))  # final, published, or not this user's to change
    kwargs.setdefault("placeholder", "")  # an empty cell shows empty, not Streamlit's "None"
    result = st.data_editor(
        shown,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={c.field: _with_default(c) for c in spec.columns},
        column_order=[c.field for c in spec.columns],
        on_change=_save_table,
        args=(stored.id, spec, items, key),
        **kwargs,
    )
    show_errors(stored.id, spec.label)
    findings.show(stored, spec.path, prefix=True)
    return result
