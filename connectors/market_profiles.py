"""Column-mapping profiles: which column of a marketplace export holds which field.

A profile lists, for each listing field, the column names (or dotted paths into
nested JSON, such as ``item_rating.rating_star``) that may hold it; the first
one present in a row wins. Built-in profiles cover the export styles of
Tokopedia, Shopee, Bukalapak, Lazada and TikTok Shop, plus a generic one; a
deployment declares more in its config file under ``market.profiles``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors.base import ConnectorError

ListingField = Literal[
    "listing_id", "url", "title", "shop", "shop_location", "category",
    "price", "price_max", "original_price", "discount", "stock", "sold",
    "rating", "review_count", "observed_at",
]  # fmt: skip
MARKETPLACES = ("tokopedia", "shopee", "bukalapak", "lazada", "tiktok_shop")


class ProfileError(ConnectorError):
    """Raised when a profile is unknown or a declared profile is invalid."""


class MarketProfile(BaseModel):
    """How to read one marketplace's export: candidate columns per field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="Name used by `--profile`.")
    marketplace: str | None = Field(
        default=None, description="The marketplace it is for; None fits any."
    )
    columns: dict[ListingField, tuple[str, ...]] = Field(
        description="For each field, the columns that may hold it, first match wins."
    )
    price_divisor: Decimal = Field(
        default=Decimal(1),
        gt=0,
        description="Divide prices by this (Shopee's API prints rupiah x 100000).",
    )

    def candidates(self, field: ListingField) -> tuple[str, ...]:
        return self.columns.get(field, ())


def _profile(
    name: str, marketplace: str | None, **columns: tuple[str, ...]
) -> MarketProfile:
    return MarketProfile.model_validate(
        {"name": name, "marketplace": marketplace, "columns": columns}
    )


GENERIC = _profile(
    "generic",
    None,
    listing_id=("listing_id", "product_id", "item_id", "id"),
    url=("url", "product_url", "link"),
    title=("title", "name", "product_name", "Product Name", "nama_produk", "nama"),
    shop=("shop", "shop_name", "seller", "seller_name", "toko", "nama_toko"),
    shop_location=("shop_location", "location", "Location", "city", "lokasi", "kota"),
    category=("category", "Category", "kategori"),
    price=("price", "Price", "harga"),
    price_max=("price_max", "harga_maks"),
    original_price=("original_price", "harga_asli", "harga_coret"),
    discount=("discount", "diskon"),
    stock=("stock", "stok"),
    sold=("sold", "sold_count", "Number Sold", "terjual"),
    rating=("rating", "Overall Rating"),
    review_count=("review_count", "Total Review", "ulasan", "reviews"),
    observed_at=("observed_at", "scraped_at", "timestamp", "waktu"),
)

