"""Every shared KPI (design.md "Shared KPIs" ★), registered by source app.

Importing this package registers all metrics in `registry`; metrics whose
source models have not landed report `available == False` and are skipped.
"""

from . import alignment, crm, feedback, leads  # noqa: F401  (registration side effects)
from .base import ALL_DIMENSIONS, Figures, Metric, Window, registry

__all__ = ["ALL_DIMENSIONS", "Figures", "Metric", "Window", "registry"]
