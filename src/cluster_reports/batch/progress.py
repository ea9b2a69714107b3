"""The batch's progress bar."""

from __future__ import annotations


class ProgressBar:
    """rich's progress bar (counts, elapsed, time left); plain lines when the console is no terminal.
    Used as ``with ProgressBar(console, what, total) as advance: ... advance(n)``."""

    def __init__(self, console, what: str, total: int):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task(what, total=total)

    def __enter__(self):
        self.progress.start()
        return lambda n: self.progress.advance(self.task, n)

    def __exit__(self, *exc):
        self.progress.stop()
        return False
