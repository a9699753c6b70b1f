"""The Export step in Chromium: every audience × format downloads as a real file, and so does the zip."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document
from e2e_helpers import shot
from playwright.sync_api import Page, expect

import storage
from bench.fixtures import large_postmortem
from exports.render import AUDIENCES, FORMATS
from postmortem.demo import demo_documents
from postmortem.models import PostMortem
from storage import audit

pytestmark = pytest.mark.e2e

LABELS = {"md": "Markdown", "docx": "Word", "json": "JSON"}


def _download(page: Page, button) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.path().read_bytes()


def test_every_audience_and_format_downloads_in_the_browser(app_server, page: Page):
    doc = demo_documents()[0]
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    page.goto(f"{app_server.url}/export?doc={doc_id}")
    expect(page.get_by_text("Left out of this document").first).to_be_visible(timeout=60_000)
    for label, audience in zip(AUDIENCES.values(), AUDIENCES, strict=True):
        page.get_by_role("tab", name=label).click()
        panel = page.locator("[role=tabpanel]:visible")
        for fmt in FORMATS:
            data = _download(page, panel.get_by_role("button", name=LABELS[fmt], exact=True))
            if fmt == "docx":
                assert Document(io.BytesIO(data)).paragraphs[0].style.name == "Title", audience
            elif fmt == "json":
                json.loads(data)
            else:
                assert data.decode("utf-8").startswith("# "), audience
            if audience == "public":
                assert b"Priya" not in data and b"BATCH-812" not in data
            if audience == "team" and fmt == "json":
                assert PostMortem.model_validate_json(data) == doc
    shot(page, "export-regulator-tab")
    archive = zipfile.ZipFile(
        io.BytesIO(_download(page, page.get_by_role("button", name="Download all (zip)")))
    )
    assert len(archive.namelist()) == len(AUDIENCES) * len(FORMATS)


def _downloads_of_two_quick_clicks(page: Page, first, second) -> dict[str, bytes]:
    """Click both buttons at once, as someone does who wants both files; what arrives, by file name."""
    arrived = []
    listener = lambda download: arrived.append(download)  # noqa: E731
    page.on("download", listener)
    first.click()
    second.click()
    for _ in range(600):
        if len(arrived) == 2:
            break
        page.wait_for_timeout(100)
    page.remove_listener("download", listener)
    return {d.suggested_filename.rsplit(".", 1)[1]: d.path().read_bytes() for d in arrived}


def test_two_downloads_clicked_back_to_back_both_arrive_and_are_audited(app_server, page: Page):
    # The large benchmark document: its files take long enough to make that a click which reran the
    # page (the audit entry used to be an on_click callback) often left the second click with nothing.
    db = storage.connect(app_server.db_path, actor=storage.LOCAL)
    doc_id = storage.create(db=db, doc=large_postmortem()).id
    page.goto(f"{app_server.url}/export?doc={doc_id}")
    expect(page.get_by_text("Left out of this document").first).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name=AUDIENCES["regulator"]).click()
    panel = page.locator("[role=tabpanel]:visible")
    pairs = (("docx", "json"), ("md", "docx"), ("json", "md"))
    for first, second in pairs:
        files = _downloads_of_two_quick_clicks(
            page,
            panel.get_by_role("button", name=LABELS[first], exact=True),
            panel.get_by_role("button", name=LABELS[second], exact=True),
        )
        assert sorted(files) == sorted((first, second))
        if "docx" in files:
            assert Document(io.BytesIO(files["docx"])).paragraphs[0].style.name == "Title"
        if "json" in files:
            assert json.loads(files["json"])["incident_id"] == "INC-2026-9001"
        if "md" in files:
            assert files["md"].startswith(b"# ")
    rows = audit.whole_trail(db=db, action="export", doc_id=doc_id)
    assert sorted((e.by, e.detail) for e in rows) == sorted(
        ("local", f"regulator · {fmt}") for pair in pairs for fmt in pair
    )
