"""Every table of the store, imported in one place for alembic's autogenerate."""

from store.base import Base
from store.catalog import Agency, Dataset, DatasetColumn, IngestionRun, Source
from store.files import FileDataset
from store.graph_tables import GraphEdge, GraphNode
from store.regions import Region
from store.stewardship import MetadataChange
from store.social import (
    SocialEmbedding,
    SocialPost,
    SocialPostEntity,
    SocialPostIssue,
from store.market import (
    CommodityPrice,
    MarketListing,
    MarketObservation,
    MarketSnapshot,
    MarketTitleEmbedding,
)
from store.linking import LinkAssignment, LinkDecision, LinkEntity, LinkReview

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
    "MetadataChange",
    "Region",
    "SocialEmbedding",
    "SocialPost",
    "SocialPostEntity",
    "SocialPostIssue",
    "MarketListing",
    "MarketObservation",
    "MarketSnapshot",
    "MarketTitleEmbedding",
    "LinkAssignment",
    "LinkDecision",
    "LinkEntity",
    "LinkReview",
    "Source",
]
