"""Scenario sizes and settings: the full set of issue 8, and a quick smoke set that runs in a minute or two."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    r1: int = 20_000                                    # records per module, first sync of the whole org
    r2: tuple[int, ...] = (10_000, 100_000, 300_000)    # Leads
    r3: int = 20_000                                    # records per module before the incremental syncs
    r4: int = 300_000                                   # Leads, Bulk Read
    w1: tuple[int, int, int] = (10_000, 10_000, 1_000)  # upserts, creates, deletes
    latencies: tuple[float, ...] = (0, 100)             # R1, R4 and W1
    r4_rest: bool = True                                # R4 also syncs over REST when R2 has not
    r4_timeout: float | None = None                     # the source's request_timeout_seconds for R4
    w1_state_every: int = 200                           # W1 input: a STATE per this many records, 0 = at the end
    r5: int = 100_000                                   # Leads, one module over REST and by Bulk Read (issue 14)
    r5_small: int = 1_000                               # Leads, the start-up run the CPU rate is taken against
    sweep: tuple[float, ...] = (0, 100, 300, 600)       # R5's latencies, the chart's x axis
    r6: int = 25_000                                    # records in each of R6's four modules
    r6_latencies: tuple[float, ...] = (100,)            # R6
    r7: int = 20_000                                    # Notes changed since the cursor (R7)
    r8: int = 10_000                                    # Leads deleted since the last sync (R8)
    r78_latencies: tuple[float, ...] = (100, 300)       # R7 and R8


FULL = Sizes()
QUICK = Sizes(r1=1_000, r2=(1_000, 5_000), r3=1_000, r4=5_000, w1=(500, 500, 100), r5=2_000, r5_small=200,
              r6=500, r7=2_500, r8=1_000, r78_latencies=(100,))
