"""Overlap parsing and writing: batches go to a writer thread through a bounded queue.

The database work (PostgreSQL's server, SQLite's C library) runs without the
GIL, so on two cores the next batch is parsed while the last one is written.
At most ``depth`` batches wait in the queue, so memory stays bounded.
"""

from __future__ import annotations

import queue
import threading

from whyno.ingest.loader import BatchCounts, RecordWriter
from whyno.ingest.records import DealRecord


class BackgroundWriter:
    """Feeds batches to a :class:`RecordWriter` on one worker thread."""

    def __init__(self, writer: RecordWriter, depth: int = 2) -> None:
        self.writer = writer
        self.counts = BatchCounts()
        self.batches = 0
        self._error: BaseException | None = None
        self._queue: queue.Queue[list[DealRecord] | None] = queue.Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._work, name="whyno-import-writer", daemon=True)
        self._thread.start()

    def submit(self, batch: list[DealRecord]) -> None:
        """Queue a batch (blocks while the queue is full); re-raises a writer failure."""
        if self._error is not None:
            raise self._error
        self._queue.put(batch)

    def close(self) -> BatchCounts:
        """Wait for every queued batch to be written; re-raises a writer failure."""
        self._stop()
        if self._error is not None:
            raise self._error
        return self.counts

    def abandon(self) -> None:
        """Stop the worker after the batch in hand, e.g. when the caller failed."""
        self._error = self._error or RuntimeError("import abandoned")
        self._stop()

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _work(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain without writing
            try:
                self.counts.add(self.writer.write(batch))
                self.batches += 1
                if self.batches & (self.batches - 1) == 0:  # 1, 2, 4, 8...
                    self.writer.refresh_statistics()
            except BaseException as exc:  # handed to the caller by submit/close
                self._error = exc
