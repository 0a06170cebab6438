"""Shared pieces of the Big Social tests: the trained model, the vaccine brands,
and readers of the real files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analytics.sentiment import (
    SentimentModel,
    save_sentiment_model,
    train_sentiment_model,
)
from analytics.social_config import SocialAnalyticsConfig, parse_social_config
from connectors.social_files import choose_profile, iter_raw_posts, read_source_file
from connectors.social_profiles import list_profiles
from connectors.social_records import RawPost

VACCINE_CONFIG = """
tracked_entities:
  - {key: sinovac, name: Sinovac, kind: brand, aliases: [CoronaVac, Sinovack]}
  - {key: astrazeneca, name: AstraZeneca, kind: brand, aliases: [Astra Zeneca, Astrazeneka]}
  - {key: pfizer, name: Pfizer, kind: brand, aliases: [BioNTech, Pfizer-BioNTech]}
  - {key: moderna, name: Moderna, kind: brand}
  - {key: merah-putih, name: Vaksin Merah Putih, kind: brand}
  - {key: nusantara, name: Vaksin Nusantara, kind: brand, aliases: [Vaknus]}
"""


def vaccine_config() -> SocialAnalyticsConfig:
    return parse_social_config(yaml.safe_load(VACCINE_CONFIG))


def read_posts(path: Path, platform: str) -> list[RawPost]:
    source = read_source_file(path)
    profile = choose_profile(source, list_profiles(), platform=platform, name=None)
    return list(iter_raw_posts(source, profile))


@pytest.fixture(scope="session")
def trained_sentiment(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SentimentModel, Path]:
    """The sentiment model trained once per run from SmSA, and its file."""
    model = train_sentiment_model(shared_data / "indonlu-smsa")
    path = tmp_path_factory.mktemp("models") / "sentiment.joblib"
    save_sentiment_model(model, path)
    return model, path
