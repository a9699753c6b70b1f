"""The causal tree drawn with streamlit-agraph at the positions causal_layout computes, coloured by
kind, selection highlighted, physics off.

A box clicked in the graph is highlighted by vis-network itself (its selection, drawn like our
"selected" look), so the data sent to the graph does not change with the click: the frontend then
redraws nothing, where a changed argument re-parses the data, re-applies the options and updates
every box (about 25 ms of each click on a 30-box tree). A box selected anywhere else (the list, or
the outcome when nothing is selected) starts a fresh drawing (components/causal_state.select), and
the data marks it until the next click in the graph.

streamlit-agraph's `agraph()` takes no key, so its identity would be its arguments: every edit or
new selection would mount a fresh graph and throw away the author's zoom and pan. Its declared
component takes one, so this module calls that with a key (components/causal_state.graph_key);
the frame then stays and vis-network updates the boxes in place.
"""

from __future__ import annotations

import json

import streamlit as st
from streamlit_agraph import _agraph

from postmortem import causal_layout
from postmortem.causal_tree import by_id
from postmortem.models import CausalTree, NodeKind, Relation

FILL = {
    NodeKind.OUTCOME: "#fde2e1",
    NodeKind.ROOT_CAUSE: "#fff1c2",
    NodeKind.CONTRIBUTING: "#e0ecff",
    NodeKind.CONDITION: "#eeeeee",
}
BORDER = {
    NodeKind.OUTCOME: "#b42318",
    NodeKind.ROOT_CAUSE: "#b54708",
    NodeKind.CONTRIBUTING: "#1849a9",
    NodeKind.CONDITION: "#555555",
}
OPEN = "#d92d20"
FONT_SIZE, SIDE = causal_layout.FONT_SIZE, causal_layout.SIDE  # the layout wrapped labels for these
BUTTON_ROOM = 70  # px above and below the drawing, so vis's zoom and pan buttons never cover a box
MIN_HEIGHT, MAX_HEIGHT = 320, 2400  # px of canvas; beyond the maximum the author zooms and pans


def _safe_title(node, open_factor: bool) -> str:
    """The tooltip. streamlit-agraph's frontend parses every title as HTML (innerHTML, even for nodes
    never hovered) and opens it as a URL on double-click, so the text must carry no markup and must not
    start with a URL scheme: angle brackets and ampersands become look-alikes, and a plain-words
    prefix with a space comes first. Labels are drawn on a canvas and need nothing."""
    text = " ".join(node.text.split()).replace("<", "‹").replace(">", "›").replace("&", "＆")
    note = " (not addressed by any action item yet)" if open_factor else ""
    return f"{node.kind.value.capitalize()}{note} · {text}"


def _group(kind: NodeKind, state: str, selected: bool = False) -> str:
    return f"{kind.value}:{state}{':selected' if selected else ''}"


SELECTED_BORDER, SELECTED_WIDTH = "#000000", 4


def _groups() -> dict:
    """One vis-network group per kind, state (plain, not addressed) and mark (selected or not): each
    box then names its group instead of carrying its colours, so a change re-sends a third of the bytes.
    vis draws the box it has selected with the `highlight` colours and `borderWidthSelected`: the same
    look as a box marked selected in the data, so the author sees one kind of selection."""
    groups = {}
    for kind in NodeKind:
        fill = FILL[kind]
        for state, border, width, dashes in (
            ("plain", BORDER[kind], 1, False),
            ("open", OPEN, 4, [6, 4]),  # dashed, selected or not: the factor is still not addressed
        ):
            for selected in (False, True):
                groups[_group(kind, state, selected)] = {
                    "color": {
                        "background": fill,
                        "border": SELECTED_BORDER if selected else border,
                        "highlight": {"background": fill, "border": SELECTED_BORDER},
                        "hover": {"background": fill, "border": SELECTED_BORDER},
                    },
                    "borderWidth": SELECTED_WIDTH if selected else width,
                    "borderWidthSelected": SELECTED_WIDTH,
                    "shapeProperties": {"borderDashes": dashes},
                }
    return groups


