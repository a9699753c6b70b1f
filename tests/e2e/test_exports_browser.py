"""The Export step in Chromium: every audience × format downloads as a real file, and so does the zip."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document
from e2e_helpers import run_and_wait, shot
from playwright.sync_api import Page, expect

import storage
from exports.render import AUDIENCES, FORMATS
from postmortem.demo import demo_documents
from postmortem.models import PostMortem

pytestmark = pytest.mark.e2e

LABELS = {"md": "Markdown", "docx": "Word", "json": "JSON"}


def _download(page: Page, button) -> bytes:
    # A download's click records an audit entry and so reruns the page; Streamlit rebuilds the other
    # buttons' deferred files in that run, so the next click waits for it (a person's next click comes later).
    got: dict[str, bytes] = {}

    def click() -> None:
        with page.expect_download(timeout=60_000) as info:
            button.click()
        got["data"] = info.value.path().read_bytes()

    run_and_wait(page, click)
    return got["data"]


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
