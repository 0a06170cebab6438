"""Every table of the store, imported in one place for alembic's autogenerate."""

from store.base import Base
from store.catalog import Agency, Dataset, DatasetColumn, IngestionRun, Source
from store.graph_tables import GraphEdge, GraphNode
from store.market import (
    CommodityPrice,
    MarketListing,
    MarketObservation,
    MarketSnapshot,
)
from store.social import (
    SocialEmbedding,
    SocialPost,
    SocialPostEntity,
    SocialPostIssue,
)

__all__ = [
    "Agency",
    "Base",
    "CommodityPrice",
    "Dataset",
    "DatasetColumn",
    "GraphEdge",
    "GraphNode",
    "IngestionRun",
    "MarketListing",
    "MarketObservation",
    "MarketSnapshot",
    "SocialEmbedding",
    "SocialPost",
    "SocialPostEntity",
    "SocialPostIssue",
    "Source",
]
