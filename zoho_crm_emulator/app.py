"""The emulator as one object: the org plus everything around it, and the per-request pipeline.

Pipeline of an API call (control-plane calls skip it): route -> count -> concurrency slot (429) ->
latency -> injected faults -> OAuth check (401) -> scope check (401 OAUTH_SCOPE_MISMATCH, scopes.py) ->
credits (429) -> handler -> X-API-CREDITS-REMAINING.
"""

from __future__ import annotations

import gc
import threading
import time
from datetime import tzinfo
from typing import Any

from zoho_crm_emulator import auth, control, scopes, seed, timeutil, urls
from zoho_crm_emulator.exceptions import ZohoError, too_many_requests
from zoho_crm_emulator.faults import Effects, FaultRules
from zoho_crm_emulator.limits import EDITIONS, Concurrency, CreditLedger, daily_allowance
from zoho_crm_emulator.paging import TOKEN_CEILING, PageTokens
from zoho_crm_emulator.stats import Stats
from zoho_crm_emulator.wire import Request, Response, error


class App:
    def __init__(self, *, seed_value: int = 7, records: int = 100, latency_ms: float = 0.0,
                 edition: str = "enterprise", tz: tzinfo | None = None, token_ttl: int = auth.DEFAULT_TTL,
                 daily_credits: int | None = None, module_records: dict[str, int] | None = None):
        self.base_url = ""  # set by the server once bound
        self.edition = edition
        self.latency_ms = latency_ms
        self.tz = tz or timeutil.DEFAULT_TZ
        self.clock = time.time
        self.tokens = auth.TokenStore(token_ttl)
        self.concurrency = Concurrency(EDITIONS[edition][2])
        self.faults = FaultRules()
        self.page_tokens = PageTokens()
        self._daily_credits = daily_credits
        self._reset_lock = threading.Lock()
        self.module_records = dict(module_records or {})
        self.seed_value, self.records = seed_value, records
        self.reset()

    def reset(self, seed_value: int | None = None, records: int | None = None,
              module_records: dict[str, int] | None = None) -> None:
        """Back to a freshly seeded org; access tokens survive so running clients are not logged out.
        Whatever is not given stays as it was (seed, records, per-module counts)."""
        with self._reset_lock:
            self.seed_value = self.seed_value if seed_value is None else seed_value
            self.records = self.records if records is None else records
            self.module_records = self.module_records if module_records is None else dict(module_records)
            self.org = seed.build_org(self.seed_value, self.records, self.tz, self.module_records)
            self.org.jobs.clock = self.clock  # one clock: the app's times every job
            # The old org is a reference cycle: collect it once, then freeze the new one so that the cyclic
            # GC stops rescanning a million long-lived rows during requests.
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            allowance = self._daily_credits or daily_allowance(self.edition, len(self.org.users))
            self.ledger = CreditLedger(allowance)
            self.stats = Stats()
            self.concurrency.max_in_flight = self.concurrency.in_flight
            self.faults.set_rules([])
            self.page_tokens.clear()
            self.tokens.restore()
            self.token_ceiling = TOKEN_CEILING
            self.admin = True  # the API user is an administrator unless a test says otherwise
            # modules whose deleted records the API user may not list ("*": all), and how Zoho says so
            self.deleted_denied: frozenset[str] = frozenset()
            self.deleted_denied_code = "NO_PERMISSION"
            self.concurrency.limit = EDITIONS[self.edition][2]

    def handle(self, req: Request) -> Response:
        if req.path.startswith(control.PREFIX):
            return control.handle(self, req)
        try:
            route, path_params = urls.resolve(req.method, req.path)
        except ZohoError as err:
            self.stats.count_request(f"{req.method} {req.path}")
            return self._finish(error(err))
        version = path_params.pop("version", "v8")
        req.params, req.version, req.route = path_params, urls.VERSIONS[version], route.key(version)
        self.stats.count_request(req.route)
        return self._finish(self._admitted(route, req))

    def _admitted(self, route: urls.Route, req: Request) -> Response:
        if route.handler is None:
            return self._oauth(req)
        try:
            heavy = route.is_heavy(req)
        except ZohoError:
            heavy = False
        if not self.concurrency.enter(heavy):
            return error(too_many_requests("You have exceeded the concurrency limit"))
        try:
            return self._call(route, req)
        finally:
            self.concurrency.leave(heavy)

    def _call(self, route: urls.Route, req: Request) -> Response:
        effects = self._effects(req)
        try:
            if effects.error is not None:
                raise effects.error
            granted = auth.check(self.tokens, req)
            if granted is not None:  # None: a full-scope token, nothing to look up
                scopes.check(route.template_key, granted, self._scope_modules(req))
            if not self.ledger.charge(route.price(req)):
                raise too_many_requests("You have exceeded the maximum number of API credits for the day")
            assert route.handler is not None  # _admitted answered the OAuth routes itself
            resp = route.handler(self, req)
        except ZohoError as err:
            resp = error(err)
        resp.drop = effects.drop
        return resp

    def _scope_modules(self, req: Request) -> tuple[str, ...]:
        """The scope names of the path's module (Notes for a record's Notes list), for scopes.check."""
        name = "Notes" if req.route.endswith("/Notes") else req.params.get("module")
        meta = self.org.module_meta.get(name) if name else None
        if meta is None:
            return (name.casefold(),) if name else ()
        return scopes.module_scope_names(meta["api_name"], meta.get("generated_type") == "custom")

    def _oauth(self, req: Request) -> Response:
        effects = self._effects(req)
        if effects.oauth_error:
            return auth.oauth_error(effects.oauth_error)
        if effects.error is not None:
            return error(effects.error)
        if req.path.rstrip("/").endswith("revoke"):
            return auth.revoke_endpoint(self.tokens, req)
        if req.method == "GET":
            return auth.consent_endpoint(self.tokens, req, self.base_url)
        return auth.token_endpoint(self.tokens, req, self.base_url)

    def _effects(self, req: Request) -> Effects:
        """Injected faults for this request, then the configured and injected latency (sleeps, no CPU held)."""
        effects = self.faults.effects(req.route, f"{req.method} {req.path}")
        if effects.expire_page_tokens:
            self.page_tokens.expire_all()
        if effects.expire_access_tokens:
            self.tokens.expire_all()
        delay = (self.latency_ms + effects.latency_ms) / 1000
        if delay > 0:
            time.sleep(delay)
        return effects

    def _finish(self, resp: Response) -> Response:
        self.stats.count_status(resp.status)
        # Section 11.5: the header appears once half of the daily allowance is used.
        if self.ledger.used * 2 >= self.ledger.allowance:
            resp.headers["X-API-CREDITS-REMAINING"] = str(self.ledger.remaining())
        return resp

    def stats_snapshot(self) -> dict[str, Any]:
        out = self.stats.snapshot()
        with self.org.lock:
            triggers = dict(self.org.triggers)
        out.update(credits_used=self.ledger.total, credits_remaining=self.ledger.remaining(),
                   credits_allowance=self.ledger.allowance, max_in_flight=self.concurrency.max_in_flight,
                   in_flight=self.concurrency.in_flight, triggers=triggers)
        return out
