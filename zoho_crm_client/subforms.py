"""Subform rows read by parent, with the calls Zoho documents for them (docs/zoho-api/subforms.md).

A subform field (`data_type: subform`) names its subform module: `associated_module.module` in Zoho's sample
field metadata, `subform.module` in the v8 OpenAPI file (S4); both are read. Rows come from COQL on that module
(S3): Zoho's Kaizen #124 queries `... from Project_Details where Parent_Id = ...`. Worked example, 100 changed
quotes at a time, keyset on `id` by the COQL reader (coql.py), LIMIT 2,000 per call:

    select Product_Name, Quantity, List_Price, Parent_Id from Quoted_Items
    where (Parent_Id in ('5725767000000524157', ..., '5725767000000524999')) order by id asc limit 2000

Each subform holds at most 100 rows per record (S1), so 100 parents are at most 10,000 rows: five pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from zoho_crm_client.coql import CoqlReader, literal
from zoho_crm_client.models import FieldMeta, Page
from zoho_crm_client.paths import module_name, record_id

PARENTS_PER_QUERY = 100  # COQL's `in` takes up to 100 values (docs/zoho-api.md section 7)
MAX_COLUMNS = 50  # COQL selects at most 50 columns (section 7)
PARENT = "Parent_Id"
# Types COQL does not select (section 7: multi-select lookups, subforms; image upload per the v7 limits page)
NOT_SELECTABLE = frozenset({"multiselectlookup", "multiuserlookup", "subform", "imageupload", "fileupload"})


def subform_module(field: FieldMeta) -> str | None:
    """The subform module behind a subform field, or None (not a subform, or its metadata names no module)."""
    if field.data_type != "subform":
        return None
    for key in ("associated_module", "subform"):
        ref = field.raw.get(key)
        name = ref.get("module") or ref.get("api_name") if isinstance(ref, dict) else None
        if isinstance(name, str) and name:
            return name
    return None


def selectable(fields: Sequence[FieldMeta]) -> list[str]:
    """The subform's columns COQL can select, `Parent_Id` first (every row needs it), at most 50."""
    names = [f.api_name for f in fields if f.api_name not in ("id", PARENT) and f.data_type not in NOT_SELECTABLE]
    return [PARENT, *names][:MAX_COLUMNS]


def rows_query(subform: str, columns: Sequence[str], parent_ids: Sequence[str]) -> str:
    """`select <columns> from <subform> where Parent_Id in (<ids>)`: names checked as API names, ids as Zoho ids
    (paths.py), each id a quoted literal."""
    if not 0 < len(parent_ids) <= PARENTS_PER_QUERY:
        raise ValueError(f"between 1 and {PARENTS_PER_QUERY} parent ids per query, not {len(parent_ids)}")
    names = ", ".join(module_name(c) for c in columns)
    ids = ", ".join(literal(record_id(i, "parent id")) for i in parent_ids)
    return f"select {names} from {module_name(subform)} where {PARENT} in ({ids})"


def iter_rows(coql: CoqlReader, subform: str, columns: Sequence[str], parent_ids: Sequence[str]) -> Iterator[Page]:
    """Every row of the given parents' subform, in id order, one Page per COQL call."""
    return coql.iter_coql(rows_query(subform, columns, parent_ids))


def parent_of(row: dict[str, Any]) -> str | None:
    """The parent record's id of a subform row (`Parent_Id: {"name", "id"}`, S2; a bare id tolerated)."""
    parent = row.get(PARENT)
    value = parent.get("id") if isinstance(parent, dict) else parent
    return None if value is None else str(value)
