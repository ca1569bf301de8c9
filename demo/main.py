"""The demo's script: emulator up, first sync, people at work, incremental sync, write back, emulator down."""

from __future__ import annotations

import signal
import sys
import warnings
from types import FrameType
from typing import Any

from demo import report, settings, writeback
from demo.streams import MODULES, STREAMS, won_deals_in
from zoho_crm_emulator.process import EmulatorProcess

# What "people working in the CRM" do between the two syncs (design.md: /__emulator__/mutate).
MUTATIONS = {"Leads": {"create": 3, "update": 5, "delete": 2},
             "Contacts": {"update": 2, "delete": 1},
             "Deals": {"create": 2, "update": 4}}
SHOWN_ROWS = 15


def main() -> int:
    settings.apply_offline_environment()
    settings.reset_cache()
    signal.signal(signal.SIGTERM, _exit_on_signal)  # SIGINT already raises KeyboardInterrupt
    # PyAirbyte's Google dependencies warn about Python versions on import; not the demo's business.
    warnings.filterwarnings("ignore", category=FutureWarning)
    from demo.warehouse import Warehouse  # imports PyAirbyte, which reads the environment set above

    with EmulatorProcess(seed=settings.SEED, records=settings.RECORDS) as emulator:
        report.heading(f"Zoho CRM emulator at {emulator.url} (seed {settings.SEED}, "
                       f"{settings.RECORDS} records per module)")
        warehouse = Warehouse(emulator.config())
        warehouse.check()
        print("check: the source reached Zoho CRM (the emulator) and its refresh token works")
        ok = first_sync(warehouse, emulator)
        marks = {stream: warehouse.latest_extraction(stream) for stream in STREAMS}
        people_at_work(emulator)
        ok = incremental_sync(warehouse, emulator, marks) and ok
        ok = write_back(emulator) and ok
        ok = round_trip(warehouse, emulator) and ok
    report.heading("Done")
    print(f"The DuckDB cache is at {warehouse.cache.db_path}; the emulator has stopped.")
    return 0 if ok else 1


def first_sync(warehouse: Any, emulator: EmulatorProcess) -> bool:
    before = emulator.stats()
    warehouse.sync()
    report.heading("First sync into DuckDB: every live record (a new cache has no rows for tombstones to remove)")
    return _counts_table(warehouse, emulator, before)


def people_at_work(emulator: EmulatorProcess) -> None:
    report.heading("Meanwhile, people create, edit and delete records in Zoho CRM")
    rows = []
    for module, changes in MUTATIONS.items():
        emulator.mutate(module=module, same_second=True, **changes)
        rows.append([module, changes.get("create", 0), changes.get("update", 0), changes.get("delete", 0)])
    report.table(["module", "created", "updated", "deleted"], rows)


def incremental_sync(warehouse: Any, emulator: EmulatorProcess, marks: dict[str, Any]) -> bool:
    before = emulator.stats()
    warehouse.sync()
    report.heading("Incremental sync: only what changed since the last state")
    ok = _counts_table(warehouse, emulator, before)
    columns = ["id", "last_name", "modified_time", "_ab_cdc_deleted_at"]
    changed = warehouse.extracted_after("Leads", marks["Leads"], columns)
    print(f"Leads rows this sync wrote: {len(changed)} (a deletion arrives as a row with _ab_cdc_deleted_at set)")
    report.table(["id", "Last_Name", "Modified_Time", "deleted at"],
                 [[r[c] for c in columns] for r in changed[:SHOWN_ROWS]])
    return ok


def write_back(emulator: EmulatorProcess) -> bool:
    report.heading("Reverse ETL: a warehouse table pushed back through destination-zoho-crm")
    chosen = writeback.plan(emulator.records("Leads")["live"])
    before = emulator.stats()
    messages = writeback.write(emulator.config(), chosen.records())
    states = [m for m in messages if m.get("type") == "STATE"]
    print(f"write: {len(chosen.records())} rows sent (an upsert that updates, an upsert that creates, a lead "
          f"conversion); {len(states)} STATE message(s) passed on after the commit")
    _spent(before, emulator.stats())
    return _show_written(emulator, chosen)


def round_trip(warehouse: Any, emulator: EmulatorProcess) -> bool:
    stream, description = "Contacts", "Checked in the warehouse"
    report.heading(f"Round trip: the {stream} table of the DuckDB cache, edited in SQL, written back with "
                   "PyAirbyte's destination API")
    before = emulator.stats()
    warehouse.round_trip(emulator.config(), stream, description)
    _spent(before, emulator.stats())
    live = emulator.records(stream)["live"]
    written = sum(1 for r in live if r.get("Description") == description)
    report.table(["stream", "live in Zoho", "rows with the warehouse's edit"], [[stream, len(live), written]])
    return written == len(live) > 0


def _show_written(emulator: EmulatorProcess, chosen: writeback.Plan) -> bool:
    """The written rows as the emulator now holds them; False when one is not as written."""
    leads = emulator.records("Leads")["live"]
    by_email = {r.get("Email"): r for r in leads}
    shown = [by_email.get(chosen.updated["Email"]), by_email.get(writeback.NEW_LEAD_EMAIL)]
    fields = ("id", "Email", "Last_Name", "Lead_Status", "Description")
    print("Read back from the emulator:")
    report.table(fields, [[r.get(k) for k in fields] for r in shown if r])
    converted = next((r for r in leads if r["id"] == chosen.converted_id), {})
    deals = [d for d in emulator.records("Deals")["live"] if d.get("Deal_Name") == writeback.DEAL_NAME]
    report.table(["converted lead", "Converted__s", "new deal", "Stage", "Amount"],
                 [[chosen.converted_id, converted.get("Converted__s"), d["id"], d.get("Stage"), d.get("Amount")]
                  for d in deals] or [[chosen.converted_id, converted.get("Converted__s"), None, None, None]])
    updated, created = shown
    return bool(updated and updated.get("Lead_Status") == chosen.updated["Lead_Status"] and created
                and converted.get("Converted__s") and deals)


def _counts_table(warehouse: Any, emulator: EmulatorProcess, before: dict[str, Any]) -> bool:
    """Rows per stream in the cache beside the emulator's truth; False when any stream disagrees."""
    rows, ok = [], True
    for stream in STREAMS:
        live, deleted = warehouse.counts(stream)
        truth = _truth(emulator, stream)
        ok = ok and live == truth
        rows.append([stream, live, deleted, truth, "yes" if live == truth else "NO"])
    report.table(["stream", "rows", "deleted rows", "live in Zoho", "match"], rows)
    _spent(before, emulator.stats())
    return ok


def _spent(before: dict[str, Any], after: dict[str, Any]) -> None:
    print(f"API calls: {after['requests'] - before['requests']}, "
          f"credits: {after['credits_used'] - before['credits_used']}")


def _truth(emulator: EmulatorProcess, stream: str) -> int:
    if stream in MODULES:
        return len(emulator.records(stream)["live"])
    return won_deals_in(emulator.records("Deals")["live"])


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    # Unwinds through the `with` blocks, so the emulator is stopped on `kill` too.
    sys.exit(128 + signum)
