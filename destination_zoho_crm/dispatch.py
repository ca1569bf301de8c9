"""Send batches on up to N threads while keeping the order that matters.

docs/zoho-api.md 11.4: writes of more than 10 records and converts count against Zoho's sub-concurrency limit
of 10 calls in flight, so at most `parallel` (<= 10) batches are in flight. The dispatcher remembers the identity
tokens of in-flight batches, so the writer can wait for exactly the batches a new record depends on.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from destination_zoho_crm.batching import Batch, Item
from zoho_crm_client.models import WriteResult

Send = Callable[[Batch], list[WriteResult]]


class Dispatcher:
    """Submit, wait for dependencies, drain; finished batches are collected by `completed()`.

    A batch whose send raised (a fatal error: auth, permission, rate limit, budget) is kept as `error`;
    the writer reports what finished, waits for the rest and then raises it.
    """

    def __init__(self, send: Send, parallel: int):
        self._send = send
        self._parallel = parallel
        self._pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="zoho-write")
        self._inflight: dict[Future[list[WriteResult]], Batch] = {}
        self._done: list[tuple[Batch, list[WriteResult]]] = []
        # filled by the futures' done-callbacks (deque.append is thread-safe), so `completed()` costs nothing
        # when no batch finished: it runs after every input message
        self._finished: deque[Future[list[WriteResult]]] = deque()
        self.error: BaseException | None = None

    def submit(self, batches: Iterable[Batch]) -> None:
        for batch in batches:
            while len(self._inflight) >= self._parallel:
                self._collect(wait(self._inflight, return_when=FIRST_COMPLETED).done)
            future = self._pool.submit(self._send, batch)
            self._inflight[future] = batch
            future.add_done_callback(self._finished.append)

    def wait_for(self, item: Item) -> None:
        """Block until every in-flight batch `item` depends on (batching.Batch.blocks) is finished."""
        blocking = [f for f, batch in self._inflight.items() if batch.blocks(item)]
        if blocking:
            self._collect(wait(blocking).done)

    def drain(self) -> None:
        """Block until nothing is in flight."""
        if self._inflight:
            self._collect(wait(list(self._inflight)).done)

    def completed(self) -> list[tuple[Batch, list[WriteResult]]]:
        """Every batch finished since the last call, including those nobody waited for."""
        while self._finished:
            future = self._finished.popleft()
            if future in self._inflight:  # not collected yet by a wait
                self._collect([future])
        done, self._done = self._done, []
        return done

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _collect(self, futures: Iterable[Future[list[WriteResult]]]) -> None:
        for future in futures:
            batch = self._inflight.pop(future)
            try:
                self._done.append((batch, future.result()))
            except Exception as exc:  # noqa: BLE001 - kept and re-raised by the writer after the others finish
                self.error = self.error or exc
