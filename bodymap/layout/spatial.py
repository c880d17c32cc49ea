"""A uniform grid over the page: which boxes or points lie near a place, without testing every one.

Label placement and setting marks apart asked "does this overlap anything?" of every box or mark
placed so far, so their cost grew with the square of the marks. A grid of square cells answers
with the few items in the cells a query touches. Answers are exact: the grid only chooses which
items to test, and every test is still the caller's own (`Box.intersects`, a distance).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from bodymap.content.scenetypes import Box


class BoxIndex(list[Box]):
    """A list of boxes that also answers `hits(box)` through a grid (append keeps both up to date).

    A list, so code that appends to or iterates the boxes it was given keeps working unchanged.
    """

    def __init__(self, boxes: Iterable[Box] = (), cell: float = 64.0) -> None:
        super().__init__()
        self.grid = Buckets(cell)
        for box in boxes:
            self.append(box)

    def append(self, box: Box) -> None:
        self.grid.insert(len(self), box.x, box.y, box.x + box.w, box.y + box.h)
        super().append(box)

    def extend(self, boxes: Iterable[Box]) -> None:
        for box in boxes:
            self.append(box)

    def hits(self, box: Box) -> bool:
        """True when `box` intersects any box held (the same answer as testing them all)."""
        return any(self[i].intersects(box) for i in sorted(self.grid.near(box.x, box.y, box.x + box.w, box.y + box.h)))


def index(boxes: Iterable[Box], cell: float = 64.0) -> BoxIndex:
    """`boxes` as a BoxIndex (returned as is when it already is one, so appends reach the caller's)."""
    return boxes if isinstance(boxes, BoxIndex) else BoxIndex(boxes, cell)


class Buckets:
    """Square cells `size` units wide with the items (by number) registered in each; a cell is keyed by one
    integer, not a tuple, because leader routing asks it in its hot loops."""

    def __init__(self, size: float) -> None:
        self.k = 1.0 / size
        self.cells: dict[int, list[int]] = {}

    def insert(self, item: int, x0: float, y0: float, x1: float, y1: float) -> None:
        k, cells = self.k, self.cells
        for i in range(math.floor(x0 * k), math.floor(x1 * k) + 1):
            for j in range(math.floor(y0 * k), math.floor(y1 * k) + 1):
                cells.setdefault(i * 65536 + j, []).append(item)  # i, j < 32,768 on any page the limits allow

    def near(self, x0: float, y0: float, x1: float, y1: float) -> set[int]:
        """Every item registered in a cell the rectangle touches (a superset of those it overlaps)."""
        k, cells = self.k, self.cells
        out: set[int] = set()
        for i in range(math.floor(x0 * k), math.floor(x1 * k) + 1):
            for j in range(math.floor(y0 * k), math.floor(y1 * k) + 1):
                got = cells.get(i * 65536 + j)
                if got:
                    out.update(got)
        return out
