"""PyAirbyte's console output, minus one note per column that the demo does not need to see.

PyAirbyte prints "Could not determine airbyte type from JSON schema: {...}" for every column whose JSON
type is a union, such as Zoho's Long Integer (number or string, docs/zoho-api.md section 0), and stores
those columns as VARCHAR, which is right for them. Everything else it prints is passed on.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout

# The note, with the line breaks PyAirbyte's console may insert inside the schema.
TYPE_NOTE = re.compile(r"Could not determine airbyte type from JSON schema: \{[^{}]*\}\n")


@contextmanager
def without_type_notes() -> Iterator[None]:
    buffer = io.StringIO()
    try:
        with redirect_stdout(buffer):
            yield
    finally:
        sys.stdout.write(TYPE_NOTE.sub("", buffer.getvalue()))
        sys.stdout.flush()
