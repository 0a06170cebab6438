"""Normalisation of post text, checked on the real tweet corpora."""

from __future__ import annotations

import csv
from pathlib import Path

from indonesian.normalise import normalise_text, split_hashtag, squeeze_stretched
from indonesian.slang import expand_slang, load_slang


def test_stretched_letters_are_squeezed() -> None:
    assert squeeze_stretched("mantaaaap bangeeet") == "mantap banget"
    assert squeeze_stretched("sekolah") == "sekolah"


def test_hashtags_mentions_urls_and_emoji_are_taken_out() -> None:
    result = normalise_text(
        "Mantaaap bgt #VaksinMerahPutih @budi_s https://t.co/x 😂🙏 gak yg anak2"
    )

    assert result.hashtags == ("vaksinmerahputih",)
    assert result.mentions == ("budi_s",)
    assert result.urls == ("https://t.co/x",)
    assert result.emoji == ("😂", "🙏")
    assert result.text == (
        "mantap banget vaksin merah putih tertawa mohon tidak yang anak-anak"
    )


def test_camel_case_hashtags_split_into_words() -> None:
    assert split_hashtag("VaksinMerahPutih") == "vaksin merah putih"
    assert split_hashtag("PPKMDarurat") == "ppkm darurat"


def test_slang_dictionary_agrees_with_the_kamus_alay(shared_data: Path) -> None:
    """Our own dictionary, checked against an independent one (CC BY-NC-SA, tests only)."""
    path = shared_data / "id-hatespeech-abusive" / "new_kamusalay.csv"
    with path.open(encoding="latin-1", newline="") as handle:
        pairs = {
            row[0].strip(): row[1].strip()
            for row in csv.reader(handle)
            if len(row) >= 2
        }
    shared = [word for word in load_slang() if word in pairs]

    agreeing = [w for w in shared if expand_slang(w) == pairs[w]]

    assert len(shared) >= 150
    assert len(agreeing) / len(shared) >= 0.7, sorted(
        (w, expand_slang(w), pairs[w]) for w in shared if w not in agreeing
    )[:40]


def test_every_hatespeech_tweet_normalises(shared_data: Path) -> None:
    path = shared_data / "id-hatespeech-abusive" / "re_dataset.csv"
    with path.open(encoding="latin-1", newline="") as handle:
        tweets = [row["Tweet"] for row in csv.DictReader(handle)]

    results = [normalise_text(tweet) for tweet in tweets]

    assert len(results) == 13_169
    expanded = sum(" yang " in f" {r.text} " for r in results)
    raw_yg = sum(" yg " in f" {t.lower()} " for t in tweets)
    assert raw_yg > 500
    assert expanded >= raw_yg
    assert all("yg" not in r.tokens for r in results)
