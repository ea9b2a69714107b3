"""The input schema: one pydantic model per kind of params file.

- ``<cluster-id>.yaml``: the cluster (``ClusterParams``), the input of the profiling report;
- ``<cluster-id>.strategy.yaml``, ``.plan.yaml``, ``.monitoring.yaml``: sidecar files beside it,
  each added when the method reaches that step; ``.overrides.yaml``: reviewers' wording;
- ``params/programmes/*.yaml``: the shared programme library;
- ``params/publication.yaml``: the covers' agency, logo, status and version (``Publication``).
"""

from .cluster import *  # noqa: F403 - the cluster schema is the package's main surface
from .cluster import ACTION_CAPACITY_MAX, DATA_SECTIONS, GROWTH_OPPORTUNITY_MAX  # noqa: F401
from .common import (  # noqa: F401
    Condition,
    DataSource,
    NonEmpty,
    Provenance,
    Rupiah,
    Slug,
    Source,
    SourceKind,
    Strict,
    Text,
    Untranslated,
)
from .library import Library, LibraryProgramme  # noqa: F401
from .monitoring import Monitoring  # noqa: F401
from .overrides import Overrides  # noqa: F401
from .plan import BudgetLine, Funding, Plan, Programme  # noqa: F401
from .publication import Publication, Status  # noqa: F401
from .strategy import Strategy  # noqa: F401

# Sidecar files beside a cluster's params file, in the order they are validated (a later one may
# refer to an earlier one: monitoring to the plan).
PARTS = {"strategy": Strategy, "plan": Plan, "monitoring": Monitoring, "overrides": Overrides}
