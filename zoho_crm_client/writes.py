"""Insert, update, upsert, delete, convert, clone and Notes (docs/zoho-api.md sections 6, 8, 9, 10).

Every input record gets one WriteResult, in input order, whatever the HTTP status: 200/201/202/207 and a 400
carrying `data` all mean "inspect every item" (section 8), and a request-level error (a top-level `code`)
becomes the result of every record of its chunk, so a neighbour's rejection never hides an accepted record.

Retries never write twice (transport.py): update, upsert and delete are idempotent and retried like reads;
insert, convert, clone and Notes create are resent only when Zoho certainly did not act (no connection, 429,
503). After an ambiguous failure the chunk's records get an AmbiguousWriteError naming their input indexes,
for the destination to report or reconcile (e.g. by upserting on a unique field).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from zoho_crm_client.errors import AmbiguousWriteError, RequestError
from zoho_crm_client.limits import CONVERT_COST, write_cost
from zoho_crm_client.models import WriteResult
from zoho_crm_client.paths import INVALID_ID, InvalidIdentifier, ids_value, module_name, record_id
from zoho_crm_client.transport import Call, Response, Transport

CHUNK = 100  # section 8: at most 100 records per call
HEAVY_ABOVE = 10  # section 11.4: writes of more than 10 records count against the sub-concurrency


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[tuple[int, Sequence[Any]]]:
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def map_results(resp: Response, start: int, count: int) -> list[WriteResult]:
    """One WriteResult per input record of a chunk starting at input index `start`."""
    body = resp.body if isinstance(resp.body, dict) else {}
    items = body.get("data")
    if not isinstance(items, list):
        code = str(body.get("code") or "INVALID_RESPONSE")
        return [WriteResult(start + i, False, code, str(body.get("message") or "no per-record result"),
                            body.get("details") or {}) for i in range(count)]
    results = [WriteResult.from_item(start + i, item) for i, item in enumerate(items[:count])]
    results += [WriteResult(start + i, False, "INVALID_RESPONSE", "Zoho sent no result for this record")
                for i in range(len(results), count)]
    return results


def _request_failed(exc: RequestError, start: int, count: int) -> list[WriteResult]:
    """A request-level error applies to every record of the chunk (section 8)."""
    return [WriteResult(start + i, False, exc.code or "REQUEST_ERROR", exc.message, exc.details,
                        field=exc.details.get("api_name")) for i in range(count)]


class RecordWriter:
    """Module names and ids are checked before anything is sent (paths.py): a bad module fails the call, a bad
    id fails its own record only, and the rest of the batch is sent."""

    def __init__(self, transport: Transport):
        self._transport = transport

    def _send_chunks(self, records: Sequence[Any], make_call: Callable[[list[Any]], Call]) -> list[WriteResult]:
        results: list[WriteResult] = []
        for start, chunk in chunks(records):
            try:
                resp = self._transport.request(make_call(list(chunk)))
            except AmbiguousWriteError as exc:
                exc.indexes = list(range(start, start + len(chunk)))
                raise
            except RequestError as exc:
                results += _request_failed(exc, start, len(chunk))
                continue
            results += map_results(resp, start, len(chunk))
        return results

    def _send_valid(self, items: Sequence[Any], id_of: Callable[[Any], Any],
                    make_call: Callable[[list[Any]], Call]) -> list[WriteResult]:
        """Send the items whose id is valid; each other item gets an INVALID_ID result at its own index."""
        valid: list[int] = []
        refused: list[WriteResult] = []
        for index, item in enumerate(items):
            try:
                record_id(id_of(item))
                valid.append(index)
            except InvalidIdentifier as exc:
                refused.append(WriteResult(index, False, INVALID_ID, exc.message, field="id"))
        try:
            sent = self._send_chunks([items[i] for i in valid], make_call) if valid else []
        except AmbiguousWriteError as exc:
            exc.indexes = [valid[i] for i in exc.indexes]
            raise
        for result in sent:
            result.index = valid[result.index]
        return sorted(refused + sent, key=lambda r: r.index)

    def _records_call(self, method: str, template: str, module: str, chunk: list[dict[str, Any]],
                      trigger: Iterable[str], *, idempotent: bool, **extra: Any) -> Call:
        body = {"data": chunk, "trigger": list(trigger), **extra}
        return Call.to(method, template, {"module": module}, json=body, cost=write_cost(len(chunk)),
                       heavy=len(chunk) > HEAVY_ABOVE, idempotent=idempotent)

    def insert(self, module: str, records: Sequence[dict[str, Any]], *, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        trigger, module = list(trigger), module_name(module)
        return self._send_chunks(records, lambda c: self._records_call(
            "POST", "/crm/v8/{module}", module, c, trigger, idempotent=False))

    def update(self, module: str, records: Sequence[dict[str, Any]], *, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        trigger, module = list(trigger), module_name(module)
        return self._send_valid(records, _body_id, lambda c: self._records_call(
            "PUT", "/crm/v8/{module}", module, c, trigger, idempotent=True))

    def upsert(self, module: str, records: Sequence[dict[str, Any]], *,
               duplicate_check_fields: Sequence[str] | None = None, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        trigger, module = list(trigger), module_name(module)
        extra = {"duplicate_check_fields": list(duplicate_check_fields)} if duplicate_check_fields else {}
        return self._send_chunks(records, lambda c: self._records_call(
            "POST", "/crm/v8/{module}/upsert", module, c, trigger, idempotent=True, **extra))

    def delete(self, module: str, ids: Sequence[Any], *, wf_trigger: bool = False) -> list[WriteResult]:
        """Delete by id; `wf_trigger` defaults to false here (Zoho's default is true) so nothing runs unasked."""
        module = module_name(module)

        def make_call(chunk: list[Any]) -> Call:
            params = {"ids": ids_value(chunk), "wf_trigger": str(wf_trigger).lower()}
            return Call.to("DELETE", "/crm/v8/{module}", {"module": module}, params=params,
                           heavy=len(chunk) > HEAVY_ABOVE)

        return [already_deleted(r) for r in self._send_valid(list(ids), lambda i: i, make_call)]

    def convert_lead(self, lead_id: Any, body: dict[str, Any]) -> WriteResult:
        """Convert one lead (section 9.1, v8 object shapes such as {"Accounts": {"id": ...}}); 5 credits."""
        return self._single(lambda: Call.to("POST", "/crm/v8/Leads/{id}/actions/convert", {"id": lead_id},
                                            json={"data": [body]}, cost=CONVERT_COST, heavy=True,
                                            idempotent=False))

    def clone(self, module: str, record_id: Any, overrides: dict[str, Any] | None = None) -> WriteResult:
        """Clone a record (section 10); the body is optional and its values override the copy."""
        module = module_name(module)
        return self._single(lambda: Call.to("POST", "/crm/v8/{module}/{id}/actions/clone",
                                            {"module": module, "id": record_id},
                                            json={"data": [overrides]} if overrides else None, idempotent=False))

    def _single(self, make_call: Callable[[], Call]) -> WriteResult:
        try:
            call = make_call()
        except InvalidIdentifier as exc:
            return WriteResult(0, False, exc.code or INVALID_ID, exc.message, field="id")
        try:
            resp = self._transport.request(call)
        except AmbiguousWriteError as exc:
            exc.indexes = [0]
            raise
        except RequestError as exc:
            return _request_failed(exc, 0, 1)[0]
        return map_results(resp, 0, 1)[0]

    def create_notes(self, notes: Sequence[dict[str, Any]]) -> list[WriteResult]:
        """Each note needs Parent_Id {"module": {"api_name": ...}, "id": ...} (models.note_parent) and Note_Content
        (section 6); Zoho checks both per note, so a bad note fails alone."""
        return self._send_chunks(notes, lambda c: Call(
            "POST", "/crm/v8/Notes", "POST /crm/v8/Notes", json={"data": c}, cost=write_cost(len(c)),
            heavy=len(c) > HEAVY_ABOVE, idempotent=False))

    def update_notes(self, notes: Sequence[dict[str, Any]]) -> list[WriteResult]:
        return self._send_valid(notes, _body_id, lambda c: Call(
            "PUT", "/crm/v8/Notes", "PUT /crm/v8/Notes", json={"data": c}, cost=write_cost(len(c)),
            heavy=len(c) > HEAVY_ABOVE))

    def delete_notes(self, ids: Sequence[Any]) -> list[WriteResult]:
        return [already_deleted(r) for r in self._send_valid(list(ids), lambda i: i, lambda c: Call(
            "DELETE", "/crm/v8/Notes", "DELETE /crm/v8/Notes", params={"ids": ids_value(c)}))]


def _body_id(record: Any) -> Any:
    return record.get("id") if isinstance(record, dict) else None


ALREADY_DELETED = "already deleted"


def already_deleted(result: WriteResult) -> WriteResult:
    """A delete Zoho refused because the id is gone counts as done: a delete resent after a kill must not fail the
    sync (docs/zoho-api/hostile.md, "Delete of an id already deleted": INVALID_DATA, details {"id"}, "record not
    deleted" / "the id given seems to be invalid"). Only the id may be blamed; a refusal naming anything else
    (a field, a permission) stays a rejection."""
    if result.ok or result.code != "INVALID_DATA" or set(result.details) - {"id"} or not (
            result.id or "").isdigit():  # a malformed id is a mistake to report, not a record gone
        return result
    return WriteResult(index=result.index, ok=True, code="SUCCESS", message=result.message, details=result.details,
                       id=result.id, action=ALREADY_DELETED)

