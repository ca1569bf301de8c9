"""Deterministic seed data: the same --seed and --records give the same org, byte for byte.

Timestamps are spread over two fixed years in the past (so every later write is newer), some records share
a Modified_Time second (as mass updates do), some leads are converted, some records sit in the recycle bin
and some are purged.
"""

from __future__ import annotations

import gc
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import Any

from zoho_crm_emulator import metadata, org_settings
from zoho_crm_emulator import seed_standard as standard
from zoho_crm_emulator.models import Module, Org, Row
from zoho_crm_emulator.writes import recompute

SEED_END = int(datetime(2025, 10, 1, tzinfo=timezone.utc).timestamp())
SEED_START = SEED_END - 2 * 365 * 86400
META_TIME = "2023-09-01T09:00:00+05:30"
# Order matters: lookups only point at records of modules seeded before. The modules after the linking one were
# added later: seeding them last keeps the first ones' records as they were.
SEED_ORDER = ("Accounts", "Contacts", "Leads", "Deals", "Tasks", "CustomModule1", "Notes", "Leads_X_Contacts",
              "Vendors", "Products", "Price_Books", "Campaigns", "Solutions", "Cases", "Quotes", "Sales_Orders",
              "Purchase_Orders", "Invoices", "Events", "Calls")
# `--records N` seeds N in each module of metadata.STANDARD (design.md); the other record modules get
# min(N, FEW), so tests, the demo and the benchmarks do not grow with them.
FEW = 25

FIRST = ["Paul", "Maria", "Chen", "Aisha", "Olga", "Ravi", "Sofia", "Liam", "Yuki", "Fatima", "Noah", "Emma",
         "Arjun", "Zoe", "Mateo", "Ines", "Kofi", "Hana", "Lucas", "Priya"]
LAST = ["Daly", "Garcia", "Wang", "Khan", "Ivanova", "Iyer", "Rossi", "Murphy", "Sato", "Haddad", "Smith",
        "Muller", "Nair", "Dubois", "Silva", "Costa", "Mensah", "Kim", "Moreau", "Patel"]
COMPANIES = ["Zylker", "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Soylent"]
CITIES = ["Chennai", "Berlin", "Austin", "Lyon", "Osaka", "Accra", "Lisbon", "Toronto", "Pune", "Seoul"]
WORDS = ["quarterly", "renewal", "pricing", "demo", "follow-up", "contract", "budget", "pilot", "onboarding",
         "escalation", "(urgent)", "a,b", "O'Brien", "ünïcode", "50% off"]
SUBJECTS = {"Quotes": "quote", "Sales_Orders": "order", "Purchase_Orders": "purchase", "Invoices": "invoice",
            "Cases": "case"}
USERS = [("Patricia", "Boyle", "CEO"), ("Ken", "Adams", "Manager"), ("Lena", "Frost", "Sales Rep"),
         ("Omar", "Reyes", "Sales Rep"), ("Mei", "Lin", "Support")]


@dataclass
class Ctx:
    org: Org
    rng: random.Random
    pools: dict[str, list[str]] = field(default_factory=dict)  # ids of already seeded records, per module
    owners: list[dict[str, Any]] = field(default_factory=list)  # shared user refs (one object per user)


def build_org(seed: int, records: int, tz: tzinfo, module_records: dict[str, int] | None = None) -> Org:
    """`records` per standard module (a tenth in the linking module); `module_records` overrides single modules
    (`--module-records`), so a benchmark can seed 300,000 Leads without 300,000 of everything else."""
    org = Org(tz, make_users(), META_TIME)
    ctx = Ctx(org, random.Random(seed), owners=[org.known_user_ref(uid) for uid in org.users])
    # Millions of new containers and no garbage among them: the cyclic GC would only rescan them, again and
    # again, while seeding (App.reset freezes them afterwards).
    gc.disable()
    try:
        for name in SEED_ORDER:
            count = records if name in metadata.STANDARD else min(records, FEW)
            count = records // 10 if name == "Leads_X_Contacts" else count
            count = (module_records or {}).get(name, count)
            _seed_module(ctx, org.modules[name], count)
            ctx.pools[name] = list(org.modules[name].rows)
    finally:
        gc.enable()
    return org


def module_counts(counts: dict[str, Any]) -> dict[str, int]:
    """Validated per-module record counts; ValueError names an unknown module or a bad count."""
    out = {}
    for name, count in counts.items():
        if name not in SEED_ORDER:
            raise ValueError(f"no seeded module {name!r}; one of {', '.join(SEED_ORDER)}")
        if isinstance(count, bool) or int(count) != count or int(count) < 0:
            raise ValueError(f"records for {name} must be a whole number >= 0, not {count!r}")
        out[name] = int(count)
    return out


