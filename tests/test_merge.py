"""Three-way merge of one text field (postmortem.merge)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postmortem.merge import Conflict, conflicts, merge, merge_rows, merged_text, resolve

BASE = "The cache expired. Checkout failed for 22 minutes. We rolled back."


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        # different sentences changed: both kept
        (
            "The cache expired early. Checkout failed for 22 minutes. We rolled back.",
            "The cache expired. Checkout failed for 22 minutes. We rolled back the deploy.",
            "The cache expired early. Checkout failed for 22 minutes. We rolled back the deploy.",
        ),
        # one side unchanged: the other side's text
        (BASE, "Short.", "Short."),
        ("Short.", BASE, "Short."),
        # both made the same change
        (
            "The cache expired. Checkout failed for 25 minutes. We rolled back.",
            "The cache expired. Checkout failed for 25 minutes. We rolled back.",
            "The cache expired. Checkout failed for 25 minutes. We rolled back.",
        ),
        # one appends, the other edits the start
        (
            BASE + " Alerts now page on-call.",
            "A TTL expired. Checkout failed for 22 minutes. We rolled back.",
            "A TTL expired. Checkout failed for 22 minutes. We rolled back. Alerts now page on-call.",
        ),
    ],
)
def test_clean_merges_keep_both_changes(mine, theirs, expected):
    assert merged_text(BASE, mine, theirs) == expected


def test_same_words_changed_differently_is_a_conflict_with_both_texts():
    pieces = merge(
        BASE, BASE.replace("22 minutes", "25 minutes"), BASE.replace("22 minutes", "about 20 minutes")
    )
    [conflict] = conflicts(pieces)
    assert "25" in conflict.mine and "about 20" in conflict.theirs and "22" in conflict.base
    assert merged_text(BASE, BASE.replace("22", "25"), BASE.replace("22", "30")) is None
    assert resolve(pieces, ["theirs"]) == BASE.replace("22 minutes", "about 20 minutes")
    assert resolve(pieces, ["mine"]) == BASE.replace("22 minutes", "25 minutes")
    assert "25" in resolve(pieces, ["both"]) and "about 20" in resolve(pieces, ["both"])


def test_two_inserts_at_the_same_place_clash():
    assert isinstance(merge("ab", "aXb", "aYb")[1], Conflict)


def test_resolve_needs_a_choice_per_conflict():
    pieces = merge(BASE, BASE.replace("22", "25"), BASE.replace("22", "30"))
    with pytest.raises(ValueError, match="every part"):
        resolve(pieces, [])


@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40))
def test_merge_reproduces_each_side_when_the_other_is_unchanged(base, mine, theirs):
    assert merged_text(base, mine, base) == mine
    assert merged_text(base, base, theirs) == theirs
    pieces = merge(base, mine, theirs)
    assert resolve(pieces, ["mine"] * len(conflicts(pieces))) is not None


def _rows(*pairs):
    return [{"id": key, "text": text} for key, text in pairs]


def test_rows_both_added_are_all_kept_in_place():
    base = _rows(("a", "Alert fired"), ("b", "Rollback"))
    mine = _rows(("a", "Alert fired"), ("m", "Paged the database on-call"), ("b", "Rollback"))
    theirs = _rows(("a", "Alert fired"), ("b", "Rollback"), ("t", "Status page updated"))
    assert [r["id"] for r in merge_rows(base, mine, theirs)] == ["a", "m", "b", "t"]


def test_rows_changed_or_deleted_on_one_side_take_that_side():
    base = _rows(("a", "Alert fired"), ("b", "Rollback"), ("c", "Closed"))
    mine = _rows(("a", "Alert fired at 06:02"), ("b", "Rollback"), ("c", "Closed"))
    theirs = _rows(("a", "Alert fired"), ("b", "Rollback started"))  # c deleted
    assert merge_rows(base, mine, theirs) == _rows(("a", "Alert fired at 06:02"), ("b", "Rollback started"))


@pytest.mark.parametrize("theirs", [_rows(("a", "Alert fired at 06:03")), []])
def test_one_row_changed_by_both_or_changed_and_deleted_needs_a_choice(theirs):
    assert merge_rows(_rows(("a", "Alert fired")), _rows(("a", "Alert fired at 06:02")), theirs) is None


def test_rows_without_ids_are_not_merged():
    assert merge_rows([{"text": "x"}], [], []) is None


def test_my_rows_added_before_any_other_go_first_and_alone_go_last():
    base = _rows(("a", "Alert fired"))
    assert [
        r["id"]
        for r in merge_rows(base, _rows(("m", "First"), ("a", "Alert fired")), base + _rows(("t", "Theirs")))
    ] == ["m", "a", "t"]
    assert [r["id"] for r in merge_rows([], _rows(("m", "Mine")), _rows(("t", "Theirs")))] == ["t", "m"]
