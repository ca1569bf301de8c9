"""Tag writes through `destination-zoho-crm write`: the add_tags and remove_tags operations (docs/zoho-api/tags.md)
land in the emulator, one call per tag list; a row Zoho refuses comes back with Zoho's reason, a row breaking
Zoho's published limits is refused before any call; the source then reads the tags back."""

from __future__ import annotations

from integration_tests.destination.messages import by, live, record, rejections, state, write
from integration_tests.harness import Emulator, configured_catalog, run_connector

TAG_ROUTE = "POST /crm/v8/{module}/actions/add_tags"
UNKNOWN_ID = "5725767999999999999"


def names(row: dict) -> list[str]:
    return [t["name"] for t in row["Tag"] or []]


def test_given_add_tags_rows_when_written_then_zoho_holds_them_and_each_refusal_names_its_reason(
        emulator: Emulator) -> None:
    emulator.reset()
    contacts = live(emulator, "Contacts")[:3]
    before = emulator.stats()["by_route"].get(TAG_ROUTE, 0)
    run = write(emulator, [("Contacts", "append")], [
        record("Contacts", {"_zoho_operation": "add_tags", "id": contacts[0]["id"], "Tag": ["Expo 2026", "VIP"]}),
        record("Contacts", {"_zoho_operation": "add_tags", "id": contacts[1]["id"], "Tag": "Expo 2026, VIP"}),
        record("Contacts", {"_zoho_operation": "add_tags", "id": contacts[2]["id"],
                            "Tag": [{"name": "Churn risk", "color_code": "#F17574"}]}),
        record("Contacts", {"_zoho_operation": "add_tags", "id": UNKNOWN_ID, "Tag": ["VIP"]}),
        record("Contacts", {"_zoho_operation": "add_tags", "id": contacts[0]["id"], "Tag": ["x" * 26]}),
        record("Contacts", {"_zoho_operation": "add_tags", "id": contacts[1]["id"]}),
        state("Contacts", 1),
    ])
    assert run.returncode == 1, run.stderr[-2000:]  # some rows rejected (design.md: exit 1)
    rejected = {r["position"]: (r["source"], r["code"], r["field"]) for r in rejections(run)}
    assert rejected == {4: ("zoho", "INVALID_DATA", "id"), 5: ("local", "INVALID_DATA", "Tag"),
                        6: ("local", "MANDATORY_NOT_FOUND", "Tag")}
    assert emulator.stats()["by_route"].get(TAG_ROUTE, 0) - before == 3  # one call per distinct tag list
    after = by(live(emulator, "Contacts"), "id")
    for contact, added in zip(contacts, (["Expo 2026", "VIP"], ["Expo 2026", "VIP"], ["Churn risk"]), strict=True):
        kept = [n for n in names(contact) if n not in added]
        assert names(after[contact["id"]]) == kept + added
    assert after[contacts[2]["id"]]["Tag"][-1]["color_code"] == "#F17574"


def test_given_remove_tags_rows_when_written_then_the_tags_are_gone_and_the_source_reads_them_back(
        emulator: Emulator) -> None:
    emulator.reset()
    tagged = [c for c in live(emulator, "Contacts") if c["Tag"]][:2]
    run = write(emulator, [("Contacts", "append")], [
        record("Contacts", {"_zoho_operation": "remove_tags", "id": c["id"], "Tag": c["Tag"][:1]}) for c in tagged
    ] + [state("Contacts", 1)])
    assert run.returncode == 0 and rejections(run) == [], run.stdout[-2000:]
    after = by(live(emulator, "Contacts"), "id")
    for contact in tagged:
        assert names(after[contact["id"]]) == names(contact)[1:]

    streams = run_connector("source-zoho-crm", "discover", config=emulator.config()).of_type("CATALOG")[0]
    catalog = configured_catalog(streams["catalog"]["streams"], sync_mode="full_refresh", names=["Contacts"])
    read = run_connector("source-zoho-crm", "read", config=emulator.config(), catalog=catalog)
    synced = by(read.records("Contacts"), "id")
    assert all(names(synced[c["id"]]) == names(after[c["id"]]) for c in tagged)
