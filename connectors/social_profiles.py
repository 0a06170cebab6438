"""Column-mapping profiles of social-media export formats, built in or declared.

A profile maps our post fields to the columns (CSV) or dotted paths (JSON) of one
export format. New formats are declared in the config file's ``social_profiles:``
section (a list of profiles in the shape of ``SocialProfile``) and parsed with
``parse_social_profiles``; when no profile is named, ``guess_profile`` picks the
one whose columns best cover a file's columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from connectors.social_records import UnknownProfileError

PostField = Literal[
    "post_id", "author", "text", "title", "posted_at", "likes", "shares", "replies",
    "views", "url", "language", "reply_to", "quote_of", "source_name", "category",
]  # fmt: skip
PLATFORMS = ("twitter", "facebook", "instagram", "tiktok", "youtube", "news")


class SocialProfile(BaseModel):
    """How one export format names our post fields.

    ``columns`` maps a post field to one column or dotted JSON path, or to a list
    of them (the first non-empty wins). ``id_pattern`` is a regular expression
    whose first group extracts the id from the ``url`` when there is no id column.
    ``time_column`` adds a separate time-of-day column to ``posted_at``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9_\-]+$")
    platform: str
    description: str = ""
    columns: dict[PostField, str | list[str]]
    id_pattern: str | None = None
    time_column: str | None = None
    time_format: str | None = Field(
        default=None, description="strptime format; default: any format we read."
    )
    authors_public: bool = Field(
        default=False,
        description="Authors are pages, outlets or officials: kept in clear, not hashed.",
    )
    missing_values: list[str] = Field(default_factory=lambda: ["", "-", "null", "None"])
    kind: Literal["post", "article", "comment"] = "post"

    @field_validator("columns")
    @classmethod
    def _needs_text(cls, value: dict[str, Any]) -> dict[str, Any]:
        if "text" not in value:
            raise ValueError("a profile must map the 'text' field to a column")
        return value

    def sources_of(self, field: str) -> list[str]:
        """The columns or paths that may hold ``field``, in order of preference."""
        value = self.columns.get(field)  # type: ignore[call-overload]
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)

    def mapped_columns(self) -> set[str]:
        """Top-level column names this profile reads."""
        names = {
            path.split(".")[0] for f in self.columns for path in self.sources_of(f)
        }
        if self.time_column:
            names.add(self.time_column)
        return names


def _profile(**values: Any) -> SocialProfile:
    return SocialProfile.model_validate(values)


BUILTIN_PROFILES: tuple[SocialProfile, ...] = (
    _profile(
        name="twitter_snscrape",
        platform="twitter",
        description="snscrape / scraper CSV or JSONL of tweets (date, url, user, content).",
        columns={
            "post_id": ["id", "tweet_id"],
            "text": ["rawContent", "content", "renderedContent", "full_text"],
            "posted_at": "date",
            "author": ["user.username", "username", "user"],
            "likes": ["likeCount", "like_count"],
            "shares": ["retweetCount", "retweet_count"],
            "replies": ["replyCount", "reply_count"],
            "views": "viewCount",
            "url": "url",
            "language": "lang",
            "reply_to": "inReplyToTweetId",
            "quote_of": "quotedTweet.id",
        },
        id_pattern=r"/status(?:es)?/(\d+)",
    ),
    _profile(
        name="twitter_api_v2",
        platform="twitter",
        description="X API v2 tweet objects (JSON/JSONL) with public_metrics.",
        columns={
            "post_id": "id",
            "text": "text",
            "posted_at": "created_at",
            "author": ["author.username", "author_id"],
            "likes": "public_metrics.like_count",
            "shares": "public_metrics.retweet_count",
            "replies": "public_metrics.reply_count",
            "views": "public_metrics.impression_count",
            "language": "lang",
            "reply_to": "in_reply_to_status_id",
            "quote_of": "quoted_status_id",
        },
    ),
    _profile(
        name="tweets_text_only",
        platform="twitter",
        description="Tweet datasets with only a text column (labelled corpora).",
        columns={"text": ["Tweet", "tweet", "text"]},
    ),
    _profile(
        name="facebook_crowdtangle",
        platform="facebook",
        description="CrowdTangle CSV of Facebook page and group posts.",
        columns={
            "text": ["Message", "Description"],
            "posted_at": "Post Created",
            "author": ["Page Name", "Group Name", "User Name"],
            "likes": "Likes",
            "shares": "Shares",
            "replies": "Comments",
            "url": "URL",
            "title": "Link Text",
        },
        id_pattern=r"/posts/(\d+)",
        authors_public=True,
    ),
    _profile(
        name="facebook_graph",
        platform="facebook",
        description="Graph API page feed JSON (id, message, created_time).",
        columns={
            "post_id": "id",
            "text": "message",
            "posted_at": "created_time",
            "author": "from.name",
            "likes": ["reactions.summary.total_count", "likes.summary.total_count"],
            "shares": "shares.count",
            "replies": "comments.summary.total_count",
            "url": "permalink_url",
        },
        authors_public=True,
    ),
    _profile(
        name="instagram_posts",
        platform="instagram",
        description="Instagram scraper JSON (caption, timestamp, ownerUsername).",
        columns={
            "post_id": ["id", "shortCode"],
            "text": "caption",
            "posted_at": "timestamp",
            "author": "ownerUsername",
            "likes": "likesCount",
            "replies": "commentsCount",
            "views": "videoViewCount",
            "url": "url",
        },
    ),
    _profile(
        name="tiktok_videos",
        platform="tiktok",
        description="TikTok scraper JSON (text, createTimeISO, authorMeta.name).",
        columns={
            "post_id": "id",
            "text": "text",
            "posted_at": ["createTimeISO", "createTime"],
            "author": ["authorMeta.name", "author"],
            "likes": ["diggCount", "likes"],
            "shares": "shareCount",
            "replies": "commentCount",
            "views": "playCount",
            "url": "webVideoUrl",
        },
    ),
    _profile(
        name="youtube_comments",
        platform="youtube",
        description="youtube-comment-downloader JSONL (cid, text, time, author, votes).",
        columns={
            "post_id": "cid",
            "text": "text",
            "posted_at": ["time_parsed", "time"],
            "author": "author",
            "likes": "votes",
            "replies": "replies",
        },
        kind="comment",
    ),
    _profile(
        name="news_csv",
        platform="news",
        description="Article dumps (title, source, date, time, category, content, url).",
        columns={
            "post_id": ["id", "url", "link"],
            "title": "title",
            "text": ["content", "body", "text"],
            "posted_at": ["date", "published", "published_at"],
            "source_name": "source",
            "category": "category",
            "url": ["url", "link"],
            "author": "author",
        },
        time_column="time",
        authors_public=True,
        kind="article",
    ),
)