BUILT_IN_PROFILES: dict[str, MarketProfile] = {
    "generic": GENERIC,
    "tokopedia": _profile(
        "tokopedia",
        "tokopedia",
        listing_id=("product_id", "productId", "id"),
        url=("url", "product_url", "productUrl"),
        title=("name", "product_name", "Product Name", "title"),
        shop=("shop.name", "shop_name", "Shop Name", "shop"),
        shop_location=("shop.city", "shop_location", "Location", "location", "city"),
        category=("category", "Category", "category_name"),
        price=("price", "Price", "price_text"),
        original_price=("original_price", "slash_price", "originalPrice"),
        discount=("discount_percentage", "discount", "discountPercentage"),
        stock=("stock",),
        sold=("sold", "Number Sold", "count_sold", "label_sold"),
        rating=("rating", "Overall Rating", "rating_average"),
        review_count=("review_count", "Total Review", "count_review", "countReview"),
        observed_at=("observed_at", "scraped_at", "crawled_at"),
    ),
    "shopee": _profile(
        "shopee",
        "shopee",
        listing_id=("itemid", "item_id", "product_id"),
        url=("url", "product_url", "link"),
        title=("name", "title", "product_name"),
        shop=("shop_name", "shopname", "shop"),
        shop_location=("shop_location", "location"),
        category=("category", "category_name"),
        price=("price", "price_min"),
        price_max=("price_max",),
        original_price=("price_before_discount", "original_price"),
        discount=("raw_discount", "discount"),
        stock=("stock",),
        sold=("historical_sold", "sold", "sold_text"),
        rating=("item_rating.rating_star", "rating_star", "rating"),
        review_count=("cmt_count", "rating_count", "review_count"),
        observed_at=("observed_at", "scraped_at", "ctime_scraped"),
    ),
    "bukalapak": _profile(
        "bukalapak",
        "bukalapak",
        listing_id=("id", "product_id", "sku_id"),
        url=("url",),
        title=("name", "title"),
        shop=("store.name", "store_name", "shop"),
        shop_location=("store.address.city", "city", "location"),
        category=("category.name", "category"),
        price=("price",),
        original_price=("original_price",),
        discount=("discount_percentage", "discount"),
        stock=("stock",),
        sold=("stats.sold_count", "sold_count", "sold"),
        rating=("rating.average_rate", "rating"),
        review_count=("rating.user_count", "review_count"),
        observed_at=("observed_at", "scraped_at"),
    ),
    "lazada": _profile(
        "lazada",
        "lazada",
        listing_id=("itemId", "item_id", "nid"),
        url=("itemUrl", "productUrl", "url"),
        title=("name", "title"),
        shop=("sellerName", "seller_name", "brandName"),
        shop_location=("location", "shop_location"),
        category=("category", "categories"),
        price=("price", "priceShow"),
        original_price=("originalPrice", "originalPriceShow"),
        discount=("discount",),
        stock=("stock",),
        sold=("itemSoldCntShow", "sold"),
        rating=("ratingScore", "rating"),
        review_count=("review", "review_count"),
        observed_at=("observed_at", "scraped_at"),
    ),
    "tiktok_shop": _profile(
        "tiktok_shop",
        "tiktok_shop",
        listing_id=("product_id", "id"),
        url=("product_url", "url"),
        title=("product_name", "title", "name"),
        shop=("shop_name", "seller_name"),
        shop_location=("shop_location", "location"),
        category=("category", "category_name"),
        price=("sale_price", "price"),
        original_price=("original_price", "list_price"),
        discount=("discount", "discount_percent"),
        stock=("stock",),
        sold=("sold_count", "sales", "sold"),
        rating=("rating", "product_rating"),
        review_count=("review_count", "reviews"),
        observed_at=("observed_at", "scraped_at"),
    ),
}


def load_declared_profiles(section: Mapping[str, Any]) -> dict[str, MarketProfile]:
    """Profiles declared in a config section ``{name: {marketplace, columns, ...}}``.

    Raises ``ProfileError`` naming the profile and the field that is wrong.
    """
    profiles: dict[str, MarketProfile] = {}
    for name, body in section.items():
        try:
            profiles[name] = MarketProfile.model_validate({"name": name, **body})
        except (ValidationError, TypeError) as error:
            raise ProfileError(
                f"market profile {name!r} is invalid: {error}"
            ) from error
    return profiles


def get_profile(
    marketplace: str,
    name: str | None = None,
    declared: Mapping[str, MarketProfile] | None = None,
) -> MarketProfile:
    """The profile named ``name``, else the marketplace's own, else ``generic``.

    Declared profiles win over built-in ones of the same name. Raises
    ``ProfileError`` when ``name`` is given but no such profile exists.
    """
    profiles = {**BUILT_IN_PROFILES, **(declared or {})}
    if name is None:
        return profiles.get(marketplace, GENERIC)
    if name not in profiles:
        known = ", ".join(sorted(profiles))
        raise ProfileError(f"no market profile {name!r}; known profiles: {known}")
    return profiles[name]
