"""One org's asynchronous jobs: Bulk Read (docs/zoho-api.md section 12.1) and mass convert (section 9.2).

One table of jobs on the org (`Org.jobs`), ids from the org's one allocator (`Org.new_id`), times from the
app's one clock (`App.clock`, handed over by `App.reset`), and one lifecycle whose speed a test sets through
the control plane (`POST /__emulator__/limits {"job_seconds": 0}`; docs/emulator.md). A reset builds a new
org, so it brings a new, empty store at the default speed.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

DEFAULT_JOB_SECONDS = 1.0  # from creation to COMPLETED; the emulator's choice (Zoho publishes no duration)
READY_WAIT_S = 5.0  # how long a status call past the delay waits for the file before it answers IN PROGRESS
PAGE_TOKEN_TTL_S = 24 * 3600  # a Bulk Read page_token lives a day: the emulator's choice (Zoho publishes none)



class _Identified(Protocol):
    @property
    def id(self) -> str: ...


AnyJob = TypeVar("AnyJob", bound=_Identified)


@dataclass(frozen=True)
class IssuedPageToken:
    """A Bulk Read `page_token` stands for the query it was issued for and the page it reaches."""

    query: dict[str, Any]
    page: int
    issued_at: float


@dataclass(frozen=True)
class MassConvertJob:
    """Mass convert converts when the job is created, so the job is `completed` from the first poll (9.2)."""

    id: str
    total: int
    converted: int
    not_converted: int
    failed: int


class JobStore:
    """Every job of one org by id, whatever its kind, and the Bulk Read page tokens issued for them."""

    def __init__(self, new_id: Callable[[], str], clock: Callable[[], float] = time.time):
        self.new_id = new_id
        self.clock = clock
        self.job_seconds = DEFAULT_JOB_SECONDS
        self._lock = threading.Lock()
        self._jobs: dict[str, object] = {}
        self._page_tokens: dict[str, IssuedPageToken] = {}

    def add(self, job: AnyJob) -> AnyJob:
        with self._lock:
            self._jobs[job.id] = job
        return job

    def find(self, job_id: str, kind: type[AnyJob]) -> AnyJob | None:
        """The job of that id when it is of that kind: a mass-convert id is no Bulk Read job, and back."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if isinstance(job, kind) else None

    def set_job_seconds(self, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError("job_seconds must be a number of seconds, 0 or more")
        self.job_seconds = float(value)

    def read_state(self, created_at: float, ready: threading.Event) -> str:
        """A Bulk Read job is ADDED for the first half of `job_seconds`, IN PROGRESS for the second, then
        COMPLETED once its file is written (Zoho has the file ready at COMPLETED, section 12.1)."""
        elapsed = self.clock() - created_at
        if elapsed < self.job_seconds:
            return "ADDED" if elapsed < self.job_seconds / 2 else "IN PROGRESS"
        # A small export is written well within the wait, so a test on a frozen clock sees COMPLETED at once.
        return "COMPLETED" if ready.wait(READY_WAIT_S) else "IN PROGRESS"

    def issue_page_token(self, query: dict[str, Any], page: int) -> str:
        token = secrets.token_hex(24)
        with self._lock:
            self._page_tokens[token] = IssuedPageToken(query, page, self.clock())
        return token

    def redeem_page_token(self, token: str) -> IssuedPageToken | None:
        """The query and page a token stands for; None when it is unknown or older than a day."""
        with self._lock:
            issued = self._page_tokens.get(token)
        if issued is None or self.clock() - issued.issued_at > PAGE_TOKEN_TTL_S:
            return None
        return issued