def make_users() -> list[dict[str, Any]]:
    out = []
    for i, (first, last, role) in enumerate(USERS):
        out.append({"id": f"{metadata.ORG_PREFIX}{500_000 + i:012d}", "first_name": first, "last_name": last,
                    "full_name": f"{first} {last}", "email": f"{first.lower()}.{last.lower()}@zylker.example",
                    "role": {"name": role, "id": f"{metadata.ORG_PREFIX}{600_000 + i:012d}"},
                    "profile": {"name": "Administrator" if i == 0 else "Standard",
                                "id": f"{metadata.ORG_PREFIX}{700_000 + min(i, 1):012d}"},
                    "status": "active", "confirm": True, "locale": "en_US",
                    "country_locale": "en_US", "zuid": str(736078909 + i), "Isonline": False,
                    **org_settings.user_history(i)})
    return out


def _seed_module(ctx: Ctx, module: Module, count: int) -> None:
    org, rng = ctx.org, ctx.rng
    created = sorted(rng.randrange(SEED_START, SEED_END - 3600) for _ in range(count))
    owners = ctx.owners
    prev_modified = None
    for n, ctime in enumerate(created):
        mtime = ctime + int(rng.random() ** 2 * (SEED_END - ctime))
        if n % 20 == 19 and prev_modified is not None and prev_modified >= ctime:
            mtime = prev_modified  # a mass update: several records share one Modified_Time second
        prev_modified = mtime
        owner = _pick(rng, owners)
        row: Row = [None] * len(module.columns)
        row[0] = org.new_id()
        for name, value in _values(ctx, module, n).items():
            row[module.col[name]] = value
        _stamp(module, row, owner, ctime, mtime)
        if module.api_name == "Leads" and n % 10 == 3:  # one lead in ten is converted
            row[module.col["Converted__s"]] = True
            row[module.col["Converted_Date_Time"]] = mtime
        recompute(module, row)
        module.put(row)
    _seed_deletions(org, module, count, rng)


def _stamp(module: Module, row: Row, owner: dict[str, Any], ctime: int, mtime: int) -> None:
    col = module.col
    if "Owner" in col:
        row[col["Owner"]] = owner
    row[col["Created_By"]] = row[col["Modified_By"]] = owner
    row[col["Created_Time"]] = ctime
    row[col["Modified_Time"]] = mtime


