"""The demo's script: emulator up, full sync, people at work, incremental sync, write back, emulator down."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

from demo import report, settings, writeback
from demo.emulator import EmulatorProcess
from demo.streams import MODULES, STREAMS, won_deals_in

# What "people working in the CRM" do between the two syncs (design.md: /__emulator__/mutate).
MUTATIONS = {"Leads": {"create": 3, "update": 5, "delete": 2},
             "Contacts": {"update": 2, "delete": 1},
             "Deals": {"create": 2, "update": 4}}


def main() -> int:
    settings.apply_offline_environment()
    signal.signal(signal.SIGTERM, _exit_on_signal)  # SIGINT already raises KeyboardInterrupt
    from demo.warehouse import Warehouse  # imports PyAirbyte, which reads the environment set above

    with EmulatorProcess(seed=settings.SEED, records=settings.RECORDS) as emulator:
        report.heading(f"Zoho CRM emulator at {emulator.url} (seed {settings.SEED}, "
                       f"{settings.RECORDS} records per module)")
        warehouse = Warehouse(emulator.config())
        warehouse.check()
        print("check: the source reached Zoho CRM (the emulator) and its refresh token works")
        ok = full_sync(warehouse, emulator)
        marks = {stream: warehouse.latest_extraction(stream) for stream in STREAMS}
        people_at_work(emulator)
        ok = incremental_sync(warehouse, emulator, marks) and ok
        write_back(emulator)
    report.heading("Done")
    print(f"The DuckDB cache is at {warehouse.cache.db_path}; the emulator has stopped.")
    return 0 if ok else 1


def full_sync(warehouse: Any, emulator: EmulatorProcess) -> bool:
    before = emulator.stats()
    warehouse.full_sync()
    report.heading("Full sync into DuckDB")
    return _counts_table(warehouse, emulator, before)


def people_at_work(emulator: EmulatorProcess) -> None:
    report.heading("Meanwhile, people edit and delete records in Zoho CRM")
    rows = []
    for module, changes in MUTATIONS.items():
        emulator.mutate(module, **changes)
        rows.append([module, changes.get("create", 0), changes.get("update", 0), changes.get("delete", 0)])
    report.table(["module", "created", "updated", "deleted"], rows)


def incremental_sync(warehouse: Any, emulator: EmulatorProcess, marks: dict[str, Any]) -> bool:
    before = emulator.stats()
    warehouse.incremental_sync()
    report.heading("Incremental sync: only what changed since the last state")
    ok = _counts_table(warehouse, emulator, before)
    columns = ["id", "last_name", "modified_time", "_ab_cdc_deleted_at"]
    changed = warehouse.extracted_after("Leads", marks["Leads"], columns)
    print("Leads rows this sync wrote (a deletion arrives as a row with _ab_cdc_deleted_at set):")
    report.table(["id", "Last_Name", "Modified_Time", "deleted at"],
                 [[r[c] for c in columns] for r in changed])
    return ok


def write_back(emulator: EmulatorProcess) -> None:
    report.heading("Reverse ETL: a warehouse table pushed back through destination-zoho-crm")
    chosen = writeback.plan(emulator.records("Leads")["live"])
    messages = writeback.write(emulator.config(), chosen.records())
    states = [m for m in messages if m.get("type") == "STATE"]
    print(f"write: {len(chosen.records())} rows sent (1 upsert update, 1 upsert insert, 1 lead conversion); "
          f"{len(states)} STATE message(s) confirmed after commit")
    leads = {r.get("Email"): r for r in emulator.records("Leads")["live"]}
    shown = [leads.get(chosen.updated["Email"]), leads.get(writeback.NEW_LEAD_EMAIL)]
    print("Read back from the emulator:")
    report.table(["id", "Email", "Last_Name", "Lead_Status", "Description"],
                 [[r.get(k) for k in ("id", "Email", "Last_Name", "Lead_Status", "Description")]
                  for r in shown if r])
    converted = next((r for r in emulator.records("Leads")["live"] if r["id"] == chosen.converted_id), {})
    deals = [d for d in emulator.records("Deals")["live"] if d.get("Deal_Name") == writeback.DEAL_NAME]
    report.table(["converted lead", "Converted__s", "new deal", "Stage", "Amount"],
                 [[chosen.converted_id, converted.get("Converted__s"), d["id"], d.get("Stage"), d.get("Amount")]
                  for d in deals] or [[chosen.converted_id, converted.get("Converted__s"), None, None, None]])


def _counts_table(warehouse: Any, emulator: EmulatorProcess, before: dict[str, Any]) -> bool:
    """Rows per stream in the cache beside the emulator's truth; False when any stream disagrees."""
    rows, ok = [], True
    for stream in STREAMS:
        live, deleted = warehouse.counts(stream)
        truth = _truth(emulator, stream)
        ok = ok and live == truth
        rows.append([stream, live, deleted, truth, "yes" if live == truth else "NO"])
    report.table(["stream", "rows", "deleted in Zoho", "live in Zoho", "match"], rows)
    after = emulator.stats()
    print(f"API calls: {after['requests'] - before['requests']}, "
          f"credits: {after['credits_used'] - before['credits_used']}")
    return ok


def _truth(emulator: EmulatorProcess, stream: str) -> int:
    if stream in MODULES:
        return len(emulator.records(stream)["live"])
    return won_deals_in(emulator.records("Deals")["live"])


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    # Unwinds through the `with` blocks, so the emulator is stopped on `kill` too.
    sys.exit(128 + signum)
