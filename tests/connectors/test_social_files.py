"""Reading exports: the real tweet and news files, JSON and JSONL shapes, errors."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest

from connectors.social_files import iter_raw_posts, read_source_file
from connectors.social_profiles import get_profile, list_profiles
from connectors.social_records import SocialInputError
from tests.social_support import read_posts


def test_vaccine_tweets_read_with_ids_from_urls(shared_data: Path) -> None:
    path = shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv"

    posts = read_posts(path, "twitter")

    assert len(posts) == 3595
    first = posts[0]
    assert first.post_id == "1433243048603881473"
    assert first.author == "no_nykrstnd"
    assert first.posted_at is not None
    assert first.posted_at.isoformat() == "2021-09-02T01:39:05+00:00"
    assert len({p.post_id for p in posts}) == 3595


def test_hatespeech_tweets_are_read_as_cp1252(shared_data: Path) -> None:
    path = shared_data / "id-hatespeech-abusive" / "re_dataset.csv"

    source = read_source_file(path)
    posts = read_posts(path, "twitter")

    assert source.encoding == "cp1252"
    assert len(posts) == 13_169
    assert all(p.post_id is None and p.posted_at is None for p in posts)


def tweets_as_api_objects(shared_data: Path) -> list[dict[str, object]]:
    path = shared_data / "vaksin-covid-tweets-2021" / "sample-data.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:50]
    return [
        {
            "id": row["url"].rsplit("/", 1)[1],
            "text": row["content"],
            "created_at": row["date"].replace(" ", "T"),
            "author": {"username": row["user"]},
            "public_metrics": {
                "like_count": "1,2K",
                "retweet_count": 3,
                "reply_count": 0,
            },
        }
        for row in rows
    ]


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
def test_json_and_jsonl_exports_map_nested_fields(
    shared_data: Path, tmp_path: Path, suffix: str
) -> None:
    objects = tweets_as_api_objects(shared_data)
    path = tmp_path / f"tweets.{suffix}"
    if suffix == "json":
        path.write_text(json.dumps({"data": objects}), "utf-8")
    else:
        path.write_text("\n".join(json.dumps(o) for o in objects), "utf-8")

    posts = read_posts(path, "twitter")

    assert len(posts) == 50
    assert posts[0].likes == 1200
    assert posts[0].shares == 3
    assert posts[0].author == objects[0]["author"]["username"]  # type: ignore[index]


def test_youtube_comments_with_relative_times(tmp_path: Path) -> None:
    path = tmp_path / "comments.jsonl"
    rows = [
        {"cid": "Ug1", "text": "Dalan e rusak pak bupati 😡", "time": "3 jam yang lalu",
         "author": "@warga", "votes": "12", "replies": "1"},
        {"cid": "Ug1.r1", "text": "setuju", "time": "2 jam yang lalu", "author": "@b",
         "votes": "0", "replies": "0"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")

    posts = read_posts(path, "youtube")

    assert [p.post_id for p in posts] == ["Ug1", "Ug1.r1"]
    assert posts[0].likes == 12
    assert posts[0].kind == "comment"
    assert posts[0].posted_at is not None
    assert posts[1].posted_at is not None
    assert posts[1].posted_at - posts[0].posted_at == timedelta(hours=1)


def test_a_bad_count_names_file_line_field_and_value(tmp_path: Path) -> None:
    path = tmp_path / "fb.csv"
    path.write_text(
        "Page Name,Post Created,Message,Likes,URL\n"
        "Pemkab,2024-01-02 10:00:00,Jalan baru diresmikan,12,https://fb.com/p/posts/1\n"
        "Pemkab,2024-01-03 10:00:00,Rapat koordinasi,banyak,https://fb.com/p/posts/2\n",
        "utf-8",
    )
    profile = get_profile("facebook_crowdtangle", list_profiles())

    with pytest.raises(SocialInputError) as raised:
        list(iter_raw_posts(read_source_file(path), profile))

    message = str(raised.value)
    assert "fb.csv" in message
    assert "line 3" in message
    assert "'Likes'" in message
    assert "'banyak'" in message


def test_a_bad_date_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        "title,source,date,time,category,content,url\n"
        "Banjir,x,Oktober 19 2019 pagi,-,-,Banjir di Tegal,https://x/1\n",
        "utf-8",
    )

    with pytest.raises(SocialInputError, match=r"line 2.*'date'"):
        read_posts(path, "news")
