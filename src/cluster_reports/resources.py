"""Where the shipped library is: the templates, the notebooks, the programme library and the sample.

An installed package carries them as package data (``cluster_reports/shipped/``, copied there from
the repository's top-level ``templates/``, ``notebooks/`` and ``params/`` when the wheel is built);
a source checkout (an editable install) reads those top-level folders themselves. A user's own
library is named on the command line (``--templates``, ``--notebooks``, ``--programmes``) or in a
notebook's parameters; the environment variables ``CLUSTER_REPORTS_TEMPLATES``,
``CLUSTER_REPORTS_NOTEBOOKS`` and ``CLUSTER_REPORTS_PROGRAMMES`` are the documented fallback.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

TEMPLATES_ENV = "CLUSTER_REPORTS_TEMPLATES"
NOTEBOOKS_ENV = "CLUSTER_REPORTS_NOTEBOOKS"
PROGRAMMES_ENV = "CLUSTER_REPORTS_PROGRAMMES"


class ResourceError(RuntimeError):
    """A library folder that was named, or that the installation should carry, is not there."""


def shipped(*parts: str) -> Path:
    """A folder of the shipped library: package data when installed, the source tree's otherwise."""
    packaged = Path(str(files("cluster_reports").joinpath("shipped", *parts)))
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]  # src/cluster_reports -> the repository
    if (checkout / "pyproject.toml").is_file() and checkout.joinpath(*parts).is_dir():
        return checkout.joinpath(*parts)
    raise ResourceError(
        f"this installation of cluster-reports lacks its {'/'.join(parts)} folder "
        f"(looked in {packaged}): reinstall it"
    )


def _chosen(given: Path | str | None, variable: str, what: str, option: str) -> Path | None:
    if given:
        where = f"{option} {given}"
    elif os.environ.get(variable):
        given, where = os.environ[variable], f"{variable}={os.environ[variable]}"
    else:
        return None
    path = Path(given).expanduser()
    if not path.is_dir():
        raise ResourceError(f"{where}: no such folder of {what}")
    return path.resolve()


def templates(given: Path | str | None = None) -> Path:
    """The template library: the one given, else $CLUSTER_REPORTS_TEMPLATES, else the shipped one."""
    chosen = _chosen(given, TEMPLATES_ENV, "templates", "--templates")
    if chosen is None:
        return shipped("templates")
    if not (chosen / "labels").is_dir() or not (chosen / "reference.docx").is_file():
        raise ResourceError(
            f"{chosen}: not a template library (it needs labels/ and reference.docx; "
            "start from a copy of the shipped one: cluster-reports init DIR --templates)"
        )
    return chosen


def notebooks(given: Path | str | None = None) -> Path:
    """The notebooks the papermill engine runs: given, else $CLUSTER_REPORTS_NOTEBOOKS, else shipped."""
    return _chosen(given, NOTEBOOKS_ENV, "notebooks", "--notebooks") or shipped("notebooks")


def programmes(given: Path | str | None = None) -> Path | None:
    """A programme library named by the user (option or $CLUSTER_REPORTS_PROGRAMMES), or None: then
    each cluster takes the nearest ``programmes/`` folder above it, else the shipped library."""
    return _chosen(given, PROGRAMMES_ENV, "programmes", "--programmes")


def shipped_programmes() -> Path:
    return shipped("params", "programmes")


def sample() -> Path:
    """The shipped sample: ``clusters/`` (the ten clusters of the 2004 study) and ``programmes/``."""
    return shipped("params")
