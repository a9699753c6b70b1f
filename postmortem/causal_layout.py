"""Where each box of the causal tree goes: a tidy top-down layout with wrapped labels.

Pure geometry, so the app's graph, tests and benchmarks share one answer. Every box has the same
width; its height follows its wrapped label. Subtrees are packed side by side by their contours
(the Reingold–Tilford idea without threads), each parent centred on the span of its first and last
child, and all boxes of one depth share a band (a row, or a column when drawn across), so no two
boxes can overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from postmortem.causal_tree import children_of, root, walk
from postmortem.models import CausalNode, CausalTree, Relation

BOX_WIDTH = 200  # px; fixed so a reader scans columns of equal boxes (four columns fit a laptop page)
FONT_SIZE = 14  # px
SIDE = 8  # px between the box's sides and its text
PADDING = 12  # px inside the box, above and below the text
LINE_HEIGHT = 20  # px; above the canvas's own line height for FONT_SIZE, so boxes are as tall as planned
MAX_LINES = 6  # longer labels show their start in the box and the whole text on hover
CHARS_PER_LINE = 30  # a cap for the line counts tests state; widths decide first
# Advance widths of the printable ASCII characters (space to ~) in thousandths of an em, from DejaVu
# Sans: Debian's sans-serif, wider than Arial or Helvetica, so a line that fits here fits there too.
# Anything else counts as a full em.
_ASCII_WIDTHS = (
    318,
    401,
    460,
    838,
    637,
    951,
    780,
    275,
    391,
    391,
    500,
    838,
    318,
    361,
    318,
    337,
    637,
    637,
    637,
    637,
    637,
    637,
    637,
    637,
    637,
    637,
    337,
    337,
    838,
    838,
    838,
    531,
    1000,
    685,
    687,
    699,
    771,
    632,
    576,
    775,
    752,
    295,
    295,
    656,
    558,
    863,
    749,
    788,
    604,
    788,
    695,
    635,
    611,
    732,
    685,
    989,
    686,
    611,
    686,
    391,
    337,
    391,
    838,
    500,
    500,
    613,
    635,
    550,
    635,
    616,
    353,
    635,
    634,
    278,
    278,
    580,
    278,
    975,
    634,
    612,
    635,
    635,
    412,
    521,
    393,
    634,
    592,
    818,
    592,
    592,
    525,
    637,
    337,
    637,
    838,
)
_LINE_EM = (BOX_WIDTH - 2 * SIDE) / FONT_SIZE * 1000 * 0.97  # 3 % spare for the canvas's rounding
GAP_X = 28  # between neighbouring boxes
GAP_Y = 56  # between rows, room for the edges
GAP_ACROSS = 40  # between columns when drawn left to right


@dataclass(frozen=True)
class Box:
    """One placed box: centre (x, y), size, and the label lines drawn in it."""

    id: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    depth: int
    cut: bool  # True when the label was longer than the box shows

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2


def relation_line(node: CausalNode, child_count: int) -> str | None:
    """How a parent's causes combine, written on the parent when it has more than one."""
    if child_count < 2:
        return None
    return "▼ any one sufficed (OR)" if node.relation is Relation.OR else "▼ all were needed (AND)"


def text_width(text: str) -> float:
    """Width of `text` in thousandths of an em, from DejaVu Sans's advance widths (rounded up)."""
    return sum(_ASCII_WIDTHS[ord(ch) - 32] if " " <= ch <= "~" else 1000 for ch in text)


def _fits(line: str, width: float | None = None) -> bool:
    return (text_width(line) if width is None else width) <= _LINE_EM and len(line) <= CHARS_PER_LINE


def _break_word(word: str) -> list[str]:
    """A word too long for one line, in pieces that each fit (the rare path: ids, URLs)."""
    pieces = []
    while not _fits(word):
        cut = max(n for n in range(1, len(word) + 1) if _fits(word[:n]))
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def _wrap(text: str) -> list[str]:
    """Greedy wrap on spaces, measuring each word once; a word too long for a line is broken."""
    lines, line, width = [], "", 0.0
    for word in text.split():
        word_width = text_width(word)
        joined = width + _ASCII_WIDTHS[0] + word_width
        if line and _fits(f"{line} {word}", joined):
            line, width = f"{line} {word}", joined
            continue
        if line:
            lines.append(line)
        *full, line = _break_word(word) if not _fits(word, word_width) else [word]
        lines.extend(full)
        width = text_width(line)
    return lines + [line] if line or not lines else lines


@lru_cache(maxsize=4096)  # every rerun lays out the same labels again; wrapping is most of the cost
def wrap_label(text: str, extra: str | None = None) -> tuple[tuple[str, ...], bool]:
    """The label as lines that fit the box: whole words, long words broken, at most MAX_LINES."""
    lines = _wrap(" ".join(text.split()))
    cut = len(lines) > MAX_LINES
    if cut:
        lines = lines[:MAX_LINES]
        while not _fits(lines[-1] + " …"):
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + " …"
    return tuple(lines + ([extra] if extra else [])), cut


def box_height(line_count: int) -> float:
    return line_count * LINE_HEIGHT + 2 * PADDING


