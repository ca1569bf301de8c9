"""What the destination holds of a module's formula columns, in a state of bounded size (docs/source.md
"Formula fields").

Rows are spread over at most MAX_BUCKETS buckets by a hash of their id; a bucket's digest is the XOR of its rows'
hashes of (id, formula values). Comparing the digest of the values Zoho serves now with the digest saved at the
last refresh tells which buckets hold a row whose formula changed (or a row that came or went); only the rows of
those buckets are read whole and emitted again. XOR makes the digest independent of the order rows arrive in
(Bulk Read's CSV has none) and lets a bucket's digest be rebuilt from just its rows.

Worked example, 4 buckets: rows a (bucket 1) and b, c (bucket 3) give digests [0, h(a), 0, h(b) ^ h(c)]. When c's
formula moves from 5 to 6, bucket 3's digest changes and rows b and c are read again; a and bucket 1 cost nothing.

A module of up to MAX_BUCKETS rows gets about one row per bucket; a larger one about rows / MAX_BUCKETS (100,000
rows: 98). The state holds 4 bytes a bucket (base64: about 5.5 KB at most), whatever the module's size.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from source_zoho_crm.streams import utc_text

MAX_BUCKETS = 1024
_BYTES = 4  # per bucket digest: a false "unchanged" needs a 1 in 4 billion collision in a bucket that changed


def bucket_count(rows: int) -> int:
    """The power of two at or above `rows`, between 1 and MAX_BUCKETS."""
    count = 1
    while count < rows and count < MAX_BUCKETS:
        count *= 2
    return count


def bucket_of(record_id: str, buckets: int) -> int:
    digest = hashlib.blake2b(str(record_id).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % buckets


def canonical(value: Any) -> Any:
    """One form for a value however it was read: a number as a float (REST says 412.0, Bulk Read's CSV "412"),
    a date-time as its UTC instant (REST gives the user's offset), a dict or list by its JSON."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return utc_text(value) if "T" in value and ":" in value else value
    return json.dumps(value, sort_keys=True, default=str)


def row_hash(record_id: str, values: Iterable[Any]) -> int:
    text = json.dumps([str(record_id), [canonical(v) for v in values]], separators=(",", ":"), default=str)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=_BYTES).digest(), "big")


@dataclass
class Digest:
    """One XOR of row hashes per bucket."""

    buckets: list[int]

    @classmethod
    def of(cls, hashes: Mapping[str, int], count: int) -> Digest:
        """`hashes`: row id -> row_hash, one entry per row."""
        buckets = [0] * count
        for record_id, value in hashes.items():
            buckets[bucket_of(record_id, count)] ^= value
        return cls(buckets)

    @property
    def count(self) -> int:
        return len(self.buckets)

    def changed(self, other: Digest | None) -> set[int]:
        """Buckets whose digest differs from `other`'s (every bucket when there is none to compare with)."""
        if other is None or other.count != self.count:
            return set(range(self.count))
        return {b for b, (mine, theirs) in enumerate(zip(self.buckets, other.buckets, strict=True)) if mine != theirs}

    def encode(self) -> str:
        raw = b"".join(b.to_bytes(_BYTES, "big") for b in self.buckets)
        return base64.b64encode(raw).decode()

    @classmethod
    def decode(cls, text: Any) -> Digest | None:
        """None for anything that is not a digest this module wrote (the refresh then compares with nothing)."""
        try:
            raw = base64.b64decode(str(text), validate=True)
        except ValueError:
            return None
        count = len(raw) // _BYTES
        if not raw or len(raw) % _BYTES or count & (count - 1):
            return None
        return cls([int.from_bytes(raw[i:i + _BYTES], "big") for i in range(0, len(raw), _BYTES)])
