"""Weekly figures from storage, and the renderers that print them."""

from reports.compute import compute_figures
from reports.config import ReportSettings
from reports.context import ClassifierNote, ReportContext
from reports.figures import Figures
from reports.write import NoDataError, latest_complete_week, write_figures, write_report

__all__ = [
    "ClassifierNote",
    "Figures",
    "NoDataError",
    "ReportContext",
    "ReportSettings",
    "compute_figures",
    "latest_complete_week",
    "write_figures",
    "write_report",
]
