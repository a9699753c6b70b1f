"""The causal tree as a PNG (for DOCX), drawn with Pillow: no browser, no system package needed.

It uses the app's own layout (postmortem.causal_layout), left to right so a wide tree fits a portrait
page: the same boxes, the same wrapped labels, "all were needed / any one sufficed" on the parent.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from postmortem import causal_layout
from postmortem.causal_tree import by_id
from postmortem.models import CausalTree, NodeKind, Relation

MARGIN, LEGEND_HEIGHT = 24, 40
FILL = {
    NodeKind.OUTCOME: "#fde2e1",
    NodeKind.ROOT_CAUSE: "#fff1c2",
    NodeKind.CONTRIBUTING: "#e0ecff",
    NodeKind.CONDITION: "#eeeeee",
}
EDGE = {
    NodeKind.OUTCOME: "#b42318",
    NodeKind.ROOT_CAUSE: "#b54708",
    NodeKind.CONTRIBUTING: "#1849a9",
    NodeKind.CONDITION: "#555555",
}
OPEN = "#d92d20"
MAX_NODES = 400  # beyond this the picture is unreadable; the outline carries the tree instead


# Pillow's own font (narrower than the DejaVu Sans the layout measures with, so lines fit) has no ▼
# or dashes. A system font would draw them, but an export reads no files and draws the same anywhere.
_PLAIN = str.maketrans({"▼": "", "–": "-", "—": "-", "…": "...", "‹": "<", "›": ">"})


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font still works
        return ImageFont.load_default()


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text).translate(_PLAIN).strip()


def _edge(
    draw: ImageDraw.ImageDraw, parent: causal_layout.Box, child: causal_layout.Box, dashed: bool
) -> None:
    """An elbow from the right of a parent to the left of its cause; dashed under 'any one sufficed'."""
    middle = parent.right + causal_layout.GAP_ACROSS / 2
    points = [(parent.right, parent.y), (middle, parent.y), (middle, child.y), (child.left, child.y)]
    for start, end in zip(points, points[1:], strict=False):
        if not dashed:
            draw.line([start, end], fill="#777777", width=2)
            continue
        length = max(abs(end[0] - start[0]), abs(end[1] - start[1]))
        for offset in range(0, int(length), 10):
            a, b = offset / length, min(offset + 6, length) / length
            draw.line(
                [
                    (start[0] + (end[0] - start[0]) * a, start[1] + (end[1] - start[1]) * a),
                    (start[0] + (end[0] - start[0]) * b, start[1] + (end[1] - start[1]) * b),
                ],
                fill="#777777",
                width=2,
            )


def _legend(draw: ImageDraw.ImageDraw, top: float, font) -> None:
    x = MARGIN
    entries = [(FILL[k], EDGE[k], k.value) for k in NodeKind] + [("#ffffff", OPEN, "not addressed yet")]
    for fill, outline, label in entries:
        draw.rounded_rectangle((x, top, x + 22, top + 16), radius=4, fill=fill, outline=outline, width=2)
        draw.text((x + 28, top), label, fill="#333333", font=font)
        x += 40 + draw.textlength(label, font=font)


def png(tree: CausalTree, unaddressed: set[str] = frozenset()) -> bytes | None:
    """A left-to-right picture of the tree, or None when there is nothing (or too much) to draw."""
    boxes = causal_layout.layout(tree, across=True)
    if not boxes or len(boxes) > MAX_NODES:
        return None
    width, height = causal_layout.extent(boxes)
    shift_x = MARGIN - min(b.left for b in boxes.values())
    shift_y = MARGIN - min(b.top for b in boxes.values())
    boxes = {
        i: causal_layout.Box(b.id, b.x + shift_x, b.y + shift_y, b.width, b.height, b.lines, b.depth, b.cut)
        for i, b in boxes.items()
    }
    image = Image.new(
        "RGB", (int(max(width, 620) + 2 * MARGIN), int(height + 2 * MARGIN + LEGEND_HEIGHT)), "white"
    )
    draw = ImageDraw.Draw(image)
    font, small = _font(causal_layout.FONT_SIZE), _font(12)
    nodes = by_id(tree)
    for node_id, box in boxes.items():
        parent = nodes[node_id].parent_id
        if parent in boxes:
            _edge(draw, boxes[parent], box, nodes[parent].relation is Relation.OR)
    for node_id, box in boxes.items():
        node, open_factor = nodes[node_id], node_id in unaddressed
        draw.rounded_rectangle(
            (box.left, box.top, box.right, box.bottom),
            radius=8,
            fill=FILL[node.kind],
            outline=OPEN if open_factor else EDGE[node.kind],
            width=4 if open_factor else 2,
        )
        text_top = box.y - len(box.lines) * causal_layout.LINE_HEIGHT / 2
        for n, line in enumerate(box.lines):
            draw.text(
                (box.x, text_top + (n + 0.5) * causal_layout.LINE_HEIGHT),
                _printable(line),
                fill="#111111",
                font=font,
                anchor="mm",
            )
    _legend(draw, height + 2 * MARGIN + 6, small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