def parse_social_profiles(section: Any) -> list[SocialProfile]:
    """Profiles declared in a config file's ``social_profiles:`` list.

    Raises ``UnknownProfileError`` naming the entry and the invalid field.
    """
    if section is None:
        return []
    if not isinstance(section, list):
        raise UnknownProfileError(
            "social_profiles must be a list of profiles", value=type(section).__name__
        )
    profiles = []
    for index, entry in enumerate(section):
        try:
            profiles.append(SocialProfile.model_validate(entry))
        except ValidationError as error:
            raise UnknownProfileError(
                f"social_profiles[{index}] is not a valid profile: {error}"
            ) from error
    return profiles


def list_profiles(extra: Iterable[SocialProfile] = ()) -> list[SocialProfile]:
    """Declared profiles first (they may override a built-in name), then built-ins."""
    declared = list(extra)
    names = {profile.name for profile in declared}
    return declared + [p for p in BUILTIN_PROFILES if p.name not in names]


def get_profile(name: str, profiles: Sequence[SocialProfile]) -> SocialProfile:
    """The profile called ``name``; raises ``UnknownProfileError`` listing the known."""
    for profile in profiles:
        if profile.name == name:
            return profile
    known = ", ".join(sorted(profile.name for profile in profiles))
    raise UnknownProfileError(f"unknown social profile {name!r}; known: {known}")


def score_profile(profile: SocialProfile, columns: Iterable[str]) -> float:
    """How well a profile fits a file's columns: 0 when its text column is missing."""
    present = set(columns)
    if not any(path.split(".")[0] in present for path in profile.sources_of("text")):
        return 0.0
    fields = [f for f in profile.columns if f != "text"]
    hits = sum(
        any(path.split(".")[0] in present for path in profile.sources_of(f))
        for f in fields
    )
    return (1 + hits) / (1 + len(fields)) + 0.001 * (1 + hits)


def guess_profile(
    columns: Iterable[str],
    profiles: Sequence[SocialProfile],
    *,
    platform: str | None = None,
    path: str | None = None,
) -> SocialProfile:
    """The profile that best covers ``columns`` (of ``platform`` when given).

    Raises ``UnknownProfileError`` naming the columns when none maps the text.
    """
    names = list(columns)
    candidates = [p for p in profiles if platform in (None, p.platform)]
    scored = sorted(
        ((score_profile(p, names), p) for p in candidates),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if not scored or scored[0][0] == 0.0:
        raise UnknownProfileError(
            f"no {platform or 'social'} profile maps the text of this file; declare "
            "one under social_profiles: in the config file, or pass --profile",
            path=path,
            value=sorted(names),
        )
    return scored[0][1]


def profile_summaries(profiles: Sequence[SocialProfile]) -> list[Mapping[str, str]]:
    """Name, platform and description of each profile, for ``--help`` and docs."""
    return [
        {"name": p.name, "platform": p.platform, "description": p.description}
        for p in profiles
    ]
