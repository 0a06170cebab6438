"""Big Market's pieces built from settings: the service, region resolver, profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.market_service import MarketService, MarketSettings
from analytics.market_watch import WatchOptions
from app.settings import Settings
from connectors.market_profiles import MarketProfile, load_declared_profiles
from connectors.regency_names import RegencyNameResolver


def market_settings(settings: Settings) -> MarketSettings:
    watch = WatchOptions(
        threshold_percent=settings.market_alert_threshold_percent,
        window_days=settings.market_alert_window_days,
    )
    return MarketSettings(regency_code=settings.regency_code, watch=watch)


def create_market_service(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> MarketService:
    return MarketService(sessions, market_settings(settings))


def create_region_resolver(path: Path | None) -> RegencyNameResolver | None:
    """The resolver over the configured Kemendagri file, or None when none is set."""
    return RegencyNameResolver.from_file(path) if path else None


def load_config_profiles(config: Path | None) -> dict[str, MarketProfile]:
    """Profiles declared under ``market.profiles`` in the YAML config file.

    Example::

        market:
          profiles:
            kios_export:
              marketplace: tokopedia
              columns: {title: [Nama Produk], price: [Harga], sold: [Terjual]}
    """
    if config is None:
        return {}
    document: Any = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    market = document.get("market") or {} if isinstance(document, dict) else {}
    return load_declared_profiles(market.get("profiles") or {})
