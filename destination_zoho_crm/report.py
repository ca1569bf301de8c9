"""Every record's fate, told to the user: one WARN log per rejection, an optional JSONL reject file, a summary.

A rejection log line is `Rejected record: {json}` with stream, position (1-based within the stream), id, module,
operation, source (local validation or Zoho), code, field and message (docs/destination-operations.md). A
successful convert or clone is logged as `Converted record: {json}` / `Cloned record: {json}` with Zoho's details
(the ids of the contact, account and deal, or of the copy). The reject
file, when `reject_file` is set, holds the same object plus the record as received, one per line, so rejected rows
can be fixed and re-sent.

Every batch that created records (create, an upsert that inserted, clone, convert) is logged once as
`Created records: {"module", "operation", "records": [{"stream", "position", "id", ...}]}` with each new id (for a
clone and a convert, `source_id` is the record it came from; a convert adds the ids Zoho named in `created`), so a
pipeline can join them back to its rows; with `results_file` each of those entries is also appended there.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from airbyte_cdk.models import AirbyteLogMessage, AirbyteMessage, Level, Type

from destination_zoho_crm.batching import Batch, Item
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.operations import Operation
from zoho_crm_client.limits import CallStats
from zoho_crm_client.models import WriteResult, converted_ids

FIRST_REASONS = 5  # how many reasons the failure message quotes
# Convert and clone create records whose ids the user has no other way to learn (sections 9.1, 10).
CREATES_RELATED = {Operation.CONVERT: "Converted record: ", Operation.CLONE: "Cloned record: "}


def log(message: str, level: Level = Level.INFO) -> AirbyteMessage:
    return AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=level, message=message))


def rejection_entry(item: Item, result: WriteResult) -> dict[str, Any]:
    """The id is the one the record was sent with: a refusal's own `id` may name another record (a duplicate)."""
    return {
        "stream": item.stream, "position": item.position, "id": item.payload.record_id,
        "module": item.module, "operation": item.payload.operation.value, "source": result.source,
        "code": result.code, "field": result.field, "message": result.message, "details": result.details,
    }


def created_entry(item: Item, result: WriteResult) -> dict[str, Any] | None:
    """The new record of a committed create, upsert insert, clone or convert; None for any other result."""
    op = item.payload.operation
    if not result.ok or result.source != "zoho":
        return None
    entry: dict[str, Any] = {"stream": item.stream, "position": item.position}
    if op is Operation.CREATE or (op is Operation.UPSERT and result.action == "insert"):
        return {**entry, "id": result.id}
    if op is Operation.CLONE:
        return {**entry, "id": result.id, "source_id": item.payload.record_id}
    if op is Operation.CONVERT:
        created = converted_ids(result.details)
        return {**entry, "id": created.get("Contacts"), "source_id": item.payload.record_id, "created": created}
    return None


class Reporter:
    """Counts results per (stream, operation, kind of result) and reports rejections as they happen."""

    def __init__(self, reject_file: str | None = None, results_file: str | None = None):
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self.first_reasons: list[str] = []
        self._file: IO[str] | None = _append_to(reject_file, "reject_file")
        self._results: IO[str] | None = _append_to(results_file, "results_file")

    def created(self, batch: Batch, results: list[WriteResult]) -> Iterator[AirbyteMessage]:
        """One INFO line per batch with the ids of the records it created (and a results_file line each)."""
        entries = [e for item, result in zip(batch.items, results, strict=True)
                   if (e := created_entry(item, result)) is not None]
        if not entries:
            return
        if self._results:
            for entry in entries:
                self._results.write(json.dumps({"module": batch.module, "operation": batch.operation.value,
                                                **entry}, default=str) + "\n")
            self._results.flush()
        yield log("Created records: " + json.dumps({"module": batch.module, "operation": batch.operation.value,
                                                    "records": entries}, default=str))

    def result(self, item: Item, result: WriteResult) -> Iterator[AirbyteMessage]:
        """Count one record's result; a rejection yields its WARN log line, a convert or clone its INFO line."""
        self.counts[(item.stream, item.payload.operation.value, _kind(result))] += 1
        if result.ok:
            if item.payload.operation in CREATES_RELATED and result.source == "zoho":
                yield log(CREATES_RELATED[item.payload.operation] + json.dumps(
                    {"stream": item.stream, "position": item.position, "id": item.payload.record_id,
                     "result": result.details}, default=str))
            return
        entry = rejection_entry(item, result)
        if len(self.first_reasons) < FIRST_REASONS:
            self.first_reasons.append(
                f"{item.stream} #{item.position}: {entry['code']} {entry['field'] or ''} {entry['message']}".strip())
        if self._file:
            self._file.write(json.dumps({**entry, "record": item.record}, default=str) + "\n")
        yield log("Rejected record: " + json.dumps(entry, default=str), Level.WARN)

    @property
    def rejected(self) -> int:
        return sum(n for (_, _, kind), n in self.counts.items() if kind.startswith("rejected"))

    def summary(self, stats: CallStats | None = None) -> Iterator[AirbyteMessage]:
        for (stream, operation, kind), n in sorted(self.counts.items()):
            yield log(f"Summary: stream {stream}, {operation}: {n} {kind}")
        if stats is not None:
            # the calls and credits of this sync, metadata included
            yield log(f"Summary: Zoho API usage: {stats.calls} calls, {stats.credits} credits, "
                      f"{stats.retries} retries")

    def failure_message(self) -> str:
        return (f"{self.rejected} record(s) were rejected (the others were committed); first reasons: "
                + "; ".join(self.first_reasons) + ". Each rejection is logged as 'Rejected record: {...}'; set "
                "on_rejected to 'report' to let such syncs succeed.")

    def close(self) -> None:
        for handle in (self._file, self._results):
            if handle:
                handle.close()
        self._file = self._results = None


def _kind(result: WriteResult) -> str:
    if result.source == "dry_run":
        return "validated (dry run, not written)"
    if not result.ok:
        return f"rejected ({result.source})"
    return f"committed ({result.action})" if result.action else "committed"


def _append_to(path: str | None, key: str) -> IO[str] | None:
    """The file at `path` opened for appending (closed by Reporter.close), or None when the key is not set; a
    path this sync cannot write is the user's to fix, said before any record is sent."""
    if not path:
        return None
    try:
        return open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()
    except OSError as exc:
        raise DestinationConfigError(f"'{key}' {path!r} cannot be opened for writing: {exc.strerror or exc}; "
                                     "choose a path this sync may write.") from None