def _seed_deletions(org: Org, module: Module, count: int, rng: random.Random) -> None:
    """About 3% of records go to the recycle bin and 2% more are listed as purged."""
    ids = sorted(module.rows)
    for record_id in ids[:: 33] if count >= 33 else ids[:1]:
        row = module.rows[record_id]
        deleted_at = row[module.col["Modified_Time"]] + rng.randrange(60, 86400)
        module.remove(record_id, min(deleted_at, SEED_END), "recycle")
    for _ in range(max(1, count // 50)):
        purged = org.new_id()
        module.bury({"id": purged, "display_name": None, "type": "permanent", "deleted_by": None,
                     "created_by": None, "deleted_time": rng.randrange(SEED_START, SEED_END)})


def _values(ctx: Ctx, module: Module, n: int) -> dict[str, Any]:
    """Field values for record n of a module: specific rules first, then one generic rule per data type."""
    rng = ctx.rng
    first, last, company = _pick(rng, FIRST), _pick(rng, LAST), _pick(rng, COMPANIES)
    values: dict[str, Any] = {}
    for fd in module.fields:
        if not metadata.api_writable(fd) or fd["api_name"] == "Owner":
            continue
        value = _specific(ctx, module.api_name, fd["api_name"], n, first, last, company)
        if value is _GENERIC:
            value = None if not fd["system_mandatory"] and rng.random() < 0.25 else _generic(ctx, fd)
        values[fd["api_name"]] = value
    if module.api_name in standard.DERIVED:
        standard.DERIVED[module.api_name](ctx, values)
    return values


_GENERIC = object()


def _specific(ctx: Ctx, module: str, name: str, n: int, first: str, last: str, company: str) -> Any:
    rng = ctx.rng
    if name == "First_Name":
        return first
    if name == "Last_Name":
        return last
    if name == "Email" and module in ("Leads", "Contacts"):
        return f"{first.lower()}.{last.lower()}.{n}@{company.lower()}.example"
    if name == "Company":
        return f"{company} {CITIES[n % len(CITIES)]}"
    if name == "Account_Name" and module == "Accounts":
        return f"{company} {CITIES[n % len(CITIES)]} {n}"
    if name == "Deal_Name" and module == "Deals":
        return f"{company} {_pick(rng, WORDS)} deal {n}"
    if name == "Name":
        return f"Item {n} {_pick(rng, WORDS)}"
    if name == "Subject":
        kind = SUBJECTS.get(module)
        return f"{company} {kind} {n}" if kind else f"Call {first} about {_pick(rng, WORDS)}"
    if name == "Stage":
        return _pick(rng, metadata.STAGES)
    if name == "Pipeline":
        return metadata.PIPELINES[0]
    if name == "Parent_Id":
        return _note_parent(ctx)
    if name == "Tag":
        return _tags(ctx, n)
    return _GENERIC


def _tags(ctx: Ctx, n: int) -> list[dict[str, Any]]:
    """Every third record untagged (Zoho answers `[]`), the others one or two tags; drawn from n, not from the
    random stream, so adding Tag left every other seeded value as it was."""
    tags = list(ctx.org.tags.values())
    if n % 3 == 0:
        return []
    return [dict(tags[n % len(tags)])] + ([dict(tags[(n + 2) % len(tags)])] if n % 3 == 2 else [])


def _note_parent(ctx: Ctx) -> dict[str, Any] | None:
    module = ctx.org.modules[_pick(ctx.rng, ("Leads", "Contacts", "Accounts", "Deals"))]
    row = _random_row(ctx, module)
    if row is None:
        return None
    return {"module": {"api_name": module.api_name, "id": module.meta["id"]}, "name": module.display_name(row),
            "id": row[0]}


def _random_row(ctx: Ctx, module: Module) -> Row | None:
    pool = ctx.pools.get(module.api_name)
    if not pool:
        return None
    return module.rows.get(_pick(ctx.rng, pool))


def _generic(ctx: Ctx, fd: dict[str, Any]) -> Any:
    maker = _MAKERS.get(fd["data_type"])
    return maker(ctx, fd, ctx.rng) if maker else None


def _lookup(ctx: Ctx, fd: dict[str, Any], rng: random.Random) -> Any:
    module = ctx.org.modules.get(fd["lookup"].get("module", {}).get("api_name"))
    row = _random_row(ctx, module) if module else None
    return module.ref(row) if module is not None and row else None


def _picklist(ctx: Ctx, fd: dict[str, Any], rng: random.Random) -> Any:
    return _pick(rng, fd["pick_list_values"])["actual_value"]


def _multi(ctx: Ctx, fd: dict[str, Any], rng: random.Random) -> Any:
    values = [p["actual_value"] for p in fd["pick_list_values"]]
    return sorted(rng.sample(values, rng.randint(1, 3)), key=values.index)


def _user(ctx: Ctx, fd: dict[str, Any], rng: random.Random) -> Any:
    return _pick(rng, ctx.owners)


def _pick(rng: random.Random, seq: Any) -> Any:
    return seq[int(rng.random() * len(seq))]  # much cheaper than rng.choice; seeding 1.4M records needs it


# Shared pools: text values are picked from them, so 200,000 records do not hold 200,000 copies of prose.
_POOL = random.Random(0)
TEXTS = [f"{_pick(_POOL, WORDS)} {_pick(_POOL, CITIES)}" for _ in range(256)]
SENTENCES = [" ".join(_pick(_POOL, WORDS) for _ in range(8)) for _ in range(256)]
PARAGRAPHS = [" ".join(_pick(_POOL, SENTENCES) for _ in range(3)) for _ in range(64)]
PHONES = [f"+1-555-{n}" for n in range(1000, 10000)]
WEBSITES = [f"https://www.{c.lower()}.example" for c in COMPANIES]
DATES = [datetime.fromtimestamp(SEED_START + d * 86400, timezone.utc).date().isoformat() for d in range(730)]

_MAKERS = {
    "text": lambda ctx, fd, rng: _pick(rng, TEXTS)[: fd["length"]],
    "email": lambda ctx, fd, rng: f"{_pick(rng, FIRST).lower()}{int(rng.random() * 10**6)}@mail.example",
    "phone": lambda ctx, fd, rng: _pick(rng, PHONES),
    "website": lambda ctx, fd, rng: _pick(rng, WEBSITES),
    "textarea": lambda ctx, fd, rng: _pick(rng, SENTENCES),
    "mediumtext": lambda ctx, fd, rng: _pick(rng, PARAGRAPHS),
    "picklist": _picklist,
    "multiselectpicklist": _multi,
    "integer": lambda ctx, fd, rng: 1 + int(rng.random() * 5000),
    "bigint": lambda ctx, fd, rng: str(10**12 + int(rng.random() * 10**15)),  # served as Zoho serves it, a string
    "double": lambda ctx, fd, rng: round(rng.random() * 1000, 3),
    "decimal": lambda ctx, fd, rng: round(rng.random() * 100, 2),
    "currency": lambda ctx, fd, rng: round(100 + rng.random() * 500000, 2),
    "percent": lambda ctx, fd, rng: float(int(rng.random() * 101)),
    "boolean": lambda ctx, fd, rng: rng.random() < 0.5,
    "date": lambda ctx, fd, rng: _pick(rng, DATES),
    "datetime": lambda ctx, fd, rng: SEED_START + int(rng.random() * (SEED_END - SEED_START)),
    "lookup": _lookup,
    "userlookup": _user,
    "multiselectlookup": lambda ctx, fd, rng: [],
    "multiuserlookup": lambda ctx, fd, rng: [],
    "subform": lambda ctx, fd, rng: [],
    "fileupload": lambda ctx, fd, rng: None,
    "imageupload": lambda ctx, fd, rng: None,
}


def fresh_values(org: Org, module: Module, rng: random.Random) -> dict[str, Any]:
    """Values for a record created after seeding (mutate): same generators, unique names from a fresh id."""
    ctx = Ctx(org, rng, {name: list(m.rows) for name, m in org.modules.items()},
              [org.known_user_ref(uid) for uid in org.users])
    return _values(ctx, module, int(org.new_id()[-9:]))
