"""The /__emulator__/ control plane (design.md): stats, reset, ground truth, simulated users, faults.

Never on a real Zoho path, never authenticated, never counted in stats or limited.
"""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import auth, formulas, seed, timeutil, writes
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App
    from zoho_crm_emulator.models import Module, Org

PREFIX = "/__emulator__/"
EDIT_FIELDS = ("Description", "Next_Step", "Note_Content", "Status", "Quantity")


def handle(app: App, req: Request) -> Response:
    path = req.path[len(PREFIX):].rstrip("/")
    try:
        if req.method == "GET" and path == "stats":
            return Response(200, app.stats_snapshot())
        if req.method == "POST" and path == "reset":
            return _reset(app, req)
        m = re.fullmatch(r"records/(\w+)", path)
        if req.method == "GET" and m:
            return Response(200, ground_truth(app, m.group(1)))
        if req.method == "POST" and path == "mutate":
            return Response(200, mutate(app, req.json() or {}))
        if path == "faults" and req.method in ("GET", "POST"):
            return _faults(app, req)
        if req.method == "POST" and path == "limits":
            return _limits(app, req.json() or {})
        if path == "clock" and req.method in ("GET", "POST"):  # additive: the clock of Now() in formulas
            return Response(200, _clock(app, req))
        if req.method == "POST" and path == "refresh_tokens":  # additive: tokens with chosen scopes
            return Response(200, auth.issue_scoped_refresh(app.tokens, (req.json() or {}).get("scopes")))
    except ZohoError as err:
        return Response(err.status, err.body())
    except (ValueError, TypeError, KeyError) as err:
        return Response(400, {"error": str(err)})
    return Response(404, {"error": f"no control endpoint {req.method} {req.path}"})


def _reset(app: App, req: Request) -> Response:
    """design.md's `{"seed", "records"}`, plus (additive) `module_records`: `{"Leads": 300000, ...}`."""
    body = req.json() or {}
    module_records = body.get("module_records")
    if module_records is not None:
        module_records = seed.module_counts(module_records)
    app.reset(body.get("seed"), body.get("records"), module_records)
    return Response(200, {"status": "reset", "seed": app.seed_value, "records": app.records,
                          "module_records": app.module_records})


def _faults(app: App, req: Request) -> Response:
    """POST installs rules (replacing all); GET and POST answer the rules with their seen/fired counters."""
    if req.method == "POST":
        body = req.json() or {}
        app.faults.set_rules(list(body.get("rules") or []))
    return Response(200, {"rules": app.faults.describe()})


def _limits(app: App, body: dict[str, Any]) -> Response:
    """Test knobs: credit allowance, credits already spent, concurrency, token TTL, the page-token ceiling,
    whether the API user is an administrator, how long a job takes (`job_seconds`)."""
    if "credits_allowance" in body:
        app.ledger.allowance = int(body["credits_allowance"])
    if "credits_used" in body:
        app.ledger.set_used(int(body["credits_used"]))
    if "concurrency" in body:
        app.concurrency.limit = int(body["concurrency"])
    if "token_ttl" in body:
        app.tokens.ttl = int(body["token_ttl"])
    if "page_token_ceiling" in body:  # lets a test reach the 100,000-record ceiling with a small org
        app.token_ceiling = int(body["page_token_ceiling"])
    if "admin" in body:  # section 6: the Notes list is for administrators only
        app.admin = bool(body["admin"])
    if "deleted_denied" in body:  # the API user lacks the privilege to list deleted records (scopes.md)
        app.deleted_denied = _denied_modules(body["deleted_denied"])
    if "job_seconds" in body:  # a job's lifecycle speed: 0 completes Bulk Read jobs as soon as their file is written
        app.org.jobs.set_job_seconds(body["job_seconds"])
    if "deleted_denied_code" in body:
        if body["deleted_denied_code"] not in DENIED_CODES:
            raise ValueError(f"deleted_denied_code must be one of {sorted(DENIED_CODES)}")
        app.deleted_denied_code = body["deleted_denied_code"]
    return Response(200, {"credits_allowance": app.ledger.allowance, "credits_used": app.ledger.used,
                          "concurrency": app.concurrency.limit, "token_ttl": app.tokens.ttl,
                          "page_token_ceiling": app.token_ceiling, "admin": app.admin,
                          "deleted_denied": sorted(app.deleted_denied), "deleted_denied_code": app.deleted_denied_code,
                          "job_seconds": app.org.jobs.job_seconds})


