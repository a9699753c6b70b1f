"""User text never executes, uploads are bounded, XSRF stays on.

The hostile post-mortem (tests/hostile.py) carries script-running HTML, a javascript: link and
Markdown in every text field the model accepts. Each wizard step must show it as text: no element
may allow HTML, and wherever Streamlit renders Markdown (bodies, labels, captions, alerts, headings)
the markup must arrive escaped. The real browser check is tests/e2e/test_security_browser.py.
"""

from __future__ import annotations

import io
import json
import re
import tomllib
import unicodedata
import zipfile
from pathlib import Path

import pytest
from apptest_helpers import app_for
from docx import Document as open_docx
from google.protobuf.message import Message
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from streamlit import config as streamlit_config

import storage
from cli.errors import UserError
from cli.files import read_limited
from components.steps import STEPS
from exports.render import AUDIENCES, file_name, render
from tests.hostile import SHORT, hostile_fields, hostile_postmortem

ROOT = Path(__file__).resolve().parents[1]
# Fields whose text Streamlit shows literally (values of inputs, code blocks) or that carry data, not markup.
LITERAL_FIELDS = {
    "code_text",
    "default",
    "value",
    "raw_values",
    "json_args",
    "data",
    "placeholder",
    "id",
    "form_id",
}
# Drop-down options are drawn as plain text (radio and checkbox labels are Markdown, and stay checked).
PLAIN_OPTIONS = {"selectbox", "multiselect"}
# A data editor's column settings are JSON drawn on a canvas (the browser test covers what it shows).
DATA_FIELDS = {"dataframe": "columns", "data_editor": "columns"}
UNESCAPED = re.compile(r"(?<!\\)<(img|script)|(?<!\\)\]\(javascript", re.IGNORECASE)
DOC = hostile_postmortem()


def test_the_hostile_document_puts_markup_in_most_text_fields():
    assert hostile_fields(DOC) >= 50
    assert SHORT in DOC.header.title and "onerror" in DOC.summary


def _strings(message: Message, path: str = "", skip: frozenset = frozenset()):
    """Every string in a protobuf message, with its field path, skipping LITERAL_FIELDS and `skip`."""
    for field, value in message.ListFields():
        if field.name in LITERAL_FIELDS or field.name in skip:
            continue
        values = (
            value
            if getattr(field, "is_repeated", False)
            or isinstance(value, (list, tuple))
            or type(value).__name__.startswith("Repeated")
            else [value]
        )
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}.{field.name}", skip)
            elif isinstance(item, str):
                yield f"{path}.{field.name}", item


