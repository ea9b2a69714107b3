"""Placeholder: the batch engine on Dask is being written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BatchOptions:
    params_dir: Path
    out: Path
    kinds: list[str]
    langs: list[str]
    formats: list[str]
    workers: int = 2
    scheduler: str | None = None
    engine: str = "direct"
    force: bool = False


def main(options: BatchOptions, console, err_console) -> int:
    raise NotImplementedError("batch is not written yet")