def _clock(app: App, req: Request) -> dict[str, Any]:
    """POST `{"advance_days": n}` moves the formula clock (formulas.py); both answer where it stands."""
    if req.method == "GET":
        return formulas.describe(app.org)
    days = (req.json() or {}).get("advance_days")
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValueError("advance_days must be a whole number of days")
    return formulas.advance(app.org, days)


DENIED_CODES = frozenset({"NO_PERMISSION", "AUTHORIZATION_FAILED"})


def _denied_modules(value: Any) -> frozenset[str]:
    """`true` (every module), `false` (none) or a list of module API names."""
    if isinstance(value, bool):
        return frozenset({"*"}) if value else frozenset()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return frozenset(value)
    raise ValueError("deleted_denied must be true, false or a list of module API names")


def ground_truth(app: App, module_name: str) -> dict[str, Any]:
    module = app.org.module(module_name)
    with app.org.lock:
        rows = sorted(module.rows.values(), key=lambda r: r[0])
        deleted = sorted(module.deleted.values(), key=lambda e: e["id"])
    return {"live": [module.render(row, range(1, len(module.columns))) for row in rows],
            "deleted": [{"id": e["id"], "type": e["type"], "deleted_time": timeutil.fmt(e["deleted_time"], app.org.tz)}
                        for e in deleted]}


def mutate(app: App, body: dict[str, Any]) -> dict[str, list[str]]:
    """People at work: create, update and delete records now; `same_second` pins one Modified_Time second."""
    org = app.org
    module = org.module(body["module"])
    counts = {k: int(body.get(k, 0)) for k in ("create", "update", "delete")}
    with org.lock:
        org.mutations += 1
        rng = random.Random(app.seed_value * 1_000_003 + org.mutations)
        now = org.now_epoch() if body.get("same_second") else None
        created = [_create(org, module, rng, now) for _ in range(counts["create"])]
        pool = sorted(set(module.rows) - set(created))
        touched = rng.sample(pool, min(len(pool), counts["update"] + counts["delete"]))
        updated = [_touch(org, module, rid, rng, now) for rid in touched[:counts["update"]]]
        deleted = touched[counts["update"]:]
        for rid in deleted:
            module.remove(rid, org.now_epoch() if now is None else now)
    return {"created": created, "updated": updated, "deleted": deleted}


def _create(org: Org, module: Module, rng: random.Random, now: int | None) -> str:
    values = {module.col[k]: v for k, v in seed.fresh_values(org, module, rng).items()}
    return writes.create_row(org, module, values, now)[0]


def _touch(org: Org, module: Module, rid: str, rng: random.Random, now: int | None) -> str:
    name = next((n for n in EDIT_FIELDS if n in module.col), None)
    values: dict[int, Any] = {}
    if name is not None:
        fd = module.field(name)
        assert fd is not None  # name is one of the module's columns
        if fd["data_type"] == "picklist":
            values[module.col[name]] = rng.choice(fd["pick_list_values"])["actual_value"]
        elif fd["data_type"] == "integer":
            values[module.col[name]] = rng.randrange(1, 1000)
        else:
            values[module.col[name]] = f"edited {rng.choice(seed.WORDS)} {rng.randrange(10**6)}"
    writes.apply(org, module, module.rows[rid], values, {}, now)
    return rid
