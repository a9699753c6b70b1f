"""Issue 18's done-when in Chromium: attach a Grafana-style PNG to a timeline event, see it, reload
and still see it, export the team Word file and find the picture with its caption in the rendered
PDF; the public export leaves it out and says so."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from e2e_helpers import SHOTS, idle, shot, unfold
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

import storage
from postmortem.demo import demo_documents
from postmortem.models import PostMortem

pytestmark = pytest.mark.e2e

CAPTION = "Checkout p99 latency climbing to 4 seconds after the push"


def grafana_png() -> bytes:
    """A dark dashboard panel: grid, axis labels and a latency line with a spike, like a Grafana export."""
    image = Image.new("RGB", (1200, 500), (17, 18, 23))
    draw = ImageDraw.Draw(image)
    draw.text((20, 12), "checkout · p99 latency (ms)", fill=(216, 217, 218))
    for x in range(60, 1180, 80):
        draw.line([(x, 50), (x, 460)], fill=(44, 46, 52))
    for y in range(50, 470, 60):
        draw.line([(60, y), (1180, y)], fill=(44, 46, 52))
        draw.text((10, y - 6), f"{(460 - y) * 10}", fill=(140, 140, 150))
    values = [400 + (n % 7) * 12 for n in range(56)] + [900, 2200, 3900, 4000, 3800, 1500] + [420] * 20
    points = [(60 + n * 1120 // len(values), 460 - v // 10) for n, v in enumerate(values)]
    draw.line(points, fill=(115, 191, 105), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _download(page: Page, button) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.path().read_bytes()


def _pdf_of(docx: bytes, folder: Path) -> Path:
    source = folder / "team.docx"
    source.write_bytes(docx)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "team.pdf"


def test_an_author_attaches_a_graph_to_an_event_and_it_reaches_the_team_pdf_not_the_public(
    app_server, page: Page, tmp_path
):
    final = demo_documents()[0].model_dump()
    final["header"]["status"] = "draft"  # the demo is final, so read-only; an author edits a draft
    final["sign_offs"] = []
    doc = PostMortem.model_validate(final)
    doc_id = storage.create(db=storage.connect(app_server.db_path, actor=storage.LOCAL), doc=doc).id
    page.goto(f"{app_server.url}/timeline?doc={doc_id}")
    unfold(page, "Attach files")
    form = page.get_by_test_id("stForm").filter(has_text="Attach to")
    expect(form).to_be_visible(timeout=60_000)
    graph = tmp_path / "grafana-latency.png"
    graph.write_bytes(grafana_png())
    form.locator("input[type=file]").set_input_files(str(graph))
    form.get_by_role("textbox", name="Caption").fill(CAPTION)
    form.get_by_role("textbox", name="Alt text (images)").fill("Latency line jumping from 0.4 to 4 seconds")
    form.get_by_role("button", name="Attach").click()
    thumbnail = page.get_by_test_id("stImage").first
    expect(thumbnail).to_be_visible(timeout=60_000)
    idle(page)
    thumbnail.scroll_into_view_if_needed()
    shot(page, "attachments-timeline")

    page.reload()
    expect(page.get_by_test_id("stImage").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text(f"1. {CAPTION}").first).to_be_visible()  # under its thumbnail

    page.goto(f"{app_server.url}/export?doc={doc_id}")
    expect(page.get_by_text("Left out of this document").first).to_be_visible(timeout=60_000)
    team = page.locator("[role=tabpanel]:visible")
    docx = _download(page, team.get_by_role("button", name="Word", exact=True))
    pdf = _pdf_of(docx, tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Figure 1: {CAPTION}" in " ".join(text.split())
    pictures = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert any(line.split()[3:5] == ["1200", "500"] for line in pictures.splitlines()[2:]), pictures
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    figure_page = next(n for n, p in enumerate(pages, 1) if "Figure 1:" in p)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(figure_page),
            "-l",
            str(figure_page),
            str(pdf),
            str(SHOTS / "attachments-team-pdf"),
        ],
        check=True,
    )

    page.get_by_role("tab", name="Public status page").click()
    public = page.locator("[role=tabpanel]:visible")
    expect(
        public.get_by_text("Attachment grafana-latency.png (not marked safe for the public)")
    ).to_be_visible()
    draft = public.get_by_text("Download the draft anyway")
    if draft.count():
        draft.click()
        idle(page)
    markdown = _download(
        page, page.locator("[role=tabpanel]:visible").get_by_role("button", name="Markdown", exact=True)
    )
    assert b"grafana-latency" not in markdown and CAPTION.encode() not in markdown
