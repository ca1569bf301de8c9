"""What the command line hands the destination: the --config file, the --catalog file, the messages on stdin.

Each malformed input is refused with the file, line or stream to fix, never with a parser's traceback
(issue 12, "Tracebacks where a message belongs"). A line on stdin that is not an Airbyte message stops the
write (`InputError`): skipping it would let a later STATE acknowledge a row that was never written, so the
platform would never send it again. The writer first echoes every STATE released before the bad line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteCatalogSerializer,
    Type,
)

from destination_zoho_crm.errors import DestinationConfigError
from zoho_crm_client.config import read_json_object

logger = logging.getLogger("airbyte")


class InputError(DestinationConfigError):
    """A line on stdin that cannot be written as it stands; the message names the line."""


def read_catalog(path: str) -> ConfiguredAirbyteCatalog:
    """The configured catalog of `--catalog`; each stream named once (a stream listed twice would be
    written twice, its STATEs interleaved)."""
    raw = read_json_object(path, "--catalog")
    streams = raw.get("streams")
    if not isinstance(streams, list):
        raise DestinationConfigError(f"the --catalog file {path!r}: 'streams' must be a list of configured streams")
    seen: set[str] = set()
    for index, entry in enumerate(streams):
        stream = entry.get("stream") if isinstance(entry, dict) else None
        name = stream.get("name") if isinstance(stream, dict) else None
        if not isinstance(name, str) or not name:
            raise DestinationConfigError(f"the --catalog file {path!r}: streams[{index}] has no stream name")
        if name in seen:
            raise DestinationConfigError(f"the --catalog file {path!r}: stream '{name}' is listed twice "
                                         f"(streams[{index}]); list each stream once")
        seen.add(name)
    try:
        return ConfiguredAirbyteCatalogSerializer.load(raw)
    except Exception as exc:  # noqa: BLE001 - the serialiser's errors have no common base; say what it said
        raise DestinationConfigError(f"the --catalog file {path!r} is not a valid configured catalog: "
                                     f"{' '.join(str(exc).split())[:300]}") from None


def parse_messages(lines: Iterable[str]) -> Iterator[AirbyteMessage]:
    """Airbyte messages from stdin. Blank lines and messages of other types (LOG, TRACE) pass by; a line that is
    not JSON, or a RECORD or STATE without its body, raises InputError naming its line number. The line itself
    is not quoted: it may hold a customer's data."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw: Any = json.loads(line)
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            raise InputError(f"input line {number} is not valid JSON ({reason}); the write stopped there so that "
                             "no later STATE acknowledges it. Fix the source's output and run the sync again."
                             ) from None
        try:
            message = AirbyteMessageSerializer.load(raw)
        except Exception:  # noqa: BLE001 - valid JSON of another shape: not ours to judge unless it claims a type
            if isinstance(raw, dict) and raw.get("type") in (Type.RECORD.value, Type.STATE.value):
                raise InputError(f"input line {number} is a {raw['type']} message of the wrong shape; the write "
                                 "stopped there so that no later STATE acknowledges it") from None
            logger.warning("Ignoring input line %d: JSON that is not an Airbyte message", number)
            continue
        if message.type == Type.RECORD and message.record is None or message.type == Type.STATE and (
                message.state is None):
            raise InputError(f"input line {number} is a {message.type.value} message without its body; the "
                             "write stopped there so that no later STATE acknowledges it")
        yield message