def _node(node, box: causal_layout.Box, marked: bool, open_factor: bool) -> dict:
    """One box: its text and place; how it looks comes from its group and the options' `nodes`."""
    return {
        "id": node.id,
        "label": "\n".join(box.lines),
        "title": _safe_title(node, open_factor),
        "group": _group(node.kind, "open" if open_factor else "plain", marked),
        "x": box.x,
        "y": box.y,
        # vis-network adds the margins to the constraints: subtract them so the box is the layout's.
        # No maximum width: vis would wrap again, narrower than the width it draws; the layout's
        # lines already fit.
        "widthConstraint": {"minimum": box.width - 2 * SIDE},
        "heightConstraint": {"minimum": box.height - 2 * causal_layout.PADDING, "valign": "middle"},
    }


def _edge(parent, child_id: str) -> dict:
    """Causes hang from what they caused; an 'any one was enough' parent's edges are dashed."""
    return {"from": parent.id, "to": child_id, "dashes": parent.relation is Relation.OR}


def _options(height: int, across: bool) -> dict:
    """vis-network options, written out: agraph's Config copies extra keywords to the top level,
    where vis-network rejects them (and a null `groups` it adds by default) with console errors.
    Physics and vis's own hierarchy are off: the boxes stay where causal_layout put them."""
    return {
        "height": f"{height}px",
        "width": "100%",
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"hierarchical": {"enabled": False}},
        # The wheel scrolls the page, not the drawing: a canvas as tall as the tree would otherwise
        # trap it. Zoom with the buttons or the keyboard (+ and −), pan by dragging or with the arrows.
        "interaction": {
            "hover": True,
            "selectConnectedEdges": False,
            "navigationButtons": True,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "zoomView": False,
            "dragView": True,
            "dragNodes": False,
            "tooltipDelay": 150,
        },
        # What every box and line shares: fixed where the layout put it, the layout's font and margins.
        "nodes": {
            "shape": "box",
            # vis's selection outlines the box (the groups' highlight colours and width) but leaves the
            # label as it is: bold text is wider than the lines the layout wrapped to fit the box.
            "chosen": {"node": True, "label": False},
            "fixed": True,
            "physics": False,
            "font": {"size": FONT_SIZE, "face": "sans-serif", "multi": False, "color": "#111111"},
            "margin": {
                "top": causal_layout.PADDING,
                "bottom": causal_layout.PADDING,
                "left": SIDE,
                "right": SIDE,
            },
        },
        "edges": {
            "arrows": {"to": {"enabled": False}},
            "color": "#777777",
            "width": 1.5,
            "smooth": {
                "enabled": True,
                "type": "cubicBezier",
                "forceDirection": "horizontal" if across else "vertical",
                "roundness": 0.5,
            },
        },
        "groups": _groups(),
    }


def canvas_height(boxes: dict[str, causal_layout.Box]) -> int:
    """Tall enough to show the drawing at full size (the page scrolls past it); a very large tree is
    shown whole and smaller, to zoom into."""
    _, height = causal_layout.extent(boxes)
    return int(min(MAX_HEIGHT, max(MIN_HEIGHT, height + 2 * BUTTON_ROOM)))


def show(
    tree: CausalTree,
    boxes: dict[str, causal_layout.Box],
    selected: str | None,
    unaddressed: set[str],
    key: str,
    across: bool = False,
) -> None:
    """Draw the tree laid out as `boxes`; the id of the box last clicked is in st.session_state[key]."""
    nodes_by_id = by_id(tree)
    # The box last clicked in this drawing is vis's own selection: mark the selection only otherwise.
    marked = selected if selected != st.session_state.get(key) else None
    nodes = [_node(nodes_by_id[i], box, i == marked, i in unaddressed) for i, box in boxes.items()]
    edges = [_edge(nodes_by_id[nodes_by_id[i].parent_id], i) for i, box in boxes.items() if box.depth > 0]
    # What agraph() does, plus the key; compact JSON (it travels inside another JSON string).
    data = json.dumps({"nodes": nodes, "edges": edges}, separators=(",", ":"))
    options = json.dumps(_options(canvas_height(boxes), across), separators=(",", ":"))
    _agraph(data=data, config=options, key=key, default=None)
