"""Placeholder: the synthetic national set is being written."""

from __future__ import annotations

from pathlib import Path


def main(n: int, seed: int, out: Path, console, err_console) -> int:
    raise NotImplementedError("synth is not written yet")
