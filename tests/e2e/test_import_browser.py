"""Import Markdown in a real browser: upload one file, see its mapping, create it and land in the wizard;
upload a folder's worth and create them all."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from e2e_helpers import idle, shot
from playwright.sync_api import Page, expect

import storage
from tests import evidence_samples as samples

DATA = Path(__file__).resolve().parents[1] / "data" / "markdown"


def _open(page: Page, app_server) -> None:
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.goto(f"{app_server.url}/import")
    expect(page.get_by_role("heading", name="Import Markdown")).to_be_visible(timeout=20_000)


def _files(page: Page):
    """The "Markdown files" uploader's input (the folder uploader below it has one too)."""
    return page.get_by_test_id("stFileUploader").filter(has_text="Markdown files").locator("input[type=file]")


def test_upload_one_file_create_it_and_open_it_in_the_wizard(page: Page, app_server):
    _open(page, app_server)
    _files(page).set_input_files(str(DATA / "sre_book.md"))
    expect(page.get_by_text("Timeline events")).to_be_visible(timeout=20_000)
    idle(page)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("6")
    page.wait_for_timeout(800)  # let the grid paint before the screenshot
    shot(page, "import-one")
    page.get_by_role("button", name="Create post-mortem").click()
    expect(page).to_have_url(re.compile(r"/header\?doc=1$"), timeout=20_000)
    expect(page.get_by_role("heading", name="Header")).to_be_visible()
    [listed] = storage.list_documents(db=storage.connect(app_server.db_path, actor=storage.LOCAL))
    assert listed.title == "Catalogue Search Outage Postmortem (incident #311)"


def test_upload_many_files_and_create_them_all(page: Page, app_server):
    _open(page, app_server)
    names = ["wiki_terse.md", "github_repo.md", "unusual_nested.md"]
    _files(page).set_input_files([str(DATA / n) for n in names])
    button = page.get_by_role("button", name="Create 3 post-mortems")
    expect(button).to_be_visible(timeout=20_000)
    idle(page)
    page.wait_for_timeout(800)
    shot(page, "import-many")
    button.click()
    expect(page.get_by_text("Created 3 post-mortems")).to_be_visible(timeout=20_000)
    titles = sorted(
        d.title for d in storage.list_documents(db=storage.connect(app_server.db_path, actor=storage.LOCAL))
    )
    assert titles == [
        "DNS resolution failures in eu-west",
        "Payments webhook delays",
        "Post-incident review: stale prices on the storefront",
    ]
    page.wait_for_timeout(500)
    shot(page, "import-many-created")


def test_a_real_post_mortem_shows_its_header_time_with_the_sentence_and_keeps_it(page: Page, app_server):
    real = DATA / "real" / "chia_2021_05_09_negative_coin_values.md"
    _open(page, app_server)
    _files(page).set_input_files(str(real))
    expect(page.get_by_text("Header times read from the text")).to_be_visible(timeout=20_000)
    idle(page)
    page.wait_for_timeout(800)
    shot(page, "import-real-times")
    page.get_by_role("button", name="Create post-mortem").click()
    expect(page.get_by_role("heading", name="Header")).to_be_visible(timeout=20_000)
    page.reload()
    expect(page.get_by_role("heading", name="Header")).to_be_visible(timeout=20_000)
    [listed] = storage.list_documents(db=storage.connect(app_server.db_path, actor=storage.LOCAL))
    doc = storage.get(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc_id=listed.id).doc
    assert doc.header.times.started_at.isoformat() == "2021-05-09T13:48:00+00:00"
    assert len(doc.timeline) == 11 and len(doc.action_items) == 7
    idle(page)
    shot(page, "import-real-header")


def test_a_zip_with_post_md_and_its_pictures_imports_them_as_attachments(page: Page, app_server, tmp_path):
    post = (
        "# Checkout errors after a config push\n\n## Timeline\n"
        "- 2026-03-01 10:00 UTC Config pushed to the payment service\n"
        "- 2026-03-01 10:05 UTC Latency alert fired ![p99 latency at 4 s](images/graph.png)\n"
        "- 2026-03-01 10:40 UTC Rollback finished ![gone](images/missing.png)\n"
    )
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("incident/post.md", post)
        archive.writestr("incident/images/graph.png", samples.png((640, 320)))
    path = tmp_path / "incident.zip"
    path.write_bytes(bundle.getvalue())
    _open(page, app_server)
    _files(page).set_input_files(str(path))
    expect(page.get_by_text("attached where the text shows them")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("images/missing.png: not attached").first).to_be_visible()
    idle(page)
    shot(page, "import-zip-pictures")
    page.get_by_role("button", name="Create post-mortem").click()
    expect(page).to_have_url(re.compile(r"/header\?doc=\d+$"), timeout=30_000)
    [listed] = storage.list_documents(db=storage.connect(app_server.db_path, actor=storage.LOCAL))
    page.goto(f"{app_server.url}/timeline?doc={listed.id}")
    expect(page.get_by_test_id("stImage").first).to_be_visible(timeout=60_000)  # its thumbnail, by the event
    expect(page.get_by_text("1. graph.png")).to_be_visible()
    doc = storage.get(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc_id=listed.id).doc
    [graph] = doc.attachments
    assert graph.alt == "p99 latency at 4 s" and "Latency alert" in next(
        e.text for e in doc.timeline if e.id == graph.target_id
    )


def test_a_folder_upload_keeps_the_paths_so_pictures_in_subfolders_are_found(
    page: Page, app_server, tmp_path
):
    folder = tmp_path / "incident"
    (folder / "images").mkdir(parents=True)
    (folder / "post.md").write_text(
        "# Cache stampede\n\n## Timeline\n"
        "- 2026-04-02 09:00 UTC Cache flushed by the nightly job\n"
        "- 2026-04-02 09:03 UTC Database CPU at 100% ![CPU graph](images/cpu.png)\n",
        encoding="utf-8",
    )
    (folder / "images" / "cpu.png").write_bytes(samples.png((320, 160)))
    _open(page, app_server)
    page.get_by_test_id("stFileUploader").filter(has_text="Or a whole folder").locator(
        "input[type=file]"
    ).set_input_files(str(folder))
    expect(page.get_by_text("attached where the text shows them")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("cpu.png").first).to_be_visible()
    idle(page)
    shot(page, "import-folder-pictures")
