"""Builders for the Airbyte messages the read loop emits besides STATE (state.py): records, logs, traces."""

from __future__ import annotations

import time
from typing import Any

from airbyte_cdk.models import (
    AirbyteErrorTraceMessage,
    AirbyteEstimateTraceMessage,
    AirbyteLogMessage,
    AirbyteMessage,
    AirbyteRecordMessage,
    AirbyteStreamStatus,
    AirbyteTraceMessage,
    EstimateType,
    FailureType,
    Level,
    StreamDescriptor,
    TraceType,
    Type,
)
from airbyte_cdk.utils.stream_status_utils import as_airbyte_message


def now_ms() -> int:
    return int(time.time() * 1000)


def record(stream: str, data: dict[str, Any], emitted_at: int) -> AirbyteMessage:
    return AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream=stream, data=data,
                                                                        emitted_at=emitted_at))


def log(message: str, level: Level = Level.INFO) -> AirbyteMessage:
    return AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=level, message=message))


def status(stream: str, current: AirbyteStreamStatus) -> AirbyteMessage:
    return as_airbyte_message(StreamDescriptor(name=stream), current)


def estimate(stream: str, rows: int) -> AirbyteMessage:
    trace = AirbyteTraceMessage(type=TraceType.ESTIMATE, emitted_at=float(now_ms()),
                                estimate=AirbyteEstimateTraceMessage(name=stream, type=EstimateType.STREAM,
                                                                     row_estimate=rows))
    return AirbyteMessage(type=Type.TRACE, trace=trace)


def error(message: str, failure_type: FailureType, *, stream: str | None = None,
          internal: str | None = None) -> AirbyteMessage:
    """An ERROR trace: `message` is for the user; `internal` (never a secret) for whoever debugs."""
    trace = AirbyteTraceMessage(
        type=TraceType.ERROR, emitted_at=float(now_ms()),
        error=AirbyteErrorTraceMessage(message=message, internal_message=internal, failure_type=failure_type,
                                       stream_descriptor=StreamDescriptor(name=stream) if stream else None),
    )
    return AirbyteMessage(type=Type.TRACE, trace=trace)
