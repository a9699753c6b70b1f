"""Issue 18, exports: pictures in Word with numbered captions, files beside the Markdown in the zip,
base64 in the JSON that the CLI import takes back through the upload checks, only the files cleared
for an audience in its export (the rest named as left out), and no camera or GPS data anywhere."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile

import pytest
from cli_helpers import main

import storage
from exports.docx import _PORTRAIT_WIDTH
from exports.render import render, render_all
from exports.withheld import withheld
from postmortem.evidence import accept
from postmortem.models import AttachedTo, Attachment, PostMortem
from storage import blobs
from tests import evidence_samples as samples


def _attachment(kept, **fields) -> Attachment:
    return kept.attachment(**fields)


@pytest.fixture
def files():
    return {
        "graph": accept(samples.png((640, 320)), "grafana.png"),
        "photo": accept(samples.jpeg_with_gps((64, 48)), "IMG_0001.jpg"),
        "log": accept(b"12:01 error rate 4%\n12:03 rollback\n", "app.log"),
    }


@pytest.fixture
def evidenced(doc, files) -> PostMortem:
    event = doc.timeline[0].id
    return doc.model_copy(
        update={
            "attachments": [
                _attachment(
                    files["graph"],
                    target=AttachedTo.EVENT,
                    target_id=event,
                    caption="p99 latency at 10:03",
                    alt="Latency graph",
                    safe_for_public=True,
                ),
                _attachment(
                    files["photo"],
                    target=AttachedTo.SECTION,
                    target_id="root_cause",
                    caption="Whiteboard",
                    alt="Whiteboard photo",
                    safe_for_executives=True,
                ),
                _attachment(
                    files["log"], target=AttachedTo.EVENT, target_id=event, caption="Router log", position=1
                ),
            ]
        }
    )


@pytest.fixture
def data(files) -> dict[str, bytes]:
    return {f.digest: f.data for f in files.values()}


def _docx_parts(docx: bytes) -> tuple[str, list[bytes]]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
        return z.read("word/document.xml").decode(), media


def test_word_embeds_each_picture_with_a_numbered_caption_and_lists_the_log(evidenced, data, files):
    xml, media = _docx_parts(render(evidenced, "team", "docx", blobs=data, country="US"))
    assert files["graph"].data in media and files["photo"].data in media
    text = re.sub(r"<[^>]+>", "", xml)
    # Reading order: the timeline event comes before the root-cause section.
    assert text.index("Figure 1: p99 latency at 10:03") < text.index("Figure 2: Whiteboard")
    assert "app.txt: Router log" in text


def test_word_pictures_are_as_wide_as_the_text(evidenced, data):
    xml, _ = _docx_parts(render(evidenced, "team", "docx", blobs=data, country="US"))
    widths = [int(cx) for cx in re.findall(r'<wp:extent cx="(\d+)"', xml)]
    text_width_emu = _PORTRAIT_WIDTH * 635  # A4 less the side margins, twips to EMU
    assert widths and max(widths) == pytest.approx(text_width_emu, rel=0.01)


def test_markdown_refers_to_files_the_zip_holds_beside_it(evidenced, data):
    with zipfile.ZipFile(
        io.BytesIO(render_all(evidenced, audiences=["team", "public"], blobs=data, country="US"))
    ) as z:
        names = set(z.namelist())
        team = z.read("INC-2026-0001-team.md").decode()
        public = z.read("INC-2026-0001-public.md").decode()
    referred = set(re.findall(r"\]\(<(attachments/[^>]+)>\)", team))
    assert referred == {"attachments/grafana.png", "attachments/IMG_0001.jpg", "attachments/app.txt"}
    assert referred <= names
    assert "attachments/grafana.png" in public and "IMG_0001" not in public and "app.txt" not in public


def test_the_single_markdown_links_files_by_name(evidenced):
    md = render(evidenced, "team", "md", country="US").decode()
    assert (
        "![Latency graph](<attachments/grafana.png>)" in md and "*Figure 1\\: p99 latency at 10\\:03*" in md
    )


def test_public_and_executive_get_only_files_cleared_for_them_and_name_the_rest(evidenced, data, files):
    _, public_media = _docx_parts(render(evidenced, "public", "docx", blobs=data, country="US"))
    assert public_media == [files["graph"].data]
    _, exec_media = _docx_parts(render(evidenced, "exec", "docx", blobs=data, country="US"))
    assert exec_media == [files["photo"].data]
    assert "Attachment IMG_0001.jpg (not marked safe for the public)" in withheld(evidenced, "public")
    assert "Attachment app.txt (not marked safe for the public)" in withheld(evidenced, "public")
    assert "Attachment grafana.png (not marked safe for the executive brief)" in withheld(evidenced, "exec")
    assert not [w for w in withheld(evidenced, "team") if w.startswith("Attachment")]
    public_json = json.loads(render(evidenced, "public", "json", blobs=data, country="US"))
    assert public_json["attachments"] == [
        {"file": "attachments/grafana.png", "caption": "Figure 1: p99 latency at 10:03"}
    ]


def test_a_public_caption_goes_through_the_public_redaction(evidenced, data):
    graph = evidenced.attachments[0].model_copy(update={"caption": "Dana Example restarted db-7.internal"})
    doc = evidenced.model_copy(update={"attachments": [graph, *evidenced.attachments[1:]]})
    public = render(doc, "public", "md", country="US").decode()
    assert "Dana" not in public and "db-7" not in public


def _no_camera_data(data: bytes) -> None:
    assert b"Exif" not in data and b"PhoneCo" not in data and b"shot at home" not in data


def test_a_gps_photo_leaves_every_export_without_its_metadata(evidenced, data, files):
    _no_camera_data(files["photo"].data)
    for audience in ("team", "exec", "regulator"):
        _, media = _docx_parts(render(evidenced, audience, "docx", blobs=data, country="US"))
        assert media
        for picture in media:
            _no_camera_data(picture)
    with zipfile.ZipFile(io.BytesIO(render_all(evidenced, blobs=data, country="US"))) as z:
        _no_camera_data(z.read("attachments/IMG_0001.jpg"))
        carried = json.loads(z.read("INC-2026-0001-team.json"))["attachment_files"]
    for text in carried.values():
        _no_camera_data(base64.b64decode(text))


# --- JSON export -> CLI import ------------------------------------------------------------------


@pytest.fixture
def exported(tmp_path, db_path, evidenced, files):
    db = storage.connect(db_path, actor=storage.LOCAL)
    created = storage.create(db=db, doc=evidenced.model_copy(update={"attachments": []}))
    for item in files.values():
        blobs.put(db=db, item=item, doc_id=created.id)
    storage.save(db=db, doc_id=created.id, doc=evidenced, expected_version=1)
    out = tmp_path / "team.json"
    assert main(["export", "1", "--format", "json", "-o", str(out), "--db", str(db_path)]) == 0
    return out


def test_team_json_export_and_import_keep_every_attachment(tmp_path, exported, evidenced, files):
    target = tmp_path / "other.db"
    assert main(["import", str(exported), "--db", str(target)]) == 0
    db = storage.connect(target, actor=storage.LOCAL)
    back = storage.get(db=db, doc_id=1).doc
    strip = lambda a: a.model_dump(exclude={"digest", "size"})  # noqa: E731 - a re-encoded JPEG may differ by bytes
    assert [strip(a) for a in back.attachments] == [strip(a) for a in evidenced.attachments]
    for a in back.attachments:
        assert blobs.get(db=db, doc_id=1, digest=a.digest).data
    assert blobs.get(db=db, doc_id=1, digest=back.attachments[0].digest).data == files["graph"].data


def test_an_svg_smuggled_into_the_json_is_refused_and_nothing_is_imported(tmp_path, exported, capsys):
    data = json.loads(exported.read_text())
    digest = data["attachments"][0]["digest"]
    data["attachment_files"][digest] = base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ).decode()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    target = tmp_path / "other.db"
    assert main(["import", str(bad), "--db", str(target)]) != 0
    assert "refused" in capsys.readouterr().err
    assert storage.list_documents(db=storage.connect(target, actor=storage.LOCAL)) == []


def test_broken_base64_is_a_clear_error(tmp_path, exported, capsys):
    data = json.loads(exported.read_text())
    data["attachment_files"] = {k: "not base64!" for k in data["attachment_files"]}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    assert main(["import", str(bad), "--db", str(tmp_path / "other.db")]) != 0
    assert "not valid base64" in capsys.readouterr().err
