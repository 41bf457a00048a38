"""A progress bar for long work on a terminal; silence in CI logs and pipes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sized

MANY = 200  # below this, the work is over before a bar would help


def showing(count: int) -> bool:
    return count >= MANY and sys.stderr.isatty() and not os.environ.get("CI")


def track(items: Iterable, description: str, count: int | None = None) -> Iterable:
    """`items`, with a transient progress bar on stderr when it is a terminal and there are many."""
    count = count if count is not None else (len(items) if isinstance(items, Sized) else 0)
    if not showing(count):
        return items
    from rich.console import Console
    from rich.progress import track as rich_track

    return rich_track(items, description=description, total=count, console=Console(stderr=True), transient=True)
