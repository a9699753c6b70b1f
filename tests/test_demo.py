"""postmortem.demo: the three examples are JSON files validated by the model when they load."""

from __future__ import annotations

import json

import pytest

from postmortem.demo import DEMO_FOLDER, DemoDocumentError, demo_documents, load_documents
from postmortem.errors import DebriefError

DOCS = demo_documents()


def test_three_examples_load_in_file_order():
    assert [d.header.severity.value for d in DOCS] == ["Sev1", "Sev2", "Sev3"]
    assert [d.header.incident_id for d in DOCS] == sorted(d.header.incident_id for d in DOCS)
    assert sorted(f.name for f in DEMO_FOLDER.iterdir() if f.name.endswith(".json")) == [
        "01_checkout_pool.json",
        "02_pricing_experiment.json",
        "03_mobile_launch.json",
    ]


def test_every_load_gives_the_same_documents_with_the_same_ids():
    again = demo_documents()
    assert again == DOCS
    assert [a.id for d in again for a in d.action_items] == [a.id for d in DOCS for a in d.action_items]


def test_the_sev1_example_has_its_causal_tree_linked_to_factors():
    tree = DOCS[0].root_cause.causal_tree
    assert tree.nodes and tree.nodes[0].kind.value == "outcome"
    factor_ids = {f.id for f in DOCS[0].contributing_factors}
    assert {n.factor_id for n in tree.nodes if n.factor_id} <= factor_ids


def _folder(tmp_path, **files: str):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_folder_loads_its_json_files_only(tmp_path):
    good = (DEMO_FOLDER / "03_mobile_launch.json").read_text(encoding="utf-8")
    docs = load_documents(_folder(tmp_path, **{"b.json": good, "README.md": "not a document"}))
    assert docs == [DOCS[2]]


@pytest.mark.parametrize(
    "text, words",
    [
        ("{not json", ["broken.json", "not valid JSON"]),
        (json.dumps({"header": {"title": "No id", "severity": "Sev9"}}), ["broken.json", "header.severity"]),
        (json.dumps([1, 2]), ["broken.json", "not a valid post-mortem"]),
    ],
)
def test_an_invalid_file_is_named_in_the_error(tmp_path, text, words):
    good = (DEMO_FOLDER / "01_checkout_pool.json").read_text(encoding="utf-8")
    with pytest.raises(DemoDocumentError) as caught:
        load_documents(_folder(tmp_path, **{"a.json": good, "broken.json": text}))
    assert isinstance(caught.value, DebriefError)
    assert all(word in caught.value.message for word in words), caught.value.message
