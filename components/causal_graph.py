"""The causal tree drawn with streamlit-agraph: top-down, coloured by kind, selection highlighted.

streamlit-agraph only reports the id of the last clicked node and takes no key, so its identity
is its arguments: any change (an edit, a new selection) mounts a fresh graph whose value starts
empty. A click therefore counts when a value arrives that differs from the last one we acted on.
"""

from __future__ import annotations

from types import SimpleNamespace

import streamlit as st
from streamlit_agraph import Edge, Node, agraph

from postmortem.causal import children_of, walk
from postmortem.models import CausalTree, NodeKind

FILL = {NodeKind.OUTCOME: "#fde2e1", NodeKind.ROOT_CAUSE: "#fff1c2",
        NodeKind.CONTRIBUTING: "#e0ecff", NodeKind.CONDITION: "#eeeeee"}
BORDER = {NodeKind.OUTCOME: "#b42318", NodeKind.ROOT_CAUSE: "#b54708",
          NodeKind.CONTRIBUTING: "#1849a9", NodeKind.CONDITION: "#555555"}
OPEN = "#d92d20"


def _label(text: str, limit: int = 90) -> str:
    words, lines, line = " ".join(text.split())[:limit].split(" "), [], ""
    for word in words:
        if len(line) + len(word) > 18 and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:4])


def _safe_title(node, open_factor: bool) -> str:
    """The tooltip. streamlit-agraph's frontend parses every title as HTML (innerHTML, even for nodes
    never hovered) and opens it as a URL on double-click, so the text must carry no markup and must not
    start with a URL scheme: angle brackets and ampersands become look-alikes, and a plain-words
    prefix with a space comes first. Labels are drawn on a canvas and need nothing."""
    text = " ".join(node.text.split()).replace("<", "‹").replace(">", "›").replace("&", "＆")
    note = " (not addressed by any action item yet)" if open_factor else ""
    return f"{node.kind.value.capitalize()}{note} · {text}"


def _node(node, selected: bool, open_factor: bool, relation: str | None) -> Node:
    border = "#000000" if selected else OPEN if open_factor else BORDER[node.kind]
    label = _label(node.text) + (f"\n[{relation}]" if relation else "")
    title = _safe_title(node, open_factor)
    return Node(id=node.id, label=label, title=title, shape="box", size=20,
                color={"background": FILL[node.kind], "border": border,
                       "highlight": {"background": FILL[node.kind], "border": "#000000"}},
                borderWidth=4 if selected or open_factor else 1,
                shapeProperties={"borderDashes": [6, 4] if open_factor and not selected else False},
                font={"size": 16, "face": "sans-serif", "multi": False}, margin=8,
                widthConstraint={"maximum": 150})


def _options(height: int) -> dict:
    """vis-network options, written out: agraph's Config copies extra keywords to the top level,
    where vis-network rejects them (and a null `groups` it adds by default) with console errors."""
    return {
        "height": f"{height}px", "width": "100%", "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"hierarchical": {"enabled": True, "direction": "UD", "sortMethod": "directed",
                                    "levelSeparation": 100, "nodeSpacing": 165, "treeSpacing": 180,
                                    "blockShifting": True, "edgeMinimization": True,
                                    "parentCentralization": True, "shakeTowards": "roots"}},
        "interaction": {"hover": True, "selectConnectedEdges": False, "navigationButtons": False},
        "edges": {"arrows": {"to": {"enabled": False}}, "smooth": {"enabled": True, "type": "cubicBezier",
                                                                  "forceDirection": "vertical"}},
        "groups": {},
    }


def show(tree: CausalTree, selected: str | None, unaddressed: set[str], key: str) -> str | None:
    """Draw the tree; returns the id of a node the author just clicked, or None."""
    kids = children_of(tree)
    depth = max((d for _, d in walk(tree)), default=0)
    nodes = [_node(n, n.id == selected, n.id in unaddressed,
                   n.relation.value if len(kids.get(n.id, [])) > 1 else None) for n, _ in walk(tree)]
    edges = [Edge(source=n.parent_id, target=n.id, color="#888888") for n, d in walk(tree) if d > 0]
    options = SimpleNamespace(**_options(min(800, 70 + 95 * (depth + 1))))
    clicked = agraph(nodes=nodes, edges=edges, config=options)
    last_key = f"{key}:last-click"
    if clicked and clicked != st.session_state.get(last_key):
        st.session_state[last_key] = clicked
        return clicked
    return None
