"""The Attachment model on the document, and the review's question about alt text."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from postmortem import review
from postmortem.models import AttachedTo, Attachment, PostMortem
from tests.conftest import build_postmortem

DIGEST = "ab" * 32


def image(**fields) -> Attachment:
    return Attachment(
        **{
            "digest": DIGEST,
            "media_type": "image/png",
            "name": "p99.png",
            "size": 10,
            "width": 4,
            "height": 3,
            **fields,
        }
    )


def test_a_document_saved_before_attachments_existed_still_reads():
    body = json.loads(build_postmortem().model_dump_json())
    del body["attachments"]
    assert PostMortem.model_validate(body).attachments == []


def test_an_attachment_defaults_to_the_appendix_and_to_no_audience_outside_the_team():
    attachment = image()
    assert (attachment.target, attachment.target_id) == (AttachedTo.SECTION, "appendix")
    assert not attachment.safe_for_public and not attachment.safe_for_executives and attachment.is_image


@pytest.mark.parametrize(
    "fields",
    [
        {"digest": "not-a-digest"},
        {"digest": "AB" * 32},
        {"media_type": "image/svg+xml"},
        {"media_type": "text/html"},
        {"name": ""},
        {"size": -1},
        {"width": 0},
        {"target_id": "../summary"},
        {"target": "email"},
        {"position": -1},
        {"script": "alert(1)"},
    ],
)
def test_nonsense_attachments_are_refused(fields):
    with pytest.raises(ValidationError):
        image(**fields)


def test_two_attachments_may_not_share_an_id():
    twin = image()
    with pytest.raises(ValidationError, match="share the id"):
        PostMortem.model_validate(
            {
                **json.loads(build_postmortem().model_dump_json()),
                "attachments": [twin.model_dump(mode="json")] * 2,
            }
        )


def test_the_same_blob_may_be_attached_twice_with_different_captions():
    doc = build_postmortem().model_copy(
        update={"attachments": [image(caption="before"), image(caption="after")]}
    )
    assert PostMortem.model_validate_json(doc.model_dump_json()) == doc


def _alt_gate(doc: PostMortem) -> review.Gate:
    return next(g for g in review.gates(doc, today=date(2026, 3, 20)) if g.id == "alt-text")


@pytest.mark.parametrize(
    "attachments, ok",
    [
        ([], True),
        ([image(alt="p99 latency rising to 4 s at 10:15")], True),
        ([image(alt="   ")], False),
        ([image()], False),
        ([image(media_type="application/pdf", name="runbook.pdf", width=None, height=None)], True),
        ([image(media_type="text/plain", name="app.txt", width=None, height=None)], True),
    ],
)
def test_an_image_without_alt_text_is_a_finding_that_blocks_final(attachments, ok):
    gate = _alt_gate(build_postmortem().model_copy(update={"attachments": attachments}))
    assert gate.ok is ok and gate.blocking
    if not ok:
        assert "p99.png" in gate.detail
