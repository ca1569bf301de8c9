"""The writing half: a small warehouse table pushed back into Zoho CRM through destination-zoho-crm.

The destination is driven as Airbyte drives it: `write --config --catalog`, Airbyte messages on stdin,
messages back on stdout (design.md, console scripts).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo.settings import DESTINATION, executable

STREAM = "enriched_leads"
NEW_LEAD_EMAIL = "ada.lovelace@analytical.example"
DEAL_NAME = "Demo: converted from the warehouse"


@dataclass
class Plan:
    """The rows the demo writes, chosen from the emulator's live Leads."""

    updated: dict[str, Any]  # an existing lead, matched on Email and enriched
    created: dict[str, Any]  # a new lead, upserted on an Email Zoho does not know
    converted_id: str  # a lead converted into a contact, an account and a deal

    def records(self) -> list[dict[str, Any]]:
        convert = {"_zoho_operation": "convert", "id": self.converted_id,
                   "Deals": {"Deal_Name": DEAL_NAME, "Stage": "Qualification", "Closing_Date": "2026-12-31",
                             "Amount": 12000}}
        return [self.updated, self.created, convert]


def plan(live_leads: list[dict[str, Any]]) -> Plan:
    candidates = [r for r in live_leads if r.get("Email") and not r.get("Converted__s")]
    if len(candidates) < 2:
        raise RuntimeError("the emulator has fewer than two unconverted leads with an email")
    first, second = candidates[0], candidates[1]
    updated = {"Email": first["Email"], "Last_Name": first["Last_Name"], "Lead_Status": "Pre-Qualified",
               "Description": "Scored 92/100 by the warehouse model"}
    created = {"Email": NEW_LEAD_EMAIL, "Last_Name": "Lovelace", "First_Name": "Ada", "Company": "Analytical Engines",
               "Lead_Status": "Not Contacted"}
    return Plan(updated=updated, created=created, converted_id=second["id"])


def config(auth: dict[str, Any]) -> dict[str, Any]:
    # Upsert on Email by default; the convert row says so itself with `_zoho_operation`.
    return {**auth, "streams": [{"name": STREAM, "module": "Leads", "operation": "upsert",
                                 "matching_keys": ["Email"]}]}


def catalog() -> dict[str, Any]:
    stream = {"name": STREAM, "json_schema": {"type": "object", "properties": {}},
              "supported_sync_modes": ["full_refresh", "incremental"]}
    return {"streams": [{"stream": stream, "sync_mode": "incremental", "destination_sync_mode": "append_dedup",
                         "primary_key": [["Email"]]}]}


def messages(records: list[dict[str, Any]]) -> str:
    now = int(time.time() * 1000)
    lines = [{"type": "RECORD", "record": {"stream": STREAM, "data": r, "emitted_at": now}} for r in records]
    lines.append({"type": "STATE", "state": {"type": "STREAM", "stream": {
        "stream_descriptor": {"name": STREAM}, "stream_state": {"rows_pushed": len(records)}}}})
    return "\n".join(json.dumps(line) for line in lines) + "\n"


def write(auth: dict[str, Any], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run `destination-zoho-crm write`; its Airbyte messages, or a RuntimeError with its last words."""
    with tempfile.TemporaryDirectory() as tmp:
        config_path, catalog_path = Path(tmp, "config.json"), Path(tmp, "catalog.json")
        config_path.write_text(json.dumps(config(auth)))
        catalog_path.write_text(json.dumps(catalog()))
        proc = subprocess.run([str(executable(DESTINATION)), "write", "--config", str(config_path),
                               "--catalog", str(catalog_path)], input=messages(records), capture_output=True,
                              text=True, timeout=300)
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        errors = [m["trace"]["error"]["message"] for m in out if m.get("type") == "TRACE" and "error" in m["trace"]]
        raise RuntimeError(f"{DESTINATION} write failed: {errors or proc.stderr[-1000:]}")
    return out
