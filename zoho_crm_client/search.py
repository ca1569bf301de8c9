"""Search (docs/zoho-api.md section 4): criteria escaping, paging up to the 2,000-row ceiling, and a criteria
search read past it in Modified_Time ranges side by side (SearchRanges).

A search pages by number only (no page token, no sort: Zoho answers newest id first) and stops at 2,000 rows.
A criteria search that reaches page 10 with more_records true is read again as ranges of Modified_Time, each
its own search `((criteria)and(Modified_Time:greater_equal:A)and(Modified_Time:less_than:B))`: the ranges are
half-open and cover every instant (the lowest has no A, the highest no B), a range that reaches the ceiling in
turn is split where the Modified_Time of the rows it returned says (SearchRanges._split), and a row read in an
earlier range is not emitted again (the id decides). When the search had to be split, a last range asks for the
rows modified since the read began (less CLOCK_MARGIN): a row edited while the read ran moves to that range,
so it is read even when its old range was not read yet.

Semantics: a row that matches the criteria throughout the read is emitted exactly once, in the version of the
range that read it first (a full refresh taken over the read's duration, not at one instant); a row created,
deleted or made to match or not during the read may or may not be.
Within a range, pages are by number: a row that leaves a range while it is being paged (edited, or no longer
matching) shifts the rows after it up one place, and the row then at a page boundary can be missed, as with any
search read page by page; the ranges keep each such read short (a few pages).

Worked example: 10,000 matching rows, one a second, ids growing with time. Pages 1-10 of the plain search
yield 2,000 rows (the newest) and say more (10 calls): one Get Records call finds the module's oldest
Modified_Time; the line is cut at the oldest and the median moment of the rows read, and below them every
1,000 s (their density: 1,000 rows a piece) down to that oldest moment. The ten ranges are read side by side
(50 calls, the 2,000 rows read again dropped by id), then the rows modified since the read began (1
call): 62 calls for a floor of 50. The worse case is answers in no order: a range's rows read then span it
all, nothing is cut below them, and each range is halved until it fits (2,000 rows re-read per split).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from zoho_crm_client.dates import format_datetime, parse_datetime
from zoho_crm_client.errors import (
    CoqlError,
    CriteriaError,
    InvalidResponseError,
    PermissionError_,
    RequestError,
    SearchCeilingReached,
)
from zoho_crm_client.models import MODIFIED_TIME, Page
from zoho_crm_client.paging import DISCRETE_LIMIT, PER_PAGE
from zoho_crm_client.records import MAX_FIELDS, RecordReader, page_body
from zoho_crm_client.transport import Call, Transport

_CEILING_MESSAGE = ("Zoho search returns at most 2,000 rows per query and {module} has more for {criteria!r}; "
                    "{why}use a COQL stream (coql_streams) to read them all")
MAX_PAGES = DISCRETE_LIMIT // PER_PAGE  # page 10 is the last a search serves (section 4)
MAX_CONDITIONS = 10  # section 4: up to 10 conditions in a criteria
PIECE_ROWS = 1000  # rows a piece below the rows read is guessed to hold: half the ceiling (SearchRanges._split)
MAX_PIECES = 16  # cuts made at most when a range is split: a wrong guess costs about one call a piece
CLOCK_MARGIN = timedelta(minutes=5)  # the catch-up range starts this long before the read: our clock vs Zoho's
_UNASKED = object()  # the module's oldest Modified_Time, not asked yet (SearchRanges._oldest)


def _ceiling(module: str, what: str, why: str = "") -> SearchCeilingReached:
    return SearchCeilingReached(_CEILING_MESSAGE.format(module=module, criteria=what, why=why),
                                code="LIMIT_REACHED")


def escape_criteria_value(value: Any) -> str:
    """Section 4: prefix `(`, `)` and `,` with a backslash; a trailing backslash becomes `\\\\`.

    `Burns,B` -> `Burns\\,B`. requests URL-encodes the whole criteria afterwards (`Burns%5C%2CB`).
    """
    text = str(value)
    trailing = len(text) - len(text.rstrip("\\"))
    body = text[: len(text) - trailing] if trailing else text
    for char in "(),":
        body = body.replace(char, "\\" + char)
    return body + "\\\\" * trailing


def criterion(field: str, operator: str, value: Any) -> str:
    """One `(Field:operator:value)` condition with the value escaped; `in` takes a list."""
    if isinstance(value, (list, tuple)):
        text = ",".join(escape_criteria_value(v) for v in value)
    else:
        text = escape_criteria_value(value)
    return f"({field}:{operator}:{text})"


class SearchReader:
    def __init__(self, transport: Transport, records: RecordReader, pool: Executor | None = None):
        self._transport = transport
        self._records = records
        self._pool = pool  # the client's one call pool: the ranges of a search read side by side (SearchRanges)

    def iter_search(self, module: str, criteria: str | None, fields: list[str] | None = None, *,
                    email: str | None = None, phone: str | None = None, word: str | None = None
                    ) -> Iterator[Page]:
        """Pages of up to 200 rows until more_records is false; SearchCeilingReached past 2,000 rows.

        Section 4: exactly one of `criteria`, `email`, `phone`, `word` is sent (Zoho takes them in that order).
        `fields` beyond 50 (section 3.1's limit per call, which search shares) are read as a module stream's are:
        the search asks for the first group, each later group is asked of get records by the page's ids and
        merged on id (records.py `fill`). The actions CLI (`zoho-crm record search`) reads this way: a lookup
        that matches more than 2,000 rows says so; `search_pages` reads past it."""
        by = {k: v for k, v in (("criteria", criteria), ("email", email), ("phone", phone), ("word", word)) if v}
        what = criteria or next(iter(by.values()), "")
        groups = _groups(fields)
        page = 1
        while True:
            if page * PER_PAGE > DISCRETE_LIMIT:
                raise _ceiling(module, what)
            records, more, calls = self.page(module, by, page, groups, what)
            if not records:
                return
            yield Page(records=records, calls=calls, more=more, credits=calls)
            if not more:
                return
            page += 1

    def page(self, module: str, by: dict[str, str], page: int, groups: list[list[str]], what: str
             ) -> tuple[list[dict[str, Any]], bool, int]:
        """One search page: its rows (later field groups merged), whether more follow, and the calls it cost."""
        params: dict[str, Any] = {**by, "page": page, "per_page": PER_PAGE, "converted": "both"}
        if groups:
            params["fields"] = ",".join(groups[0])
        call = Call.to("GET", "/crm/v8/{module}/search", {"module": module}, params=params, heavy=True)
        try:
            body = self._transport.request(call).body
        except SearchCeilingReached:
            raise _ceiling(module, what) from None
        except CoqlError as exc:  # the table's INVALID_QUERY class: here it is the criteria Zoho refused
            reason = exc.message.removeprefix("Zoho rejected the query: ")
            raise CriteriaError(f"Zoho rejected the search criteria {what!r} of {module}: {reason}; write "
                                "them as (Field:operator:value), joined by and/or", status=exc.status,
                                code=exc.code, details=exc.details) from None
        if not isinstance(body, dict) or not body.get("data"):
            return [], False, 1
        more = bool((body.get("info") or {}).get("more_records"))
        records = [r for r in body["data"] if isinstance(r, dict)]
        calls = 1 + sum(self._records.fill(module, records, group) for group in groups[1:])
        return records, more, calls

    def oldest(self, module: str) -> datetime | None:
        """The oldest Modified_Time of the module's records: Get Records sorted by it, one row (section 3.1)."""
        params = {"fields": MODIFIED_TIME, "sort_by": MODIFIED_TIME, "sort_order": "asc", "per_page": 1, "page": 1}
        body = page_body(self._transport.request(Call.to("GET", "/crm/v8/{module}", {"module": module},
                                                         params=params)).body)
        rows = (body or {}).get("data") or []
        return parse_datetime(rows[0].get(MODIFIED_TIME)) if rows else None

    def search_pages(self, module: str, criteria: str | None, fields: list[str] | None, slots: Callable[[], int],
                     *, email: str | None = None, phone: str | None = None, word: str | None = None
                     ) -> Iterator[Page]:
        """Every row of a search, past the 2,000-row ceiling when it is a criteria search (SearchRanges)."""
        if not criteria:
            yield from self.iter_search(module, criteria, fields, email=email, phone=phone, word=word)
            return
        assert self._pool is not None, "search_pages reads ranges side by side on the client's pool"
        yield from SearchRanges(self, self._pool, module, criteria, fields, slots).pages()


def _groups(fields: list[str] | None) -> list[list[str]]:
    """The requested fields in groups of at most 50 (`id` comes with every row and is not asked for)."""
    wanted = [f for f in dict.fromkeys(fields or ()) if f != "id"]
    return [wanted[i:i + MAX_FIELDS] for i in range(0, len(wanted), MAX_FIELDS)]


def conditions(criteria: str) -> int:
    """The conditions in a criteria: unescaped `(` that open a condition rather than a group."""
    text = re.sub(r"\\.", "", criteria)
    return len(re.findall(r"\((?!\s*\()", text))


def _one_group(criteria: str) -> bool:
    """Whether the criteria is one parenthesised group (its first `(` closes at its end)."""
    text = re.sub(r"\\.", "__", criteria.strip())
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(text) - 1 and text.startswith("(")
    return False


def range_criteria(criteria: str, low: datetime | None, high: datetime | None) -> str:
    """`((criteria)and(Modified_Time:greater_equal:low)and(Modified_Time:less_than:high))`, without the bound
    that is None; the datetimes as Zoho writes them (`2024-05-01T10:15:00+00:00`, section 4: `:` and `+` are
    URL-encoded with the rest of the criteria)."""
    own = criteria.strip() if _one_group(criteria) else f"({criteria.strip()})"
    parts = [own]
    if low is not None:
        parts.append(criterion(MODIFIED_TIME, "greater_equal", format_datetime(low)))
    if high is not None:
        parts.append(criterion(MODIFIED_TIME, "less_than", format_datetime(high)))
    return own if len(parts) == 1 else "(" + "and".join(parts) + ")"


@dataclass
class _Range:
    low: datetime | None  # inclusive; None: from the first instant
    high: datetime | None  # exclusive; None: up to now, edits during the read included
    page: int = 1
    moments: list[datetime] = field(default_factory=list)  # Modified_Time of the rows it returned: where to split


class SearchRanges:
    """A criteria search read past 2,000 rows (module docstring); pages in the order they arrive.

    Ranges are read side by side, as many as the calls in flight allow (one page of each in flight, its later
    field groups asked in the same task); every call goes through the client's one pool and the transport's
    limiter. Each yielded Page holds only rows not emitted before; its `calls` count every call, repeats
    included."""

    def __init__(self, reader: SearchReader, pool: Executor, module: str, criteria: str,
                 fields: list[str] | None, slots: Callable[[], int]):
        self._reader, self._pool, self._module, self._criteria = reader, pool, module, criteria
        self._slots = slots
        wanted = [f for f in dict.fromkeys(fields or ()) if f != "id"]
        self._strip = fields is not None and MODIFIED_TIME not in wanted  # asked only to place the rows
        self._groups = _groups([*wanted, MODIFIED_TIME] if self._strip else wanted)
        self._seen: set[str] = set()
        self._started = datetime.now(timezone.utc)
        self._waiting: deque[_Range] = deque([_Range(None, None)])
        self._split_once = False
        self._caught_up = False
        self._floor: object = _UNASKED  # the module's oldest Modified_Time (_oldest)
        self._extra_calls = 0  # calls made outside a page (_oldest), counted in the next page

    def _most(self) -> int:
        return max(1, self._slots())

    def pages(self) -> Iterator[Page]:
        running: dict[Future[tuple[list[dict[str, Any]], bool, int]], _Range] = {}
        try:
            while True:
                while self._waiting and len(running) < self._most():
                    part = self._waiting.popleft()
                    running[self._submit(part)] = part
                if not running:
                    if self._split_once and not self._caught_up:
                        self._caught_up = True  # rows edited during the read (module docstring)
                        self._waiting.append(_Range(self._started - CLOCK_MARGIN, None))
                        continue
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    part = running.pop(future)
                    records, more, calls = future.result()
                    full = bool(records) and more and part.page == MAX_PAGES  # page 10 says more
                    page = self._arrived(part, records, more, calls)
                    page.more = bool(running or self._waiting or full or not self._caught_up and self._split_once)
                    yield page  # its rows are out before a split that cannot be made says so
                    if full:
                        self._waiting.extend(self._split(part))
        finally:
            for future in running:
                future.cancel()

    def _submit(self, part: _Range) -> Future[tuple[list[dict[str, Any]], bool, int]]:
        by = {"criteria": range_criteria(self._criteria, part.low, part.high)}
        return self._pool.submit(self._reader.page, self._module, by, part.page, self._groups, self._criteria)

    def _arrived(self, part: _Range, records: list[dict[str, Any]], more: bool, calls: int) -> Page:
        part.moments += [m for m in (parse_datetime(r.get(MODIFIED_TIME)) for r in records) if m is not None]
        fresh = []
        for record in records:
            key = str(record.get("id"))
            if key not in self._seen:
                self._seen.add(key)
                fresh.append(record)
        if self._strip:
            fresh = [{k: v for k, v in r.items() if k != MODIFIED_TIME} for r in fresh]
        if records and more and part.page < MAX_PAGES:
            part.page += 1
            self._waiting.appendleft(part)  # a range in progress goes on before a new one starts
        calls, self._extra_calls = calls + self._extra_calls, 0
        return Page(records=fresh, calls=calls, credits=calls)

    def _oldest(self) -> datetime | None:
        """The module's oldest Modified_Time (one Get Records call, asked once, section 3.1): no piece is cut
        below it (the lowest range stays open, so a row below it is still read)."""
        if self._floor is _UNASKED:
            self._extra_calls += 1
            try:
                self._floor = self._reader.oldest(self._module)
            except (RequestError, PermissionError_, InvalidResponseError):  # a guide only: cut without it
                self._floor = None
        return self._floor if isinstance(self._floor, datetime) else None

    def _split(self, part: _Range) -> list[_Range]:
        """The ranges a range that reached the ceiling is read again as (SearchCeilingReached when it cannot be
        cut: over 2,000 rows in one second, or no room for two more conditions in Zoho's 10).

        Zoho answers newest id first, so the 2,000 rows a range returned are, as a rule, its newest records:
        the rows still unread lie mostly below the oldest Modified_Time among them. The range is cut at that
        oldest moment and at their median (the rows read, in two ranges of about 1,000), and below the oldest
        moment into pieces of about PIECE_ROWS rows at the density the rows read show (at most MAX_PIECES of
        them, the lowest open down to the range's start). A piece that holds fewer rows than guessed costs at
        most one call more; one that holds more than 2,000 is split in turn. Cuts are whole seconds strictly
        inside the range; when the rows read give none, the range is halved in time, or cut above its newest
        row."""
        if conditions(self._criteria) + 2 > MAX_CONDITIONS:
            raise _ceiling(self._module, self._criteria,
                           f"reading past it adds two Modified_Time conditions to the criteria's "
                           f"{conditions(self._criteria)} and Zoho allows {MAX_CONDITIONS}; ")
        moments = sorted(part.moments)

        def inside(moment: datetime) -> bool:
            return (part.low is None or moment > part.low) and (part.high is None or moment < part.high)

        cuts = {m for m in (_second(moments[0]), _second(moments[len(moments) // 2])) if inside(m)} if moments \
            else set()
        span = (moments[-1] - moments[0]).total_seconds() if moments else 0.0
        if moments and span > 0:
            step = timedelta(seconds=max(1, round(PIECE_ROWS * span / len(moments))))
            cut = _second(moments[0]) - step
            floor = part.low if part.low is not None else self._oldest()
            while len(cuts) < MAX_PIECES and inside(cut) and (floor is None or cut > floor):
                cuts.add(cut)
                cut -= step
        if not cuts and part.low is not None and part.high is not None:
            middle = _second(part.low + (part.high - part.low) / 2)
            cuts = {middle} if inside(middle) else set()
        if not cuts and moments and inside(above := _second(moments[-1]) + timedelta(seconds=1)):
            cuts = {above}
        if not cuts:
            raise _ceiling(self._module, self._criteria,
                           "more than 2,000 of its rows were modified within the same second; " if moments else
                           "its rows carry no Modified_Time to read it in ranges by; ")
        self._split_once = True
        bounds = [part.low, *sorted(cuts), part.high]
        return [_Range(low, high) for low, high in zip(bounds, bounds[1:], strict=False)]


def _second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)
