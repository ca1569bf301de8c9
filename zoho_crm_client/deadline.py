"""Read an answer's body within a total deadline, not just a per-read timeout (issue 12).

requests' `timeout` bounds each socket read: a server (or a proxy) that sends its headers and then one byte a
second never trips it, and a `check` would wait forever. So every body is streamed in the chunks the socket
delivers (`read1`: one read each) and the clock is checked between them. A call then ends at most one read
timeout after its deadline.
"""

from __future__ import annotations

from collections.abc import Callable

import requests
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

CHUNK = 1 << 16


class DeadlineExceeded(requests.exceptions.ReadTimeout):
    """The whole answer did not arrive within the call's deadline (a ReadTimeout: retried like one)."""


def read_within(resp: requests.Response, seconds: float, clock: Callable[[], float], started: float) -> None:
    """Load `resp`'s body (sent with stream=True) into `resp.content`, or raise DeadlineExceeded once
    `seconds` have passed since `started` on `clock`; the connection is closed then."""
    raw = resp.raw
    read1 = getattr(raw, "read1", None)
    if read1 is None:  # not a urllib3 response (a test adapter): nothing can trickle
        resp.content  # noqa: B018
        return
    parts: list[bytes] = []
    try:
        while True:
            if clock() - started > seconds:
                resp.close()
                raise DeadlineExceeded(f"the answer was not complete after {seconds:g} s "
                                       "(request_timeout_seconds)")
            chunk = read1(CHUNK, decode_content=True)
            if not chunk:
                break
            parts.append(chunk)
    except ProtocolError as exc:  # the mapping requests' own iter_content applies
        raise requests.exceptions.ChunkedEncodingError(exc) from None
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from None
    except ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from None
    except SSLError as exc:
        raise requests.exceptions.SSLError(exc) from None
    resp._content = b"".join(parts)  # what requests' `content` property stores
    resp._content_consumed = True  # type: ignore[attr-defined]  # requests' private flag; types-requests omits it
