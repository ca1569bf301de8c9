"""The sorted indexes (zoho_crm_emulator/views.py) against a plain filter-and-sort, under random writes.

In process and seeded, so hundreds of write/read interleavings run in a second; test_indexes.py checks the
same over HTTP with the control plane's ground truth.
"""

from __future__ import annotations

import random
from datetime import timezone

import pytest

from zoho_crm_emulator import seed, writes
from zoho_crm_emulator.models import Module, Row

SORTS = ("id", "Created_Time", "Modified_Time")


def _naive(module: Module, sort_by: str, converted: str, since: int | None) -> list[str]:
    conv, mt = module.col["Converted__s"], module.col["Modified_Time"]
    rows = [r for r in module.rows.values()
            if (converted == "both" or bool(r[conv]) == (converted == "true")) and (since is None or r[mt] >= since)]
    return [r[0] for r in sorted(rows, key=module.sort_key(sort_by))]


def _write(org, module: Module, rng: random.Random, now: int) -> None:
    ids = list(module.rows)
    action = rng.random()
    if action < 0.3:
        writes.create_row(org, module, {module.col["Last_Name"]: "New"}, now)
    elif action < 0.7:
        changes = {module.col["Converted__s"]: rng.random() < 0.5}
        writes.apply(org, module, module.rows[rng.choice(ids)], changes, {}, rng.choice((now, now - 86400 * 400)))
    else:
        module.remove(rng.choice(ids), now)


def _ids(rows: list[Row]) -> list[str]:
    return [r[0] for r in rows]


@pytest.mark.parametrize("seed_value", [1, 2, 3])
def test_given_random_writes_when_read_between_them_then_every_window_equals_a_plain_sort(seed_value):
    org = seed.build_org(seed_value, 120, timezone.utc)
    leads, rng = org.modules["Leads"], random.Random(seed_value)
    instants = sorted(r[leads.col["Modified_Time"]] for r in leads.rows.values())
    now = seed.SEED_END + 1000
    for step in range(300):
        with org.lock:
            _write(org, leads, rng, now + step // 3)  # a few writes share a second
            sort_by, converted = rng.choice(SORTS), rng.choice(("true", "false", "both"))
            since = rng.choice((None, rng.choice(instants), now + step // 3))
            window = leads.window(sort_by, converted, since)
            expected = _naive(leads, sort_by, converted, since)
            assert _ids(window.items[window.start:]) == expected, (step, sort_by, converted, since)
            offset, count = rng.randrange(0, 130), rng.randrange(1, 40)
            assert _ids(window.at(offset, count, desc=False)) == expected[offset:offset + count]
            assert _ids(window.at(offset, count, desc=True)) == expected[::-1][offset:offset + count]
            if expected:
                last = window.key(leads.rows[rng.choice(expected)])
                after = [i for i in expected if window.key(leads.rows[i]) > last]
                before = [i for i in expected if window.key(leads.rows[i]) < last][::-1]
                assert (_ids(window.after(last, count, False)[0]), window.after(last, count, False)[1]) == (
                    after[:count], len(after) > count)
                assert (_ids(window.after(last, count, True)[0]), window.after(last, count, True)[1]) == (
                    before[:count], len(before) > count)


def test_given_deletes_when_the_bin_is_read_then_it_equals_a_plain_sort():
    org = seed.build_org(5, 200, timezone.utc)
    leads, rng = org.modules["Leads"], random.Random(5)
    for step in range(60):
        with org.lock:
            leads.remove(rng.choice(list(leads.rows)), seed.SEED_END + step // 4)
            kind = rng.choice(("all", "recycle", "permanent"))
            since = rng.choice((None, seed.SEED_END - 86400 * 300, seed.SEED_END + step // 4))
            window = leads.deleted_window(kind, since)
            expected = sorted((e for e in leads.deleted.values() if (kind == "all" or e["type"] == kind)
                               and (since is None or e["deleted_time"] >= since)),
                              key=lambda e: (e["deleted_time"], e["id"]), reverse=True)
            assert window.at(0, len(expected) + 5, desc=True) == expected and window.size == len(expected)
