"""The command line, run two ways: as a user runs it (a new interpreter) and in this process.

A new interpreter costs seconds of imports per call, so checks repeated over many cases run in
process; each module that does so keeps at least one run of the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )


def cli_in_process(*args: str) -> subprocess.CompletedProcess:
    """The same command through typer's test runner, with stdout and stderr kept apart."""
    from typer.testing import CliRunner

    from cluster_reports.cli import app

    result = CliRunner().invoke(app, list(args))
    # An exception escaping the command would have been a traceback on the user's console.
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)
