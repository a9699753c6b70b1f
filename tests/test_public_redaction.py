"""No public document carries an internal identifier, wherever the author typed it (issue 14, item 3)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exports_audiences import docx_text, plain

from exports.redact import Redactor, redactor_for
from exports.render import render
from exports.withheld import withheld
from postmortem.models import ActionItem, EventKind, TimelineEvent
from tests.conftest import at, build_postmortem

_label = st.from_regex(r"[a-z][a-z0-9]{2,7}", fullmatch=True)
_host = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(["internal", "corp", "local", "net", "io", "com"]),
)
_ip = st.builds(
    lambda parts: ".".join(map(str, parts)), st.lists(st.integers(0, 255), min_size=4, max_size=4)
)
IDENTIFIERS = st.one_of(
    _host,
    _ip,
    st.builds(lambda user, host: f"{user}@{host}", _label, _host),
    st.builds(lambda name: f"@{name}", _label),
    st.builds(
        lambda key, n: f"{key}-{n}", st.from_regex(r"[A-Z]{2,5}", fullmatch=True), st.integers(1, 99999)
    ),
    st.builds(lambda host, path: f"https://{host}/{path}", _host, _label),
    st.builds(lambda a, b, n: f"{a}-{b}-{n:02d}", _label, _label, st.integers(0, 99)),
)
# Where a text puts an identifier: in brackets, before a full stop, in code, in bold, in a Markdown link.
CONTEXTS = st.sampled_from(
    [
        "Look at {} now.",
        "({}).",
        "`{}`",
        "**{}**,",
        "see [the notes]({}).",
        "{}",
        "status page: {}; retry",
        "Contact {}\nthen wait",
    ]
)
FIELDS = [
    "title",
    "public.title",
    "summary",
    "resolution",
    "business_summary",
    "public.what_customers_saw",
    "public.what_happened",
    "public.what_to_do",
    "impact.description",
    "segment",
    "public_text",
    "status_update",
    "root_cause.statement",
]


def planted(placements: list[tuple[str, str]], service: str):
    """The sample document with each text put into the field named beside it, and `service` in its services."""
    doc = build_postmortem()
    update: dict = {
        "public": doc.public.model_dump(),
        "impact": doc.impact.model_dump(),
        "root_cause": doc.root_cause.model_dump(),
        "header": doc.header.model_dump(),
    }
    update["header"]["services"] = [*doc.header.services, service]
    items, events = list(doc.action_items), list(doc.timeline)
    for field, text in placements:
        if field == "title":
            update["header"]["title"] = (update["header"]["title"] + " " + text)[:200]
        elif field == "public.title":
            update["public"]["title"] = (update["public"]["title"] + " " + text)[:500]
        elif field == "segment":
            update["impact"]["customer_segments"] = [*update["impact"]["customer_segments"], text]
        elif field == "public_text":
            items.append(ActionItem(title="Follow-up", public_text=text))
        elif field == "status_update":
            events.append(TimelineEvent(at=at(30), kind=EventKind.COMMUNICATION, text=f"Status page: {text}"))
        elif "." in field:
            section, key = field.split(".")
            update[section][key] = (update[section].get(key) or "") + " " + text
        else:
            update[field] = text
    data = (
        doc.model_dump()
        | update
        | {"action_items": [a.model_dump() for a in items], "timeline": [e.model_dump() for e in events]}
    )
    return type(doc).model_validate(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(FIELDS), IDENTIFIERS, CONTEXTS), min_size=1, max_size=6),
    st.builds(lambda a, b: f"{a}-{b}", _label, _label),
)
def test_no_public_document_contains_a_planted_identifier(plants, service):
    doc = planted([(field, context.format(ident)) for field, ident, context in plants], service)
    secrets = [ident for _, ident, _ in plants] + [service]
    texts = {
        "md": plain(render(doc, "public", "md", country="US").decode()),
        "json": render(doc, "public", "json", country="US").decode(),
        "docx": docx_text(render(doc, "public", "docx", country="US")),
    }
    texts["json"] += json.dumps(json.loads(texts["json"]), ensure_ascii=False)
    for fmt, text in texts.items():
        for secret in secrets:
            assert secret.casefold() not in text.casefold(), (fmt, secret)


def test_what_was_replaced_is_listed_as_withheld():
    doc = planted(
        [
            (
                "public.what_happened",
                "db1.orders.internal at 10.0.3.17 paged @sre-bot (OPS-12); "
                "see https://wiki.corp/x). Then pg-orders-01 and ledger-sync stopped.",
            )
        ],
        "ledger-sync",
    )
    left_out = withheld(doc, "public")
    for item in (
        "1 host name replaced",
        "1 IP address replaced",
        "1 chat handle replaced",
        "1 ticket ID replaced",
        "1 link replaced",
        "1 machine name replaced",
    ):
        assert item in left_out, left_out
    assert any(re.fullmatch(r"\d+ internal names? replaced", item) for item in left_out), left_out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("See https://wiki.corp.internal/runbook). Then", "See (withheld)). Then"),
        ("Read [how](https://wiki.corp/x).", "Read how."),  # the label stays; no "[how]((withheld))" is left
        (
            '[Zulip](<https://chat.corp/x> "chat") and ![graph](https://grafana.corp/d/1)',
            "Zulip and (a picture: graph)",
        ),
        (
            "See [the notice](https://status.example.com/7).",
            "See [the notice](https://status.example.com/7).",
        ),
        (
            "Jump to [the cause](#how-did-it-happen) or #incident-42.",
            "Jump to [the cause](#how-did-it-happen) or (withheld).",
        ),
        (
            "Our status page is https://status.example.com/incidents/7.",
            "Our status page is https://status.example.com/incidents/7.",
        ),
        ("Mail help.example.com or db.example.net.", "Mail help.example.com or an internal system."),
        ("Version 2.14, e.g. at 14:02, and 99.95 % up.", "Version 2.14, e.g. at 14:02, and 99.95 % up."),
    ],
)
def test_links_keep_the_punctuation_after_them_and_public_domains_stay(text, expected):
    redact = Redactor(names=[], internal=[], trackers=[], public_domains=["example.com"])
    assert redact(text) == expected


def test_the_services_list_is_replaced_however_it_is_written():
    doc = build_postmortem()
    doc = doc.model_copy(update={"header": doc.header.model_copy(update={"services": ["checkout-api"]})})
    assert (
        redactor_for(doc)("The Checkout API and checkout_api failed.")
        == "An internal system and an internal system failed."
    )
