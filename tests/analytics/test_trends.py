"""Trend series and the Poisson spike rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from analytics.trends import PostFacts, compute_trends, detect_spikes, top_terms


def test_a_jump_over_a_quiet_week_is_a_spike() -> None:
    counts = [2, 3, 2, 1, 2, 3, 2, 12, 3]

    results = detect_spikes(counts, window=7)

    assert [spike for _, _, spike in results] == [False] * 7 + [True, False]
    baseline, z, _ = results[7]
    assert baseline == round(15 / 7, 3)
    assert z is not None
    assert z > 3


def test_a_small_rise_on_a_busy_series_is_not_a_spike() -> None:
    counts = [200, 210, 190, 205, 195, 200, 200, 230]

    assert not detect_spikes(counts, window=7)[-1][2]


def facts(
    hours: list[int], text: str = "jalan rusak", tags: tuple[str, ...] = ()
) -> list[PostFacts]:
    start = datetime(2024, 1, 1, 0, 30, tzinfo=UTC)
    return [
        PostFacts(i, start + timedelta(hours=h), text, tags, ("infrastructure",), ())
        for i, h in enumerate(hours)
    ]


def test_hourly_series_are_zero_filled_in_wib() -> None:
    posts = facts([0, 0, 3])

    series = compute_trends(posts, dimension="total", granularity="hour")[0]

    assert [p.count for p in series.points] == [2, 0, 0, 1]
    assert series.points[0].bucket.isoformat() == "2024-01-01T07:00:00+07:00"


def test_terms_hashtags_and_issues_are_counted_per_post() -> None:
    posts = facts([0, 1], "yang jalan rusak rusak di desa", ("jalanrusak",))

    terms = compute_trends(posts, dimension="term", granularity="day")
    hashtags = compute_trends(posts, dimension="hashtag", granularity="day")

    assert {s.key: s.total for s in terms} == {"jalan": 2, "rusak": 2, "desa": 2}
    assert hashtags[0].key == "jalanrusak"
    assert top_terms(posts, limit=1) == [("desa", 2)]
