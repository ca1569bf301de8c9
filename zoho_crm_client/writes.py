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

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from zoho_crm_client.errors import AmbiguousWriteError, RequestError
from zoho_crm_client.limits import CONVERT_COST, write_cost
from zoho_crm_client.models import WriteResult
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


class Writer:
    def __init__(self, transport: Transport):
        self._transport = transport

    def _send_chunks(self, records: Sequence[dict[str, Any]], make_call) -> list[WriteResult]:
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

    def _records_call(self, method: str, path: str, route: str, chunk: list[dict[str, Any]],
                      trigger: Iterable[str], *, idempotent: bool, **extra: Any) -> Call:
        body = {"data": chunk, "trigger": list(trigger), **extra}
        return Call(method, path, route, json=body, cost=write_cost(len(chunk)), heavy=len(chunk) > HEAVY_ABOVE,
                    idempotent=idempotent)

    def insert(self, module: str, records: Sequence[dict[str, Any]], *, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        trigger = list(trigger)
        return self._send_chunks(records, lambda c: self._records_call(
            "POST", f"/crm/v8/{module}", "POST /crm/v8/{module}", c, trigger, idempotent=False))

    def update(self, module: str, records: Sequence[dict[str, Any]], *, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        trigger = list(trigger)
        return self._send_chunks(records, lambda c: self._records_call(
            "PUT", f"/crm/v8/{module}", "PUT /crm/v8/{module}", c, trigger, idempotent=True))

    def upsert(self, module: str, records: Sequence[dict[str, Any]], *,
               duplicate_check_fields: Sequence[str] | None = None, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        trigger = list(trigger)
        extra = {"duplicate_check_fields": list(duplicate_check_fields)} if duplicate_check_fields else {}
        return self._send_chunks(records, lambda c: self._records_call(
            "POST", f"/crm/v8/{module}/upsert", "POST /crm/v8/{module}/upsert", c, trigger, idempotent=True,
            **extra))

    def delete(self, module: str, ids: Sequence[str], *, wf_trigger: bool = False) -> list[WriteResult]:
        """Delete by id; `wf_trigger` defaults to false here (Zoho's default is true) so nothing runs unasked."""
        def make_call(chunk: list[str]) -> Call:
            params = {"ids": ",".join(str(i) for i in chunk), "wf_trigger": str(wf_trigger).lower()}
            return Call("DELETE", f"/crm/v8/{module}", "DELETE /crm/v8/{module}", params=params,
                        heavy=len(chunk) > HEAVY_ABOVE)

        return [already_deleted(r) for r in self._send_chunks(list(ids), make_call)]

    def convert_lead(self, lead_id: str, body: dict[str, Any]) -> WriteResult:
        """Convert one lead (section 9.1, v8 object shapes such as {"Accounts": {"id": ...}}); 5 credits."""
        call = Call("POST", f"/crm/v8/Leads/{lead_id}/actions/convert", "POST /crm/v8/Leads/{id}/actions/convert",
                    json={"data": [body]}, cost=CONVERT_COST, heavy=True, idempotent=False)
        return self._single(call)

    def clone(self, module: str, record_id: str, overrides: dict[str, Any] | None = None) -> WriteResult:
        """Clone a record (section 10); the body is optional and its values override the copy."""
        call = Call("POST", f"/crm/v8/{module}/{record_id}/actions/clone",
                    "POST /crm/v8/{module}/{id}/actions/clone",
                    json={"data": [overrides]} if overrides else None, idempotent=False)
        return self._single(call)

    def _single(self, call: Call) -> WriteResult:
        try:
            resp = self._transport.request(call)
        except AmbiguousWriteError as exc:
            exc.indexes = [0]
            raise
        except RequestError as exc:
            return _request_failed(exc, 0, 1)[0]
        return map_results(resp, 0, 1)[0]

    def create_notes(self, notes: Sequence[dict[str, Any]]) -> list[WriteResult]:
        """Each note needs Parent_Id {"module": {"api_name": ...}, "id": ...} (see note_parent) and Note_Content
        (section 6); Zoho checks both per note, so a bad note fails alone."""
        return self._send_chunks(notes, lambda c: Call(
            "POST", "/crm/v8/Notes", "POST /crm/v8/Notes", json={"data": c}, cost=write_cost(len(c)),
            heavy=len(c) > HEAVY_ABOVE, idempotent=False))

    def update_notes(self, notes: Sequence[dict[str, Any]]) -> list[WriteResult]:
        return self._send_chunks(notes, lambda c: Call(
            "PUT", "/crm/v8/Notes", "PUT /crm/v8/Notes", json={"data": c}, cost=write_cost(len(c)),
            heavy=len(c) > HEAVY_ABOVE))

    def delete_notes(self, ids: Sequence[str]) -> list[WriteResult]:
        return [already_deleted(r) for r in self._send_chunks(list(ids), lambda c: Call(
            "DELETE", "/crm/v8/Notes", "DELETE /crm/v8/Notes", params={"ids": ",".join(str(i) for i in c)}))]


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


def note_parent(module: str, record_id: str) -> dict[str, Any]:
    """The v8 Parent_Id shape of a Note (section 6)."""
    return {"module": {"api_name": module}, "id": str(record_id)}

