"""Issue 18 item 6, in the app: the Timeline step's rerun with 50 re-encoded images attached to its
events (thumbnails drawn), next to the same document without them; and the team Word export with the
50 pictures embedded, next to the same export without them. Both pairs are measured in the same run."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import storage
from bench import steps
from bench.report import Figure, median, ratio
from components.steps import by_slug
from exports.render import render
from postmortem.demo import demo_documents
from postmortem.evidence import Accepted
from postmortem.models import AttachedTo, PostMortem
from storage import blobs

DOCX_RUNS = 3
DOCX_MAX_S = 5.0  # the issue asks for 10 s; 5 s leaves room on a machine shared by many


def document() -> PostMortem:
    """The first demo post-mortem as a draft (a final one hides the uploader): 20-odd events."""
    data = demo_documents()[0].model_dump()
    data["header"]["status"], data["sign_offs"] = "draft", []
    return PostMortem.model_validate(data)


def _with_images(doc: PostMortem, kept: list[Accepted]) -> PostMortem:
    """`doc` with one image on each of its first events (all 50 on the Timeline step)."""
    events = doc.timeline
    return doc.model_copy(
        update={
            "attachments": [
                k.attachment(
                    alt=f"Graph {n}",
                    caption=f"Graph {n} at the time of the event",
                    target=AttachedTo.EVENT,
                    target_id=events[n % len(events)].id,
                )
                for n, k in enumerate(kept)
            ]
        }
    )


def _stored(path: Path, doc: PostMortem, kept: list[Accepted]) -> int:
    db = storage.connect(path, actor=storage.LOCAL)
    try:
        created = storage.create(db=db, doc=doc.model_copy(update={"attachments": []}))
        for item in kept:
            blobs.put(db=db, item=item, doc_id=created.id)
        if doc.attachments:
            storage.save(db=db, doc_id=created.id, doc=doc, expected_version=created.version)
        return created.id
    finally:
        db.close()


def step_rerun(tmp: str, doc: PostMortem, kept: list[Accepted], reruns: int = 10) -> Figure:
    step = by_slug("timeline")
    steps.quiet_streamlit()
    with steps.app_settings():
        docs = {}
        for label, version in (("large", _with_images(doc, kept)), ("empty", doc)):
            path = Path(tmp) / f"step-{label}.db"
            docs[label] = (str(path), _stored(path, version, kept if label == "large" else []))
        figure = steps.measure_page("timeline", step.script, step.title, docs, reruns, 2)
    return dataclasses.replace(
        figure,
        name=f"attachments:step timeline rerun ({len(kept)} images)",
        note=(figure.note + "; " if figure.note else "") + "baseline: the same document without attachments",
    )


def _seconds(doc: PostMortem, data: dict[str, bytes]) -> tuple[float, float]:
    """Median (wall, CPU) seconds of the team Word export: CPU time says what the export costs when
    seven other processes share the machine's two cores."""
    walls, cpus = [], []
    for _ in range(DOCX_RUNS):
        cpu, start = time.process_time(), time.perf_counter()
        render(doc, "team", "docx", blobs=data, country="US")
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return median(walls), median(cpus)


def docx_export(doc: PostMortem, kept: list[Accepted]) -> Figure:
    data = {k.digest: k.data for k in kept}
    (with_images, cpu), (without, cpu_without) = _seconds(_with_images(doc, kept), data), _seconds(doc, {})
    print(
        f"  team docx: {with_images:.2f} s (cpu {cpu:.2f})  without: {without:.2f} s (cpu {cpu_without:.2f})"
    )
    return Figure(
        f"attachments:team docx ({len(kept)} images)",
        with_images,
        "s",
        without,
        ratio(with_images, without),
        f"<= {DOCX_MAX_S:g} s",
        with_images <= DOCX_MAX_S,
        note=f"baseline: the same document without attachments; CPU {cpu:.2f} s (baseline {cpu_without:.2f} s)",
    )
