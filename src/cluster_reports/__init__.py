"""cluster-reports: documents of the SME cluster-development method for Indonesian sentra."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cluster-reports")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
