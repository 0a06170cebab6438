"""Every table of the store, imported in one place for alembic's autogenerate."""

from store.base import Base
from store.catalog import Agency, Dataset, DatasetColumn, IngestionRun, Source
from store.graph_tables import GraphEdge, GraphNode
from store.linking import LinkAssignment, LinkDecision, LinkEntity, LinkReview

__all__ = [
    "Agency",
    "Base",
    "Dataset",
    "DatasetColumn",
    "GraphEdge",
    "GraphNode",
    "IngestionRun",
    "LinkAssignment",
    "LinkDecision",
    "LinkEntity",
    "LinkReview",
    "Source",
]
