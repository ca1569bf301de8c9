"""People working in the CRM while it syncs (issue 7 item 6): after one more incremental sync nothing is missing.

While the source reads Leads (sorted by Modified_Time, ascending), a colleague deletes the 20 oldest Leads
just after the first page was served, and then, between every two pages, `mutate` creates, updates and
deletes more, several in the same second. The first sync may legitimately miss edits made behind its cursor;
the next incremental sync, from the state the first one left, must catch up with all of them.

The first delete hits rows the source has already read: with page-number paging it would shift every unread
row 20 places towards the start, across the page boundary the source is about to cross, and 20 rows would
never be read. The source follows Zoho's page_token from the first page, and the emulator's tokens remember
the last row served (zoho_crm_emulator/paging.py), so nothing shifts; this test keeps it that way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import requests

from integration_tests.chaos import faults
from integration_tests.chaos.expect import completed
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.sync import SourceSync
from integration_tests.chaos.verdict import instant
from integration_tests.harness import Emulator
from zoho_crm_emulator import credentials

LEADS = "Leads"
MUTATION = {"module": LEADS, "create": 3, "update": 6, "delete": 2, "same_second": True}


class Colleague:
    """A person using Zoho's own API (refresh-token grant, then DELETE /crm/v8/{module}?ids=; zoho-api.md section 8)."""

    def __init__(self, emu: Emulator) -> None:
        self.url = emu.url
        self.http = requests.Session()
        form = {"grant_type": "refresh_token", "client_id": credentials.CLIENT_ID,
                "client_secret": credentials.CLIENT_SECRET, "refresh_token": credentials.REFRESH_TOKEN}
        token = self.http.post(f"{emu.url}/oauth/v2/token", data=form, timeout=60).json()["access_token"]
        self.http.headers["Authorization"] = f"Zoho-oauthtoken {token}"

    def delete(self, module: str, ids: list[str]) -> None:
        self.http.delete(f"{self.url}/crm/v8/{module}", params={"ids": ",".join(ids)}, timeout=60).raise_for_status()


class Editors:
    """From a background thread: `first()` once the source asked for its 2nd page, then one mutate per page."""

    def __init__(self, emu: Emulator, first: Callable[[], None]) -> None:
        self.base = f"{emu.url}/__emulator__"
        self.first = first
        self.rounds = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> Editors:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=60)

    def _loop(self) -> None:
        with requests.Session() as http:  # its own session: the harness's one belongs to the test thread
            seen = self._calls_reach(http, 2)
            self.first()
            while not self.stop.is_set():
                http.post(f"{self.base}/mutate", json=MUTATION, timeout=60).raise_for_status()
                self.rounds += 1
                seen = self._calls_reach(http, seen + 1)

    def _calls_reach(self, http: requests.Session, wanted: int) -> int:
        """Wait until the source has made `wanted` get-records calls (or the sync ended); the count."""
        calls = 0
        while not self.stop.wait(0.02):
            calls = http.get(f"{self.base}/stats", timeout=60).json()["by_route"].get(faults.RECORDS, 0)
            if calls >= wanted:
                break
        return calls


def test_people_editing_during_the_sync_then_one_more_incremental_sync(scenario: Scenario) -> None:
    emu = scenario.emulator(records=1500)
    sync = SourceSync(scenario.recorder, scenario.config(emu, modules=[LEADS]), [LEADS])
    live = emu.records(LEADS)["live"]
    oldest = [r["id"] for r in sorted(live, key=lambda r: (instant(r["Modified_Time"]), r["id"]))[:20]]
    colleague = Colleague(emu)
    # the 2nd get-records call waits 2 s: time for the colleague's delete to land before that page is cut
    emu.faults([{"route": faults.RECORDS, "latency_ms": 2000, "at": 2},
                {"route": faults.RECORDS, "latency_ms": 100}])
    with Editors(emu, lambda: colleague.delete(LEADS, oldest)) as editors:
        during = sync.read()
    emu.faults([])
    after = sync.read()
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"20 oldest deleted after page 1, then {editors.rounds} rounds of mutate between pages",
                    verdict, note=f"{sync.replicas[LEADS].tombstones} tombstones applied")
    completed(during)
    completed(after)
    assert editors.rounds > 0, "the editors never ran during the sync"
    assert verdict.ok, verdict.explain()
