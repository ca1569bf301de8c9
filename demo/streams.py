"""What the demo reads: four modules and one COQL stream (no PyAirbyte import here, see warehouse.py)."""

from __future__ import annotations

MODULES = ["Leads", "Contacts", "Deals", "Notes"]
# A COQL stream as an analyst would define one (design.md: coql_streams); incremental on its cursor.
WON_DEALS = {
    "name": "won_deals",
    "query": "select Deal_Name, Stage, Amount, Closing_Date, Modified_Time from Deals where Stage = 'Closed Won'",
    "cursor_field": "Modified_Time",
}
STREAMS = [*MODULES, WON_DEALS["name"]]


def source_config(auth: dict[str, object]) -> dict[str, object]:
    return {**auth, "start_datetime": "2015-01-01T00:00:00Z", "modules": MODULES, "include_deleted": True,
            "coql_streams": [WON_DEALS]}


def won_deals_in(deals: list[dict[str, object]]) -> int:
    """How many rows the COQL stream should hold, computed from the emulator's truth."""
    return sum(1 for d in deals if d.get("Stage") == "Closed Won")