def layout(tree: CausalTree, across: bool = False) -> dict[str, Box]:
    """Every box reachable from the outcome, placed; an empty tree gives an empty layout.

    Top down by default (the outcome on top, causes in rows below). `across` draws it left to
    right (causes in columns to the right), which keeps a wide tree readable at full size.
    """
    top = root(tree)
    if top is None:
        return {}
    kids = children_of(tree)
    depth_of = {node.id: depth for node, depth in walk(tree)}
    family = {
        node_id: [c for c in kids.get(node_id, []) if depth_of.get(c.id) == depth_of[node_id] + 1]
        for node_id in depth_of
    }
    labels = {
        node.id: wrap_label(node.text, relation_line(node, len(family[node.id]))) for node, _ in walk(tree)
    }
    heights = {node_id: box_height(len(lines)) for node_id, (lines, _) in labels.items()}
    breadth = heights if across else dict.fromkeys(depth_of, float(BOX_WIDTH))
    offsets = _pack(top.id, family, breadth, GAP_Y / 2 if across else GAP_X)
    shift = -min(offsets[n] - breadth[n] / 2 for n in offsets)
    levels = _level_starts(
        depth_of,
        {n: float(BOX_WIDTH) for n in depth_of} if across else heights,
        GAP_ACROSS if across else GAP_Y,
    )
    boxes = {}
    for node_id, depth in depth_of.items():
        lines, cut = labels[node_id]
        along, height = offsets[node_id] + shift, heights[node_id]
        x, y = (levels[depth] + BOX_WIDTH / 2, along) if across else (along, levels[depth] + height / 2)
        boxes[node_id] = Box(node_id, x, y, BOX_WIDTH, height, lines, depth, cut)
    return boxes


def _level_starts(depth_of: dict[str, int], size: dict[str, float], gap: float) -> dict[int, float]:
    """Where each depth's band starts: a band is as deep as its deepest box, so boxes never reach the next."""
    deepest: dict[int, float] = {}
    for node_id, depth in depth_of.items():
        deepest[depth] = max(deepest.get(depth, 0.0), size[node_id])
    starts, position = {}, 0.0
    for depth in sorted(deepest):
        starts[depth] = position
        position += deepest[depth] + gap
    return starts


def _pack(
    top_id: str, family: dict[str, list[CausalNode]], size: dict[str, float], gap: float
) -> dict[str, float]:
    """Centre of every node along the breadth; siblings' subtrees sit as close as their contours allow."""
    relative: dict[str, dict[str, float]] = {}  # subtree root -> {node: centre relative to that root}
    contour: dict[str, dict[int, tuple[float, float]]] = {}  # subtree root -> {level: (low edge, high edge)}
    for node_id in _postorder(top_id, family):
        children = family[node_id]
        placed: dict[str, float] = {node_id: 0.0}
        outline = {0: (-size[node_id] / 2, size[node_id] / 2)}
        if children:
            starts, merged = [], {}
            for child in children:
                offset = _clearance(merged, contour[child.id], gap)
                starts.append(offset)
                for level, (low, high) in contour[child.id].items():
                    old = merged.get(level)
                    merged[level] = (low + offset, high + offset) if old is None else (old[0], high + offset)
            middle = (starts[0] + starts[-1]) / 2
            for child, offset in zip(children, starts, strict=True):
                for member, position in relative.pop(child.id).items():
                    placed[member] = position + offset - middle
                contour.pop(child.id)
            outline.update(
                {level + 1: (low - middle, high - middle) for level, (low, high) in merged.items()}
            )
        relative[node_id], contour[node_id] = placed, outline
    return relative[top_id]


def _clearance(
    left: dict[int, tuple[float, float]], right: dict[int, tuple[float, float]], gap: float
) -> float:
    """How far along a subtree must start so that, at every shared level, it clears what came before."""
    if not left:
        return 0.0
    return max(left[level][1] - low + gap for level, (low, _) in right.items() if level in left)


def _postorder(top_id: str, family: dict[str, list[CausalNode]]) -> list[str]:
    """Children before parents, without recursion (a 150-deep chain must not hit Python's limit)."""
    result, stack = [], [(top_id, False)]
    while stack:
        node_id, expanded = stack.pop()
        if expanded:
            result.append(node_id)
            continue
        stack.append((node_id, True))
        stack.extend((child.id, False) for child in reversed(family[node_id]))
    return result


def overlapping(boxes: dict[str, Box]) -> list[tuple[str, str]]:
    """Pairs of boxes whose rectangles intersect (none, in a good layout)."""
    ordered = list(boxes.values())
    pairs = []
    for n, first in enumerate(ordered):
        for second in ordered[n + 1 :]:
            if (
                first.left < second.right
                and second.left < first.right
                and first.top < second.bottom
                and second.top < first.bottom
            ):
                pairs.append((first.id, second.id))
    return pairs


def extent(boxes: dict[str, Box]) -> tuple[float, float]:
    """Width and height of the whole drawing."""
    if not boxes:
        return 0.0, 0.0
    return (
        max(b.right for b in boxes.values()) - min(b.left for b in boxes.values()),
        max(b.bottom for b in boxes.values()) - min(b.top for b in boxes.values()),
    )
