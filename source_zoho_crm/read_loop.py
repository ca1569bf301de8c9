"""The read loop: streams read in parallel by worker threads, messages printed by the calling thread.

Each stream is read by exactly one worker, which puts its records, then the STATE covering them, on one
queue; the main thread yields them in that order, so a stream's STATE is never ahead of its records
(issue 8 item 2). The client's in-flight limiter caps requests; the workers only keep it busy.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from airbyte_cdk.models import AirbyteMessage, AirbyteStreamStatus, ConfiguredAirbyteCatalog, Level, SyncMode

from source_zoho_crm import messages
from source_zoho_crm.config import SourceConfig
from source_zoho_crm.failures import describe, refusal
from source_zoho_crm.readers import READERS
from source_zoho_crm.state import StreamStates
from source_zoho_crm.stream_run import Stopped, StreamRun
from source_zoho_crm.streams import Kind, from_catalog
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import CreditBudgetExhausted

# Batches (about one page each) waiting to be printed: bounded so that fast workers cannot pile up records in
# memory faster than stdout drains them (peak RSS goal, issue 8).
QUEUE_SIZE = 32
_DONE = object()


@dataclass
class Outcome:
    """What the read ended with: streams that failed, streams Zoho refused, and whether the credit budget stopped it."""

    failed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    budget: CreditBudgetExhausted | None = None


def stream_runs(catalog: ConfiguredAirbyteCatalog, config: SourceConfig, states: StreamStates,
         emit: Callable[[list[AirbyteMessage]], None], stop: threading.Event,
         sync_facts: dict[str, Any] | None = None) -> list[StreamRun]:
    """One StreamRun per configured stream, rebuilt from the catalog (no metadata call)."""
    runs = []
    for configured in catalog.streams:
        stream = from_catalog(configured.stream.name, configured.stream.json_schema, config)
        runs.append(StreamRun(
            stream=stream,
            incremental=configured.sync_mode == SyncMode.incremental and stream.cursor_field is not None,
            fields=stream.fields_to_request(stream.properties),
            state=states.get(stream.name, {}),
            start=config.start,
            include_deleted=config.include_deleted,
            bulk_read=config.bulk_read,
            emit=emit,
            stop=stop,
            sync_facts=sync_facts or {},
            replaces_destination=replaces_destination(configured),
        ))
    return runs


def replaces_destination(configured: Any) -> bool:
    """True when the platform says the destination keeps no rows from before this sync's generation: a new
    connection, a refresh that removes records, a clear (minimum_generation_id == generation_id). False for a
    refresh that retains records, and when the catalog carries no generation ids (a hand-written catalog)."""
    generation, minimum = configured.generation_id, configured.minimum_generation_id
    return generation is not None and minimum is not None and minimum >= generation


def read(client: ZohoClient, config: SourceConfig, catalog: ConfiguredAirbyteCatalog, states: StreamStates,
         workers: int, outcome: Outcome, sync_facts: dict[str, Any] | None = None) -> Iterator[AirbyteMessage]:
    """Yield every message of the sync; `outcome` tells the caller how it ended; `sync_facts` goes into every
    cursor state."""
    out: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_SIZE)
    stop = threading.Event()
    runs = stream_runs(catalog, config, states, out.put, stop, sync_facts)
    if not runs:
        return
    finished = 0
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(runs))), thread_name_prefix="stream") as pool:
        for run in runs:
            pool.submit(_read_stream, client, run, outcome, out)
        try:
            while finished < len(runs):
                batch = out.get()
                if batch is _DONE:
                    finished += 1
                else:
                    yield from batch
        finally:
            # The consumer went away early: stop the workers and unblock their puts before joining them.
            stop.set()
            while finished < len(runs):
                finished += out.get() is _DONE


def _read_stream(client: ZohoClient, run: StreamRun, outcome: Outcome, out: queue.Queue[Any]) -> None:
    name = run.stream.name
    try:
        if run.stop.is_set():
            return  # the budget ran out before this stream started: it is read next time
        out.put([messages.status(name, AirbyteStreamStatus.STARTED)])
        READERS[run.stream.kind](client, run)
        out.put([messages.log(run.progress.summary("complete"))])
        out.put([messages.status(name, AirbyteStreamStatus.COMPLETE)])
    except (Stopped, CreditBudgetExhausted) as exc:
        if isinstance(exc, CreditBudgetExhausted):
            outcome.budget = exc
        run.stop.set()
        out.put([messages.log(run.progress.summary("stopped at the credit budget, state saved"))])
        out.put([messages.status(name, AirbyteStreamStatus.INCOMPLETE)])
    except Exception as exc:  # noqa: BLE001 - one stream's failure must not hide the others' data
        warning = refusal(exc, name) if run.stream.kind in (Kind.MODULE, Kind.ORG) else None
        if warning:
            outcome.refused.append(name)
            out.put([messages.log(warning, Level.WARN), messages.log(run.progress.summary("refused by Zoho")),
                     messages.status(name, AirbyteStreamStatus.INCOMPLETE)])
            return
        outcome.failed.append(name)
        user_message, failure_type, internal = describe(exc, name)
        out.put([messages.log(run.progress.summary("failed"))])
        out.put([messages.error(user_message, failure_type, stream=name, internal=internal)])
        out.put([messages.status(name, AirbyteStreamStatus.INCOMPLETE)])
    finally:
        out.put(_DONE)
