"""The filter every Big Social read takes: time, platform, issue, sentiment, entity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.orm import aliased

from store.social import SocialPost, SocialPostEntity, SocialPostIssue

Ts = TypeVarTuple("Ts")


@dataclass(frozen=True)
class PostFilter:
    """Posts published in ``[since, until)`` matching every given list (any of it)."""

    since: datetime | None = None
    until: datetime | None = None
    platforms: Sequence[str] = ()
    kinds: Sequence[str] = ()
    sentiments: Sequence[str] = ()
    languages: Sequence[str] = ()
    issues: Sequence[str] = ()
    entities: Sequence[str] = ()
    text_contains: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        """SQL conditions on ``social_posts``."""
        clauses: list[ColumnElement[bool]] = []
        if self.since is not None:
            clauses.append(SocialPost.posted_at >= self.since)
        if self.until is not None:
            clauses.append(SocialPost.posted_at < self.until)
        for column, values in (
            (SocialPost.platform, self.platforms),
            (SocialPost.kind, self.kinds),
            (SocialPost.sentiment, self.sentiments),
            (SocialPost.language, self.languages),
        ):
            if values:
                clauses.append(column.in_(list(values)))
        if self.issues:
            clauses.append(has_issue(self.issues))
        if self.entities:
            clauses.append(mentions_entity(self.entities))
        if self.text_contains:
            clauses.append(
                SocialPost.normalised_text.contains(
                    self.text_contains.lower(), autoescape=True
                )
            )
        return clauses

    def apply(self, statement: Select[*Ts]) -> Select[*Ts]:
        clauses = self.clauses()
        return statement.where(*clauses) if clauses else statement


# The subqueries read aliases and correlate to the post only: a statement that
# itself selects from the issue or mention table (issue breakdown, share of
# voice) would otherwise absorb their FROM and leave them with none.


def has_issue(issues: Sequence[str]) -> ColumnElement[bool]:
    issue = aliased(SocialPostIssue)
    return exists(
        select(issue.post_id)
        .where(issue.post_id == SocialPost.id, issue.issue.in_(issues))
        .correlate(SocialPost)
    )


def mentions_entity(entities: Sequence[str]) -> ColumnElement[bool]:
    mention = aliased(SocialPostEntity)
    return exists(
        select(mention.post_id)
        .where(mention.post_id == SocialPost.id, mention.entity.in_(entities))
        .correlate(SocialPost)
    )
