"""Issue 14's scenarios: one module over REST and by Bulk Read across the latency sweep, four modules at once, and
records per CPU second past start-up.

R5  one module (Leads) of `r5` rows, `bulk_read: never` (REST) and `always` (Bulk Read), at each `sweep` latency;
    at 0 ms also a read of `r5_small` rows, so that (rows - small rows) / (CPU s - small CPU s) is the rate past
    start-up (interpreter, imports, catalog, token: the same in both runs).
    At each latency above 0 ms also `R5 REST 50 fields`: the same read with 50 fields selected, one call a page
    (63 fields take two, docs/zoho-api.md 3.1), the read issue 14's bound of 10 x 200 / latency was written for.
R6  four modules (Leads, Contacts, Accounts, Deals) of `r6` rows each over REST at each `r6_latencies` latency.

Every read is the console script's, with 10 requests allowed in flight (`max_concurrent_requests`).
"""

from __future__ import annotations

from benchmarks import floor as floors
from benchmarks.read_scenarios import first_syncs
from benchmarks.sizes import Sizes
from benchmarks.table import Row

SLOTS = 10
FOUR = ["Leads", "Contacts", "Accounts", "Deals"]
REST = {"bulk_read": "never", "max_concurrent_requests": SLOTS}
BULK = {"bulk_read": "always", "max_concurrent_requests": SLOTS}


def r5(sizes: Sizes) -> list[Row]:
    rows = []
    for latency in sizes.sweep:
        variants = {"R5 REST": REST, "R5 bulk": {**BULK, **_timeout(sizes)}}
        if latency:
            variants["R5 REST 50 fields"] = REST
        measured = [row for row, _ in first_syncs(sizes.r5, latency, ["Leads"], variants,
                                                  narrow={"R5 REST 50 fields": floors.FIELDS_PER_CALL})]
        for row in measured:
            if row.scenario == "R5 bulk":  # a Bulk Read's floor is its jobs' calls, not pages of 200
                row.floor = floors.bulk_floor(row.records, 0, include_deleted=False)
        rows += measured
        if latency == 0:
            small, _ = first_syncs(sizes.r5_small, 0, ["Leads"], {"R5 REST small": REST})[0]
            rows.append(small)
    return rows


def r6(sizes: Sizes) -> list[Row]:
    return [first_syncs(sizes.r6, latency, FOUR, {"R6 REST x4": REST})[0][0] for latency in sizes.r6_latencies]


def _timeout(sizes: Sizes) -> dict[str, float]:
    return {"request_timeout_seconds": sizes.r4_timeout} if sizes.r4_timeout else {}


SCENARIOS = {"R5": r5, "R6": r6}
