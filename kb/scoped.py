"""Per-thread state for the duration of a `with` block (bulk sessions).

A bulk import defers work (index upkeep) to the end of its block; code deep inside needs to
know whether such a block is open in its thread and reach its state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class ThreadScoped(Generic[T]):
    """A value that exists in one thread while the outermost `open()` block runs."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._local = threading.local()

    def current(self) -> T | None:
        return getattr(self._local, "value", None)

    @contextmanager
    def open(self) -> Iterator[tuple[T, bool]]:
        """Yields (value, outermost); a nested block shares the outer block's value."""
        existing = self.current()
        if existing is not None:
            yield existing, False
            return
        value = self._local.value = self._factory()
        try:
            yield value, True
        finally:
            self._local.value = None

    def close(self) -> None:
        """End the value early (its block then finishes without it)."""
        self._local.value = None
