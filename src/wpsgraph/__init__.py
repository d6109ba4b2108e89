"""wpsgraph: Women, Peace and Security action plans as linked data.

The library API, stage by stage (see ``docs`` in the README):

>>> from wpsgraph import build_graph, validate, run_query, build_site, open_store
"""

from wpsgraph.build import BuildResult, build, build_graph
from wpsgraph.errors import DataError, Issue, WpsgraphError
from wpsgraph.query import list_queries, load_query, run_query
from wpsgraph.results import QueryResult
from wpsgraph.site import build_site
from wpsgraph.store import open_store
from wpsgraph.validate import Severity, ValidationReport, ValidationResult, validate

__version__ = "0.1.0"

__all__ = [
    "BuildResult",
    "DataError",
    "Issue",
    "QueryResult",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "WpsgraphError",
    "__version__",
    "build",
    "build_graph",
    "build_site",
    "list_queries",
    "load_query",
    "open_store",
    "run_query",
    "validate",
]
