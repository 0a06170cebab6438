"""Every table of the store, imported in one place for alembic's autogenerate."""

from store.base import Base
from store.catalog import Agency, Dataset, DatasetColumn, IngestionRun, Source
from store.graph_tables import GraphEdge, GraphNode
from store.security import ApiKey, AuditEvent

__all__ = [
    "Agency",
    "ApiKey",
    "AuditEvent",
    "Base",
    "Dataset",
    "DatasetColumn",
    "GraphEdge",
    "GraphNode",
    "IngestionRun",
    "Source",
]
