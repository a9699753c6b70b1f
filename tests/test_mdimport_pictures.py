"""Issue 18 item 5: pictures in imported Markdown become linked evidence (address and alt text),
nothing is fetched, and script or inline-data addresses are not kept as links."""

from __future__ import annotations

from postmortem.mdimport import import_markdown
from postmortem.models import LinkKind

TEXT = """# Checkout errors

## Summary

Checkout failed for 20 minutes.

![p99 latency during the incident](https://grafana.example.com/render/d/abc?panel=3 "Latency")

<img src="https://wiki.example.com/files/alert.png" alt="The alert as it fired">

<IMG SRC='../images/topology.png'>

![same graph again](https://grafana.example.com/render/d/abc?panel=3)

![x](javascript:alert(1)) <img src="data:image/png;base64,AAAA" alt="inline">
"""


def test_markdown_and_html_pictures_become_links_with_their_alt_text():
    links = import_markdown(TEXT).doc.links
    pictures = [(link.url, link.label, link.kind) for link in links if link.label.startswith("Picture")]
    assert pictures == [
        (
            "https://grafana.example.com/render/d/abc?panel=3",
            "Picture: p99 latency during the incident",
            LinkKind.OTHER,
        ),
        ("https://wiki.example.com/files/alert.png", "Picture: The alert as it fired", LinkKind.OTHER),
        ("../images/topology.png", "Picture", LinkKind.OTHER),
    ]


def test_script_and_inline_data_addresses_are_not_kept():
    urls = [link.url for link in import_markdown(TEXT).doc.links]
    assert not [u for u in urls if u.startswith(("javascript:", "data:"))]


def test_a_document_without_pictures_gets_no_picture_links():
    assert not [
        link
        for link in import_markdown("# T\n\n## Summary\n\nText.\n").doc.links
        if link.label.startswith("Picture")
    ]
