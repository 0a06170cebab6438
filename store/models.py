"""Every table of the store, imported in one place for alembic's autogenerate."""

from store.base import Base
from store.catalog import Agency, Dataset, DatasetColumn, IngestionRun, Source
from store.files import FileDataset
from store.graph_tables import GraphEdge, GraphNode
from store.linking import LinkAssignment, LinkDecision, LinkEntity, LinkReview
from store.market import (
    CommodityPrice,
    MarketListing,
    MarketObservation,
    MarketSnapshot,
)
from store.regions import Region
from store.social import (
    SocialEmbedding,
    SocialPost,
    SocialPostEntity,
    SocialPostIssue,
)
from store.stewardship import MetadataChange

__all__ = [
    "Agency",
    "Base",
    "CommodityPrice",
    "Dataset",
    "DatasetColumn",
    "FileDataset",
    "GraphEdge",
    "GraphNode",
    "IngestionRun",
    "LinkAssignment",
    "LinkDecision",
    "LinkEntity",
    "LinkReview",
    "MarketListing",
    "MarketObservation",
    "MarketSnapshot",
    "MetadataChange",
    "Region",
    "SocialEmbedding",
    "SocialPost",
    "SocialPostEntity",
    "SocialPostIssue",
    "Source",
]
