"""Work that depends only on one stored version of a document, done once per version.

A stored version never changes, so whatever is derived from it (gates, the rubric, a table's frame)
is the same for every rerun and every session until the next save makes a new version. Keyed by the
database file too, so two databases in one process (tests, benchmarks) never share an entry.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import storage
from components import config

T = TypeVar("T")
_CACHE: OrderedDict[tuple, object] = OrderedDict()
_CACHE_SIZE = 128


def per_version(stored: storage.Stored, what: str, compute: Callable[[], T]) -> T:
    """`compute()` once per (database, document, version, day, what); `what` names the result."""
    key = (what, str(config.db_path()), stored.id, stored.version, date.today())
    if key in _CACHE:
        _CACHE.move_to_end(key)
    else:
        _CACHE[key] = compute()
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return _CACHE[key]  # type: ignore[return-value]