def _unsafe_tags(body: str, *, images: bool = False) -> list[str]:
    """Tags in rendered HTML that could load or run something: img (unless `images`), script, iframe, on*
    handlers, script links."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed") or (tag == "img" and not images):
                found.append(tag)
            found.extend(
                f"{tag} {k}={v}"
                for k, v in attrs
                if k.startswith("on")
                or (k in ("href", "src") and (v or "").strip().lower().startswith(("javascript:", "data:")))
            )

    Reader().feed(body)
    return found


def _elements(node):
    for child in getattr(node, "children", {}).values():
        yield from _elements(child)
    if getattr(node, "proto", None) is not None:
        yield node


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("hostile") / "x.db"
    return path, storage.create(db=storage.connect(path, actor=storage.LOCAL), doc=DOC).id


@pytest.mark.parametrize("step", STEPS, ids=[s.slug for s in STEPS])
def test_every_step_shows_user_markup_as_text(hostile_db, monkeypatch, step):
    path, doc_id = hostile_db
    at = app_for(path, monkeypatch, doc_id).switch_page(step.script).run()
    assert not at.exception, at.exception
    elements = list(_elements(at._tree))
    shown = [text for el in elements for _, text in _strings(el.proto)]
    assert any("onerror" in text for text in shown), "the user's text should be on the page (escaped)"
    for element in elements:
        if (
            element.type == "html"
        ):  # formatted narrative (components.markdown_view): HTML we made, never the user's
            assert not _unsafe_tags(element.proto.body), _unsafe_tags(element.proto.body)
            continue
        assert not getattr(element.proto, "allow_html", False), f"{element.type} allows HTML"
        assert not getattr(element.proto, "unsafe_allow_html", False), f"{element.type} allows HTML"
        # A select box shows its options and its chosen value as plain text, never as Markdown.
        skip = frozenset(
            {"options", "raw_value", "default"}
            if element.type in PLAIN_OPTIONS
            else {DATA_FIELDS.get(element.type, "")}
        )
        for where, text in _strings(element.proto, skip=skip):
            assert not UNESCAPED.search(text), f"{element.type}{where} renders markup: {text[:120]!r}"


def test_graph_tooltips_carry_no_markup_and_no_url_scheme(hostile_db, monkeypatch):
    path, doc_id = hostile_db
    at = app_for(path, monkeypatch, doc_id).switch_page("pages/08_root_cause.py").run()
    graph = next(
        e for e in at.get("component_instance") if e.proto.component_name == "streamlit_agraph.agraph"
    )
    nodes = json.loads(json.loads(graph.proto.json_args)["data"])["nodes"]
    assert nodes and all("onerror" in n["title"] for n in nodes)
    for node in nodes:
        assert not re.search(r"[<>&]", node["title"]) and not re.match(
            r"^[a-z]+:", node["title"], re.IGNORECASE
        )


@pytest.mark.parametrize("audience", list(AUDIENCES))
def test_markdown_exports_render_user_markup_as_text(audience):
    text = render(DOC, audience, "md", country="US").decode()
    html = MarkdownIt("commonmark").render(
        text
    )  # HTML passes through, as on GitHub or GitLab before sanitising
    # The author's <img> is a Markdown image now (an address and alt text, nothing that runs).
    assert not _unsafe_tags(html, images=True), _unsafe_tags(html, images=True)
    assert 'href="javascript:' not in html and "<script" not in html


@pytest.mark.parametrize("audience", list(AUDIENCES))
def test_word_exports_keep_user_markup_as_plain_text(audience):
    data = render(DOC, audience, "docx", country="US")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                part = archive.read(name).decode("utf-8")
                assert "<img" not in part and "<script" not in part, name
                if name.endswith(
                    ".rels"
                ):  # a link's target: the user's javascript: text must never become one
                    assert "javascript:" not in part, name
    if audience in ("team", "engineering", "regulator"):
        body = "\n".join(p.text for p in open_docx(io.BytesIO(data)).paragraphs)
        assert SHORT in body  # kept, as text


SEPARATORS_AND_QUOTES = set("/\\\"'`:;*?<>|")


@given(st.text(min_size=0, max_size=80))
def test_download_file_names_are_safe_whatever_the_incident_id(incident_id):
    doc = DOC.model_copy(update={"header": DOC.header.model_copy(update={"incident_id": incident_id})})
    for audience in AUDIENCES:
        name = file_name(doc, audience, "docx")
        assert not SEPARATORS_AND_QUOTES & set(name), name
        assert not any(unicodedata.category(c).startswith(("C", "Z")) for c in name), repr(name)
        assert (
            not name.startswith(".") and name.endswith(f"-{audience}.docx") and ".." not in name.split("-")[0]
        )


def test_uploads_are_bounded_by_the_server_and_by_our_readers(tmp_path):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert 1 <= config["server"]["maxUploadSize"] <= 25
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 1025)
    with pytest.raises(UserError, match="larger than"):
        read_limited(str(big), limit=1024)
    assert read_limited(str(big), limit=1025) == b"x" * 1025


def test_xsrf_protection_and_cors_stay_on(monkeypatch):
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()).get("server", {})
    assert server.get("enableXsrfProtection", True) is True and server.get("enableCORS", True) is True
    monkeypatch.chdir(ROOT)  # Streamlit reads ./.streamlit/config.toml, as `streamlit run` does here
    try:
        streamlit_config.get_config_options(force_reparse=True)
        assert streamlit_config.get_option("server.enableXsrfProtection") is True
        assert streamlit_config.get_option("server.enableCORS") is True
        assert streamlit_config.get_option("server.maxUploadSize") == server["maxUploadSize"]
    finally:
        streamlit_config.get_config_options(force_reparse=True)
