"""Export profiles: built in, declared in the config file, guessed from columns."""

from __future__ import annotations

import pytest
import yaml

from connectors.social_profiles import (
    BUILTIN_PROFILES,
    get_profile,
    guess_profile,
    list_profiles,
    parse_social_profiles,
)
from connectors.social_records import UnknownProfileError

DECLARED = """
social_profiles:
  - name: kominfo_monitoring
    platform: twitter
    description: Spreadsheet exported by the regency's media monitoring team
    columns:
      text: Isi Cuitan
      posted_at: Waktu
      author: Akun
      likes: Suka
      post_id: ID
"""


@pytest.mark.parametrize(
    ("columns", "platform", "expected"),
    [
        (["date", "url", "user", "content", "label"], "twitter", "twitter_snscrape"),
        (["id", "text", "created_at", "public_metrics", "lang"], "twitter", "twitter_api_v2"),
        (["Tweet", "HS", "Abusive"], "twitter", "tweets_text_only"),
        (["Page Name", "Post Created", "Message", "Likes", "URL"], "facebook",
         "facebook_crowdtangle"),
        (["id", "caption", "timestamp", "ownerUsername", "likesCount"], None,
         "instagram_posts"),
        (["id", "text", "createTimeISO", "authorMeta", "diggCount"], "tiktok",
         "tiktok_videos"),
        (["cid", "text", "time", "author", "votes"], "youtube", "youtube_comments"),
        (["title", "source", "date", "time", "category", "content", "url"], None,
         "news_csv"),
    ],
)  # fmt: skip
def test_profile_is_guessed_from_the_columns(
    columns: list[str], platform: str | None, expected: str
) -> None:
    assert guess_profile(columns, BUILTIN_PROFILES, platform=platform).name == expected


def test_declared_profiles_come_from_the_config_section() -> None:
    section = yaml.safe_load(DECLARED)["social_profiles"]

    profiles = list_profiles(parse_social_profiles(section))

    chosen = guess_profile(["ID", "Akun", "Waktu", "Isi Cuitan", "Suka"], profiles)
    assert chosen.name == "kominfo_monitoring"
    assert get_profile("kominfo_monitoring", profiles).sources_of("text") == [
        "Isi Cuitan"
    ]


def test_a_profile_without_text_is_refused_with_its_position() -> None:
    with pytest.raises(UnknownProfileError, match=r"(?s)social_profiles\[0\].*text"):
        parse_social_profiles([{"name": "x", "platform": "twitter", "columns": {}}])


def test_no_fitting_profile_names_the_columns() -> None:
    with pytest.raises(UnknownProfileError, match="Kolom A"):
        guess_profile(["Kolom A", "Kolom B"], BUILTIN_PROFILES, platform="twitter")
