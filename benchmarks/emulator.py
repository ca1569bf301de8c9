"""One `zoho-crm-emulator` subprocess per scenario (the shared launcher), and the API-call arithmetic on its
stats."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from benchmarks.process import child_env
from zoho_crm_emulator.process import EmulatorProcess

# Routes that are not Zoho CRM API calls: the OAuth server and the emulator's own control plane
# (design.md, "Emulator control plane"). Token refreshes cost no API credits.
NOT_API = ("/oauth/", "/__emulator__")


@dataclass(frozen=True)
class ApiUse:
    """What one run cost the API: calls by route and credits (deltas of /__emulator__/stats)."""

    calls: int
    credits: int
    by_route: dict[str, int]


def api_use(before: dict[str, Any], after: dict[str, Any]) -> ApiUse:
    """The API calls and credits spent between two stats snapshots, control plane and OAuth excluded."""
    routes = {}
    for route, count in after.get("by_route", {}).items():
        delta = count - before.get("by_route", {}).get(route, 0)
        if delta and not any(marker in route for marker in NOT_API):
            routes[route] = delta
    credits = after.get("credits_used", 0) - before.get("credits_used", 0)
    return ApiUse(sum(routes.values()), credits, routes)


class BenchEmulator(EmulatorProcess):
    """The shared launcher (zoho_crm_emulator/process.py) with the benchmarks' environment and patience."""

    def __init__(self, *, records: int, latency_ms: float = 0, edition: str = "enterprise", seed: int = 7,
                 extra_args: list[str] | None = None):
        # a bytecode cache for the child (benchmarks/process.py); control-plane calls on a 300,000-record
        # org take minutes
        super().__init__(records=records, latency_ms=latency_ms, edition=edition, seed=seed,
                         extra_args=extra_args, env=child_env(), timeout=600)

    def config(self, **overrides: Any) -> dict[str, Any]:
        return super().config(**{"start_datetime": "2000-01-01T00:00:00Z", **overrides})

    def cpu_seconds(self) -> float:
        """The server's own user + system CPU so far (/proc/<pid>/stat fields 14 and 15, in clock ticks)."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
