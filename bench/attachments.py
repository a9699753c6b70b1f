"""Evidence attachments: what re-encoding an upload costs, and what each image adds to the database,
next to the naive way (keeping the uploaded bytes as they came) measured in the same run.

50 photo-like JPEGs of about 2 MB each (smooth gradients under fine noise, quality 95, the way a
phone or a screenshot tool saves them) are made with Pillow before anything is timed. Each goes
through `postmortem.evidence.accept` (decode, drop metadata, re-encode) and `storage.blobs.put`; the
naive run puts the original bytes as the blob. Then a document naming all 50 is saved ten times:
revisions refer to blobs by digest, so a save grows the database by a body, not by 100 MB.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import time
from pathlib import Path

from PIL import Image

import storage
from bench import attachments_step, fixtures
from bench.report import Figure, median, ratio
from postmortem.evidence import Accepted, MediaType, accept
from storage import blobs

IMAGES = 50
SIZE = (1840, 1380)  # about 2 MB at JPEG quality 95
ACCEPT_MAX_MS = 1000.0
SAVES = 10
ENTRY_MAX_KIB = 1.0


def photo_like(seed: int, size: tuple[int, int] = (1600, 1200), quality: int = 95) -> bytes:
    """A JPEG that compresses like a photo: smooth gradients under fine noise."""
    noise = Image.effect_noise(size, 60 + seed % 20).convert("L")
    gradient = Image.linear_gradient("L").resize(size)
    rgb = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _db_bytes(db: storage.Database) -> int:
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]


def _naive(data: bytes, name: str) -> Accepted:
    # What storing the upload as it came would keep: the same bytes, only hashed.
    return Accepted(data, hashlib.sha256(data).hexdigest(), MediaType.JPEG, name)


def _store(
    db: storage.Database, doc_id: int, uploads: list[bytes], check
) -> tuple[list[float], list[Accepted], int]:
    before, timings, kept = _db_bytes(db), [], []
    for n, data in enumerate(uploads):
        start = time.perf_counter()
        item = check(data, f"graph-{n}.jpg")
        blobs.put(db=db, item=item, doc_id=doc_id)
        timings.append((time.perf_counter() - start) * 1000)
        kept.append(item)
    return timings, kept, _db_bytes(db) - before


def _attached(doc, kept: list[Accepted]):
    return doc.model_copy(
        update={"attachments": [k.attachment(alt=f"Graph {n}", position=n) for n, k in enumerate(kept)]}
    )


def _save_growth(db: storage.Database, stored, doc) -> float:
    """Database bytes per save of `doc` (its blobs already stored)."""
    version, before = stored.version, _db_bytes(db)
    for _ in range(SAVES):
        version = storage.save(db=db, doc_id=stored.id, doc=doc, expected_version=version).version
    return (_db_bytes(db) - before) / SAVES


def run(images: int = IMAGES, **_: object) -> list[Figure]:
    uploads = [photo_like(seed, SIZE) for seed in range(images)]
    uploaded_mb = sum(map(len, uploads)) / images / 2**20
    with tempfile.TemporaryDirectory(prefix="debrief-bench-attachments-") as tmp:
        runs = {}
        for label, check in (("reencoded", accept), ("naive", _naive)):
            db = storage.connect(Path(tmp) / f"{label}.db", actor=storage.LOCAL)
            stored = storage.create(db=db, doc=fixtures.empty_postmortem())
            timings, kept, growth = _store(db, stored.id, uploads, check)
            plain = _save_growth(db, stored, stored.doc)  # the same document with no attachments
            stored = storage.get(db=db, doc_id=stored.id)
            per_save = _save_growth(db, stored, _attached(stored.doc, kept))
            runs[label] = (median(timings), growth / images, per_save, plain)
            if label == "reencoded":
                reencoded = kept
            db.close()
        doc = attachments_step.document()
        in_app = [
            attachments_step.step_rerun(tmp, doc, reencoded),
            attachments_step.docx_export(doc, reencoded),
        ]
    (t_new, g_new, s_new, plain), (t_old, g_old, _, _) = runs["reencoded"], runs["naive"]
    note = (
        f"{images} photo-like JPEGs of {SIZE[0]}x{SIZE[1]}, {uploaded_mb:.2f} MB each on average as uploaded"
    )
    return [
        Figure(
            "attachments:accept+put median",
            t_new,
            "ms",
            t_old,
            ratio(t_new, t_old),
            f"<= {ACCEPT_MAX_MS:g} ms",
            t_new <= ACCEPT_MAX_MS,
            note=note,
        ),
        Figure(
            "attachments:db growth per image",
            g_new / 1024,
            "KiB",
            g_old / 1024,
            ratio(g_new, g_old),
            "<= 1x naive",
            g_new <= g_old,
        ),
        # A save writes a revision of the body: the attachment entries (digest, name, caption), never the bytes.
        Figure(
            f"attachments:db growth per save ({images} attached)",
            s_new / 1024,
            "KiB",
            plain / 1024,
            ratio(s_new, plain),
            f"<= {ENTRY_MAX_KIB:g} KiB per attachment over no attachments",
            s_new - plain <= ENTRY_MAX_KIB * 1024 * images,
            note=f"one image re-encoded is {g_new / 1024:,.0f} KiB; a save that copied them would add "
            f"{g_new * images / 2**20:,.0f} MiB",
        ),
        *in_app,
    ]
