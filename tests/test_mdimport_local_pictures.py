"""Issue 18: a Markdown post-mortem imported with the pictures beside it (a folder upload or a zip
holding post.md and images/graph.png): each picture the text shows from a relative path becomes an
attachment of the event or section that shows it, checked as an upload is (re-encoded, GPS gone);
missing or refused files are listed and nothing is fetched."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

import storage
from postmortem.mdimport.bundle import gather, normalised
from postmortem.mdimport.with_files import import_with_files
from postmortem.models import AttachedTo
from storage import blobs
from storage.imported_files import import_markdown_bundle
from tests import evidence_samples as samples
from tests.apptest_helpers import app_for

POST = """# Checkout errors after a config push

## Summary
Checkout failed for 40 minutes. ![Error rate per minute](images/errors.jpg)

## Timeline
- 2026-03-01 10:00 UTC Config pushed to the payment service
- 2026-03-01 10:05 UTC Latency alert fired ![p99 latency at 4 s](images/graph.png "Grafana")
- 2026-03-01 10:40 UTC Rollback finished

## Root cause
An unchecked config value. ![The config flow](./diagrams/flow.png)
Also on the dashboard: ![live](https://grafana.example/render/d/abc.png)

## Lessons
- Check config before it ships. ![gone](images/not-there.png) ![drawing](images/evil.svg)
"""


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def folder() -> dict[str, bytes]:
    return {
        "pm/post.md": POST.encode(),
        "pm/images/graph.png": samples.png((600, 300)),
        "pm/images/errors.jpg": samples.jpeg_with_gps((64, 48)),
        "pm/diagrams/flow.png": samples.png((40, 30)),
        "pm/images/evil.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "__MACOSX/pm/._post.md": b"\x00\x05\x16\x07",
    }


def _imported(files: dict[str, bytes]):
    bundle = gather(files.items())
    [(path, data)] = bundle.documents
    return import_with_files(path, data, bundle.files)


@pytest.mark.parametrize(
    ("path", "clean"),
    [
        ("a/./b/../c.png", "a/c.png"),
        ("images\\g.png", "images/g.png"),
        ("../etc/passwd", None),
        ("/etc/x", None),
    ],
)
def test_paths_inside_the_folder_are_read_in_one_spelling_and_none_leaves_it(path, clean):
    assert normalised(path) == clean


def test_each_picture_becomes_an_attachment_where_the_text_shows_it(folder):
    one = _imported(folder)
    doc = one.result.doc
    where = {a.name: (a.target, a.target_id, a.alt) for a in doc.attachments}
    latency = next(e for e in doc.timeline if "Latency alert" in e.text)
    assert where == {
        "errors.jpg": (AttachedTo.SECTION, "summary", "Error rate per minute"),
        "graph.png": (AttachedTo.EVENT, latency.id, "p99 latency at 4 s"),
        "flow.png": (AttachedTo.SECTION, "root_cause", "The config flow"),
    }
    assert sorted(f.name for f in one.files) == ["errors.jpg", "flow.png", "graph.png"]
    # The web picture stays a link (nothing fetched); the attached ones are no longer links.
    assert [link.url for link in doc.links if "png" in link.url or "jpg" in link.url] == [
        "https://grafana.example/render/d/abc.png",
        "images/not-there.png",
    ]


def test_missing_and_refused_files_are_reported_and_left_out(folder):
    one = _imported(folder)
    warnings = " ".join(one.result.warnings)
    assert "images/not-there.png: not attached, the file was not in the upload" in warnings
    assert "images/evil.svg: not attached" in warnings and "scripts" in warnings
    assert not any(a.name.endswith(".svg") for a in one.result.doc.attachments)


def test_pictures_are_re_encoded_so_no_gps_survives(folder):
    photo = next(f for f in _imported(folder).files if f.name == "errors.jpg")
    assert photo.data != folder["pm/images/errors.jpg"]
    assert not Image.open(io.BytesIO(photo.data)).getexif()


def test_files_chosen_one_by_one_match_by_name(folder):
    flat = {path.rsplit("/", 1)[-1]: data for path, data in folder.items() if "__MACOSX" not in path}
    assert sorted(a.name for a in _imported(flat).result.doc.attachments) == [
        "errors.jpg",
        "flow.png",
        "graph.png",
    ]


def test_a_zip_bomb_claiming_too_much_is_refused_before_reading():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("post.md", "# x\n")
        archive.writestr("huge.png", b"\x00" * (21 * 2**20))  # compresses to ~20 KB
    bundle = gather([("bomb.zip", out.getvalue())])
    assert "huge.png" not in bundle.files and any("larger than 20 MB" in p for p in bundle.problems)


def test_the_cli_function_stores_each_document_with_its_pictures(db_path, folder):
    db = storage.connect(db_path, actor=storage.LOCAL)
    outcomes, problems = import_markdown_bundle(db=db, uploads=[("pm.zip", _zip(folder))])
    assert problems == []
    [done] = outcomes
    assert done.stored is not None and not done.error
    stored = storage.get(db=db, doc_id=done.stored.id)
    assert len(stored.doc.attachments) == 3
    for a in stored.doc.attachments:
        assert blobs.get(db=db, doc_id=stored.id, digest=a.digest).data
    assert any("attached as graph.png" in line for line in done.pictures)


def test_the_import_page_attaches_pictures_from_a_zip(db_path, monkeypatch, folder):
    at = app_for(db_path, monkeypatch).switch_page("pages/23_import.py").run()
    at.file_uploader(key="import:files").set_value([("pm.zip", _zip(folder), "application/zip")])
    at = at.run()
    assert not at.exception
    shown = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "errors.jpg" in shown and "graph.png" in shown and "flow.png" in shown
    warnings = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "images/not-there.png" in warnings and "images/evil.svg" in warnings
    at.text_input[0].input("INC-2026-0200")
    at = next(b for b in at.button if b.label == "Create post-mortem").click().run()
    assert not at.exception
    [listed] = storage.list_documents(db=storage.connect(db_path, actor=storage.LOCAL))
    doc = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=listed.id).doc
    assert sorted(a.name for a in doc.attachments) == ["errors.jpg", "flow.png", "graph.png"]
    db = storage.connect(db_path, actor=storage.LOCAL)
    assert all(blobs.get(db=db, doc_id=listed.id, digest=a.digest) for a in doc.attachments)


def test_the_import_page_takes_a_folder_upload_with_paths(db_path, monkeypatch, folder):
    at = app_for(db_path, monkeypatch).switch_page("pages/23_import.py").run()
    # The browser sends a folder's files named by their path in it, only those of the accepted types.
    files = [(p, data, "application/octet-stream") for p, data in folder.items() if not p.endswith(".svg")]
    at.file_uploader(key="import:folder").set_value(files)
    at = at.run()
    assert not at.exception
    shown = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "graph.png" in shown and "flow.png" in shown
