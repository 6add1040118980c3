"""Progress on the terminal for the long commands (import, collect,
classify and relabel, report, train): rich bars and spinners on stderr,
shown only when stderr is a terminal, so piped output and logs stay clean."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class Bars:
    """One bar per task on a shared display (a spinner while the total is unknown)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def update(self, key: str, description: str, done: int, total: int | None = None) -> None:
        if key not in self.tasks:
            self.tasks[key] = self.progress.add_task(description, total=total)
        self.progress.update(self.tasks[key], description=description, completed=done,
                             total=total)

    def step(self, description: str) -> None:
        """A stage with no count (a spinner with its name)."""
        self.update("step", description, 0, None)


@contextlib.contextmanager
def bars(console: Console | None = None) -> Iterator[Bars]:
    console = console or Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True, disable=not console.is_terminal) as progress:
        yield Bars(progress)


def page_counter(shown: Bars, key: str) -> Callable[[int, int], None]:
    """``(pages, posts)`` after each stored page of a collection or import."""
    def tick(pages: int, posts: int) -> None:
        shown.update(key, f"{key}: {pages:,} pages, {posts:,} posts read", pages)

    return tick
