"""Big Social tables: posts and news articles, their issues, entity mentions and
the embedding cache.

A post is addressed by ``(platform, post_id)``; sources without ids get
``post_id = "h:" + content_hash`` so that re-ingesting them adds nothing. Authors
that are private persons are stored only as a salted hash (``author_hashed``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime, utcnow


class SocialPost(Base):
    """One social-media post or news article, with what analytics derived from it."""

    __tablename__ = "social_posts"
    __table_args__ = (
        UniqueConstraint("platform", "post_id"),
        Index("ix_social_posts_platform_posted_at", "platform", "posted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16), default="post")
    author: Mapped[str | None] = mapped_column(String(128), index=True)
    author_hashed: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    normalised_text: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer, default=420)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(2000))
    language: Mapped[str] = mapped_column(String(8), default="und")
    reply_to: Mapped[str | None] = mapped_column(String(128))
    quote_of: Mapped[str | None] = mapped_column(String(128))
    source_name: Mapped[str | None] = mapped_column(String(255))
    category: Mapped[str | None] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    hashtags: Mapped[list[Any]] = mapped_column(default=list)
    mentions: Mapped[list[Any]] = mapped_column(default=list)
    sentiment: Mapped[str | None] = mapped_column(String(16), index=True)
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ingestion_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingestion_runs.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SocialPostIssue(Base):
    """An issue of the taxonomy assigned to a post, with its confidence (0..1)."""

    __tablename__ = "social_post_issues"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("social_posts.id", ondelete="CASCADE"), primary_key=True
    )
    issue: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(32))


class SocialPostEntity(Base):
    """A tracked entity (official, agency, brand) that a post mentions."""

    __tablename__ = "social_post_entities"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("social_posts.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(128), primary_key=True, index=True)
    alias: Mapped[str] = mapped_column(String(255))


class SocialEmbedding(Base):
    """The embedding of a normalised text, cached by its hash and the model."""

    __tablename__ = "social_embeddings"

    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(255), primary_key=True)
    dimensions: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
