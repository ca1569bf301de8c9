"""A table read with PyAirbyte and written back with PyAirbyte's own destination API: every row commits.

The round trip a PyAirbyte user makes: `source.read()` into a DuckDB cache, edit the table, then
`destination.write(read_result)`. PyAirbyte lowercases column names, keeps every read-only column Zoho sent, hands
decimals back as strings and timestamps without an offset, and picks append-dedup (an update by `id`) for a stream
with a primary key. The script runs in its own process, as a user's would: PyAirbyte reads its settings at import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from integration_tests.harness import Emulator

BIN = Path(sys.executable).parent
STREAMS = ["Leads", "Contacts"]

SCRIPT = """
import json, sys
import airbyte as ab
config, bin_dir, streams = json.loads(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
source = ab.get_source("source-zoho-crm", config={**config, "modules": streams}, streams=streams,
                       local_executable=f"{bin_dir}/source-zoho-crm")
cache = ab.new_local_cache("roundtrip")
result = source.read(cache=cache)
for stream in streams:  # the warehouse's own edit, which the write-back must carry to Zoho
    table = cache.processor.get_sql_table_name(stream)
    cache.execute_sql(f"update {table} set description = 'round trip ' || id")
destination = ab.get_destination("destination-zoho-crm", config=config,
                                 local_executable=f"{bin_dir}/destination-zoho-crm")
destination.write(result)
print(json.dumps({s: len(list(cache[s])) for s in streams}))
"""


def test_given_a_pyairbyte_cache_when_written_back_with_pyairbyte_then_every_row_commits(
        emulator: Emulator, tmp_path: Path) -> None:
    before = {s: {r["id"]: r for r in emulator.records(s)["live"]} for s in STREAMS}
    env = {**os.environ, "AIRBYTE_OFFLINE_MODE": "1", "AIRBYTE_LOCAL_REGISTRY": "0", "DO_NOT_TRACK": "1",
           "AIRBYTE_PROJECT_DIR": str(tmp_path), "AIRBYTE_CACHE_ROOT": str(tmp_path / "cache"),
           "AIRBYTE_LOGGING_ROOT": str(tmp_path / "logs"), "NO_LIVE_PROGRESS": "1"}

    run = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(emulator.config()), str(BIN), json.dumps(STREAMS)],
                         capture_output=True, text=True, env=env, timeout=600)

    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    assert "could not determine airbyte type" not in (run.stdout + run.stderr).lower()
    log = "\n".join(p.read_text() for p in (tmp_path / "logs" / "destination-zoho-crm").glob("*.log"))
    rows = json.loads(run.stdout.strip().splitlines()[-1])
    for stream in STREAMS:
        after = {r["id"]: r for r in emulator.records(stream)["live"]}
        assert rows[stream] == len(before[stream]) == len(after)
        assert f"Summary: stream {stream}, update: {rows[stream]} committed" in log, log[-3000:]
        assert f"Stream {stream}: columns not written to {stream}: " in log  # one summary line, no rejections
        for record_id, record in after.items():
            assert record["Description"] == f"round trip {record_id}"
            unchanged = {k for k in record if k not in ("Description", "Modified_Time", "Modified_By")}
            assert {k: record[k] for k in unchanged} == {k: before[stream][record_id].get(k) for k in unchanged}
    assert "Rejected record" not in log
