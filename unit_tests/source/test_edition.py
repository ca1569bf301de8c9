"""The org's edition is remembered in the state, so an incremental sync need not ask GET org (issue 8, R3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from airbyte_cdk.models import AirbyteMessageSerializer

from source_zoho_crm import edition
from source_zoho_crm.config import SourceConfig
from source_zoho_crm.source import SourceZohoCrm
from unit_tests.source.fakes import FakeClient, text_field
from unit_tests.source.test_read import CONFIG, LOG, as_input_state, catalog, org, states
from zoho_crm_client import ZohoConfig

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)


def entry(name: str, days_ago: float) -> dict[str, str]:
    return {"name": name, "checked_at": (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_given_entries_then_the_latest_trusted_one_is_remembered() -> None:
    found = edition.remembered({"Leads": {"zoho_edition": entry("Zoho One", 3)},
                                "Deals": {"zoho_edition": entry("professional", 1)},
                                "Tasks": {"zoho_edition": entry("ultimate", 8)}}, NOW)
    assert found == entry("professional", 1)


def test_given_an_entry_older_than_a_week_or_unreadable_then_nothing_is_remembered() -> None:
    assert edition.remembered({"Leads": {"zoho_edition": entry("enterprise", 7)}}, NOW) is None
    assert edition.remembered({"Leads": {"zoho_edition": {"name": "gold", "checked_at": "2026-11-28T00:00:00Z"}},
                               "Deals": {"zoho_edition": {"name": "free", "checked_at": "yesterday"}},
                               "Tasks": {"zoho_edition": "free"}, "Notes": {}}, NOW) is None


def test_given_an_alias_then_the_canonical_name_is_remembered() -> None:
    assert edition.remembered({"Leads": {"zoho_edition": entry("Zoho One", 1)}}, NOW) == entry("enterprise", 1)


def wide_org(edition_name: str | None = "enterprise") -> FakeClient:
    """Leads with 300 fields: a page asks 7 field groups side by side, more than every edition allows (5)."""
    client = org(n_leads=10)
    client.fields_meta["Leads"] = client.fields_meta["Leads"] + [text_field(f"F{i}") for i in range(300)]
    client.org_edition = edition_name
    return client


def read(client: Any, config: dict[str, Any], state: Any = None) -> tuple[list[dict], list[ZohoConfig]]:
    """The messages, and the settings each client was built with."""
    built: list[ZohoConfig] = []
    source = SourceZohoCrm(lambda c, log: built.append(c) or client)
    messages = source.read(LOG, config, catalog(client, config, ["Leads"]), state)
    return [AirbyteMessageSerializer.dump(m) for m in messages], built


def test_given_a_first_sync_then_the_edition_is_asked_once_and_the_next_sync_reuses_it() -> None:
    client = wide_org()
    first, _ = read(client, CONFIG)
    saved = states(first, "Leads")
    assert client.org_calls == 1 and all(s["zoho_edition"]["name"] == "enterprise" for s in saved)

    second, built = read(client, CONFIG, as_input_state(first))
    assert client.org_calls == 1  # not asked again
    assert built[-1].edition == "enterprise"  # the client's in-flight limit comes from it
    assert states(second, "Leads")[-1]["zoho_edition"] == saved[-1]["zoho_edition"]  # its age is kept


def test_given_a_configured_limit_or_edition_then_nothing_is_asked_or_saved() -> None:
    for extra in ({"max_concurrent_requests": 4}, {"edition": "Free"}):
        client = org(n_leads=10)
        client.org_edition = "enterprise"
        out, built = read(client, {**CONFIG, **extra})
        assert client.org_calls == 0 and all("zoho_edition" not in s for s in states(out, "Leads"))
        assert built[-1].edition == ("free" if "edition" in extra else None)  # the user's, read by the client


def test_given_an_unreadable_edition_then_nothing_is_saved_and_the_next_sync_asks_again() -> None:
    client = wide_org(None)
    first, _ = read(client, CONFIG)
    assert all("zoho_edition" not in s for s in states(first, "Leads"))
    read(client, CONFIG, as_input_state(first))
    assert client.org_calls == 2


def test_given_a_sync_that_cannot_use_more_than_every_edition_allows_then_the_edition_is_not_asked() -> None:
    client = org(n_leads=10)  # Leads alone, 3 fields: one call in flight at a time
    client.org_edition = "enterprise"
    out, built = read(client, CONFIG)
    assert client.org_calls == 0 and built[-1].max_concurrent_requests == 5
    assert all("zoho_edition" not in s for s in states(out, "Leads")) and len(states(out, "Leads")) > 0


def test_given_the_notes_stream_then_the_edition_is_asked_for_its_calls_side_by_side() -> None:
    # readers/notes.py keeps up to 20 `?ids=` calls and the next index page in flight: more than every edition
    # allows (5), so the edition's own limit is worth one GET org (then remembered in the state)
    client = org(n_leads=10)
    client.org_edition = "enterprise"
    built: list[ZohoConfig] = []
    source = SourceZohoCrm(lambda c, log: built.append(c) or client)
    out = [AirbyteMessageSerializer.dump(m) for m in source.read(LOG, CONFIG, catalog(client, CONFIG, ["Notes"]))]
    assert client.org_calls == 1 and built[-1].max_concurrent_requests is None
    assert states(out, "Notes")[-1]["zoho_edition"]["name"] == "enterprise"
    assert edition.matters(catalog(client, CONFIG, ["Notes"]), SourceConfig.from_mapping(CONFIG))
