"""Creating the Big Social service from settings and the config file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analytics.social_config import SocialAnalyticsConfig, parse_social_config
from analytics.social_service import SocialService
from app.settings import Settings, SettingsError
from connectors.social_profiles import SocialProfile, parse_social_profiles
from resolvers.context import Services

SOCIAL_SERVICE = "social"


def sentiment_model_path(settings: Settings) -> Path:
    """Where ``bigone train sentiment`` writes the model: the data folder."""
    return settings.data_dir / "models" / "sentiment.joblib"


def read_config_document(path: Path | None) -> dict[str, Any]:
    """The parsed config file, or an empty mapping when there is none."""
    if path is None:
        return {}
    try:
        document = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"cannot read config file {path}: {error}") from error
    if not isinstance(document, dict):
        raise SettingsError(f"config file {path} must hold a mapping at the top level")
    return document


def load_social_sections(
    settings: Settings,
) -> tuple[SocialAnalyticsConfig, list[SocialProfile]]:
    """The Big Social config and the declared export profiles."""
    document = read_config_document(settings.config)
    config = parse_social_config(document)
    profiles = parse_social_profiles(document.get("social_profiles"))
    return config, profiles


def create_social_service(settings: Settings, services: Services) -> SocialService:
    """The Big Social service over the process-wide services."""
    config, profiles = load_social_sections(settings)
    return SocialService(
        services.sessions,
        services.graph,
        services.embedder,
        config=config,
        model_path=sentiment_model_path(settings),
        author_salt=settings.secret_key.get_secret_value(),
        profiles=profiles,
    )
