"""The reading half: source-zoho-crm run by PyAirbyte into its default DuckDB cache.

Import this module only after `settings.apply_offline_environment()`: PyAirbyte reads its settings
when `airbyte` is imported.
"""

from __future__ import annotations

from typing import Any

import airbyte as ab

from demo.quiet import without_type_notes
from demo.settings import DESTINATION, SOURCE, executable
from demo.streams import MODULES, STREAMS, source_config

DELETED_AT = "_ab_cdc_deleted_at"
EXTRACTED_AT = "_airbyte_extracted_at"


class Warehouse:
    """A PyAirbyte source over the emulator and the DuckDB cache it fills."""

    def __init__(self, auth: dict[str, Any]):
        self.source = ab.get_source(SOURCE, config=source_config(auth), local_executable=str(executable(SOURCE)),
                                    streams=STREAMS)
        self.cache = ab.get_default_cache()

    def check(self) -> None:
        self.source.check()

    def sync(self) -> None:
        """An incremental read from the state in the cache (none at first: the whole history).

        Rows merge on their primary key, so a tombstone lands on the row it deletes.
        """
        with without_type_notes():
            self.source.read(cache=self.cache, write_strategy="merge")

    def round_trip(self, auth: dict[str, Any], stream: str, description: str) -> None:
        """Edit a stream's table in SQL, then write it back to Zoho with PyAirbyte's own destination API: the
        cache's lowercased columns, read-only columns and tombstones go back as they are (docs/destination.md)."""
        with without_type_notes():
            result = self.source.read(cache=self.cache, streams=[stream], write_strategy="merge")
        self.cache.execute_sql(f"update {self.table(stream)} set description = '{description}'")
        destination = ab.get_destination(DESTINATION, config=auth, local_executable=str(executable(DESTINATION)))
        destination.write(result)

    def table(self, stream: str) -> str:
        return self.cache.processor.get_sql_table_name(stream)

    def counts(self, stream: str) -> tuple[int, int]:
        """(live rows, rows marked deleted) of a stream's table."""
        has_deleted = stream in MODULES
        deleted = f"count(*) filter (where {DELETED_AT} is not null)" if has_deleted else "0"
        row = self.query(f"select count(*) as n, {deleted} as d from {self.table(stream)}")[0]
        return row["n"] - row["d"], row["d"]

    def latest_extraction(self, stream: str) -> Any:
        return self.query(f"select max({EXTRACTED_AT}) as t from {self.table(stream)}")[0]["t"]

    def extracted_after(self, stream: str, moment: Any, columns: list[str]) -> list[dict[str, Any]]:
        """Rows the last sync wrote: those extracted after `moment` (the previous sync's latest)."""
        cols = ", ".join(columns)
        return self.query(f"select {cols} from {self.table(stream)} where {EXTRACTED_AT} > '{moment}' "
                          f"order by modified_time")

    def query(self, sql: str) -> list[dict[str, Any]]:
        return self.cache.run_sql_query(sql)
