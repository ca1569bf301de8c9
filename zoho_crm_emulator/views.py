"""Sorted indexes over a module's rows, kept up to date on every write, so that a list call costs CPU in
proportion to its page and not to the module (issue 8: 132 ms per call at 300,000 records before).

`SortedIndex` holds the items that pass a filter in ascending key order and takes each write with a bisect
(a C-level memmove, no re-sort). `Window` is the part of an index a query sees: the suffix from the first
item at or above a lower bound (inclusive `If-Modified-Since`, section 3.1), paged by offset (`page`) or by
keyset (`page_token`, the sort key of the last row served). Both read a list that writers change in place,
so callers hold `org.lock` while they take a page; the page itself is a copy.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Key = Callable[[Any], Any]


class SortedIndex:
    """The items passing `admits`, ascending by `key`; keys are unique (every key ends with the record id)."""

    def __init__(self, items: Iterable[Any], key: Key, admits: Callable[[Any], bool] | None = None):
        self.key = key
        self.admits = admits
        self.items = sorted((i for i in items if admits is None or admits(i)), key=key)

    def add(self, item: Any) -> None:
        if self.admits is None or self.admits(item):
            bisect.insort_right(self.items, item, key=self.key)

    def discard(self, item: Any) -> None:
        """Remove `item` (the stored object with its key); a no-op when it is not indexed."""
        if self.admits is not None and not self.admits(item):
            return
        key = self.key(item)
        i = bisect.bisect_left(self.items, key, key=self.key)
        if i < len(self.items) and self.key(self.items[i]) == key:
            del self.items[i]

    def window(self, low: Any = None) -> Window:
        """Every item, or those whose key is >= `low` (a key prefix such as `(instant, "")`)."""
        start = 0 if low is None else bisect.bisect_left(self.items, low, key=self.key)
        return Window(self.items, start, self.key)


@dataclass(frozen=True)
class Window:
    """items[start:], ascending by key; pages are copies, reversed for descending order."""

    items: list[Any]
    start: int
    key: Key

    @property
    def size(self) -> int:
        return len(self.items) - self.start

    def at(self, offset: int, count: int, desc: bool) -> list[Any]:
        """Discrete paging: `count` items after skipping `offset` in the requested direction."""
        if desc:
            end = len(self.items) - offset
            return self.items[max(self.start, end - count):max(self.start, end)][::-1]
        begin = self.start + offset
        return self.items[begin:begin + count]

    def after(self, last: Any, count: int, desc: bool) -> tuple[list[Any], bool]:
        """Keyset paging: the `count` items past the key `last`, and whether any item follows them."""
        if desc:
            end = bisect.bisect_left(self.items, last, key=self.key)
            begin = max(self.start, end - count)
            page = self.items[begin:end][::-1]
            return page, bool(page) and begin > self.start
        begin = max(self.start, bisect.bisect_right(self.items, last, key=self.key))
        page = self.items[begin:begin + count]
        return page, bool(page) and begin + len(page) < len(self.items)
