"""Product identity: the same product across shops, snapshots and marketplaces.

Listings are grouped in three steps:

1. **Normalised title**: case, accents, punctuation and promotional words
   ("PROMO", "ready stock", "COD", ...) removed; equal titles form a group.
2. **Price sanity**: a group is split where prices jump by more than
   ``max_price_ratio`` (a 250 ml and a 1 litre bottle sold under one title).
3. **Embedding similarity**: groups whose titles embed within
   ``min_similarity`` (cosine, the shared ``Embedder``) join one product, but
   only when the numbers in their titles agree ("400gr", "C920", "24 karat")
   and their prices pass the same sanity check.

Each product becomes an ``Entity`` node of kind ``product`` in the graph, with a
``SOLD_BY`` edge to each shop (an ``Entity`` of kind ``organisation``) that
lists it; each listing records its product id in the store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graph.base import EdgeInput, GraphStore, NodeInput
from linking.embedder import Embedder, Vectors
from store.engine import transaction
from store.market import MarketListing, MarketObservation

PROMO_WORDS = frozenset(
    {
        "promo", "sale", "flash", "diskon", "murah", "termurah", "ready", "stock",
        "stok", "cod", "ori", "original", "bestseller", "best", "seller", "hot",
        "new", "terbaru", "grosir", "gratis", "ongkir", "free",
    }
)  # fmt: skip
BATCH = 500


@dataclass(frozen=True)
class ProductMatchingOptions:
    """Thresholds of product identity; the defaults suit marketplace titles."""

    min_similarity: float = 0.92
    max_price_ratio: Decimal = Decimal(2)


@dataclass(frozen=True)
class ListingForMatching:
    id: int
    marketplace: str
    title: str
    shop: str | None
    shop_location: str | None
    region_code: str | None
    price: Decimal | None


@dataclass
class ProductCluster:
    """Listings judged to be one product."""

    id: str = ""
    listings: list[ListingForMatching] = field(default_factory=list)
    normalised_titles: set[str] = field(default_factory=set)
    numbers: frozenset[str] = frozenset()

    @property
    def prices(self) -> list[Decimal]:
        return [item.price for item in self.listings if item.price is not None]

    @property
    def name(self) -> str:
        return Counter(item.title for item in self.listings).most_common(1)[0][0]


@dataclass(frozen=True)
class ProductLinkResult:
    listings: int
    products: int
    shops: int
    sold_by_edges: int


def normalise_title(title: str) -> str:
    """Lower-case ASCII words without punctuation or promotional words."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", folded.lower()).split()
    return " ".join(word for word in words if word not in PROMO_WORDS)


def title_numbers(normalised: str) -> frozenset[str]:
    """The words of a title that hold digits: sizes, model numbers, counts."""
    return frozenset(
        word for word in normalised.split() if any(c.isdigit() for c in word)
    )


def prices_agree(a: Sequence[Decimal], b: Sequence[Decimal], ratio: Decimal) -> bool:
    """Whether all prices of both sides lie within ``ratio`` of each other."""
    prices = [*a, *b]
    if not prices or min(prices) <= 0:
        return True
    return max(prices) <= min(prices) * ratio


def split_by_price(
    items: list[ListingForMatching], ratio: Decimal
) -> list[list[ListingForMatching]]:
    """Listings of one title in price bands no wider than ``ratio``."""
    priced = sorted((i for i in items if i.price), key=lambda i: i.price or 0)
    bands: list[list[ListingForMatching]] = []
    for item in priced:
        if bands and (item.price or 0) <= (bands[-1][0].price or 0) * ratio:
            bands[-1].append(item)
        else:
            bands.append([item])
    unpriced = [i for i in items if not i.price]
    if not bands:
        return [unpriced] if unpriced else []
    bands[0].extend(unpriced)
    return bands


def group_listings(
    listings: Sequence[ListingForMatching], options: ProductMatchingOptions
) -> list[ProductCluster]:
    """Step 1 and 2: one cluster per normalised title and price band."""
    by_title: dict[str, list[ListingForMatching]] = defaultdict(list)
    for item in listings:
        by_title[normalise_title(item.title) or item.title.casefold()].append(item)
    clusters: list[ProductCluster] = []
    for title in sorted(by_title):
        for band in split_by_price(by_title[title], options.max_price_ratio):
            clusters.append(
                ProductCluster(
                    listings=band,
                    normalised_titles={title},
                    numbers=title_numbers(title),
                )
            )
    return clusters


def merge_similar(
    groups: list[ProductCluster], vectors: Vectors, options: ProductMatchingOptions
) -> list[ProductCluster]:
    """Step 3: join each group to the most similar earlier product that agrees.

    Greedy in a fixed order (larger groups first), so the outcome does not
    depend on the order listings were read in.
    """
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i].listings), i))
    products: list[ProductCluster] = []
    anchors: list[int] = []
    for index in order:
        group = groups[index]
        target = _best_match(group, index, products, anchors, vectors, options)
        if target is None:
            products.append(group)
            anchors.append(index)
            continue
        target.listings.extend(group.listings)
        target.normalised_titles |= group.normalised_titles
    return products


def _best_match(
    group: ProductCluster,
    index: int,
    products: list[ProductCluster],
    anchors: list[int],
    vectors: Vectors,
    options: ProductMatchingOptions,
) -> ProductCluster | None:
    if not products:
        return None
    scores = vectors[anchors] @ vectors[index]
    for candidate in np.argsort(-scores, kind="stable"):
        if scores[candidate] < options.min_similarity:
            return None
        product = products[int(candidate)]
        if product.numbers == group.numbers and prices_agree(
            product.prices, group.prices, options.max_price_ratio
        ):
            return product
    return None


def product_id(cluster: ProductCluster) -> str:
    """A stable id from the product's first title and lowest price band."""
    anchor = min(cluster.normalised_titles)
    low = min(cluster.prices) if cluster.prices else ""
    digest = hashlib.sha256(f"{anchor}\x1f{low}".encode()).hexdigest()[:24]
    return f"product:{digest}"


def shop_id(marketplace: str, shop: str) -> str:
    """The stable id of a shop entity: one per shop name per marketplace."""
    key = f"{marketplace}\x1f{' '.join(shop.casefold().split())}"
    return f"shop:{hashlib.sha256(key.encode()).hexdigest()[:24]}"


class ProductLinker:
    """Assigns every listing of the store to a product and writes the graph.

    Reads all listings with their latest price, so one run sees every
    marketplace at once. Safe to share; runs are not meant to overlap.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        graph: GraphStore,
        embedder: Embedder,
        options: ProductMatchingOptions | None = None,
    ) -> None:
        self.sessions = sessions
        self.graph = graph
        self.embedder = embedder
        self.options = options or ProductMatchingOptions()

    async def link_products(self) -> ProductLinkResult:
        """Cluster listings into products, store their ids and write the graph.

        Returns counts of what was written. Raises ``GraphError`` when the graph
        refuses a write (the store's product ids are kept: running again repairs).
        """
        listings = await self._load_listings()
        groups = group_listings(listings, self.options)
        titles = [min(group.normalised_titles) for group in groups]
        vectors = await self.embedder.encode_async(titles)
        products = merge_similar(groups, vectors, self.options)
        for product in products:
            product.id = product_id(product)
        await self._store_product_ids(products)
        return await self._write_graph(products, groups, vectors)

    async def _load_listings(self) -> list[ListingForMatching]:
        latest = (
            select(
                MarketObservation.listing_id,
                func.max(MarketObservation.observed_at).label("at"),
            )
            .group_by(MarketObservation.listing_id)
            .subquery()
        )
        query = (
            select(MarketListing, MarketObservation.price)
            .outerjoin(latest, latest.c.listing_id == MarketListing.id)
            .outerjoin(
                MarketObservation,
                (MarketObservation.listing_id == MarketListing.id)
                & (MarketObservation.observed_at == latest.c.at),
            )
            .order_by(MarketListing.id)
        )
        async with self.sessions() as session:
            rows = (await session.execute(query)).all()
        seen: dict[int, ListingForMatching] = {}
        for listing, price in rows:
            seen.setdefault(listing.id, _for_matching(listing, price))
        return list(seen.values())

    async def _store_product_ids(self, products: list[ProductCluster]) -> None:
        values = [
            {"id": item.id, "product_id": product.id}
            for product in products
            for item in product.listings
        ]
        async with transaction(self.sessions) as session:
            for start in range(0, len(values), BATCH):
                await session.execute(
                    update(MarketListing), values[start : start + BATCH]
                )

    async def _write_graph(
        self,
        products: list[ProductCluster],
        groups: list[ProductCluster],
        vectors: Vectors,
    ) -> ProductLinkResult:
        vector_of = {min(g.normalised_titles): vectors[i] for i, g in enumerate(groups)}
        product_nodes = [
            _product_node(p, vector_of[min(p.normalised_titles)]) for p in products
        ]
        shop_nodes: dict[str, NodeInput] = {}
        edges: dict[str, EdgeInput] = {}
        for product in products:
            for item in product.listings:
                if not item.shop:
                    continue
                shop = _shop_node(item)
                shop_nodes.setdefault(shop.id, shop)
                edge = EdgeInput(
                    "SOLD_BY", product.id, shop.id, {"marketplace": item.marketplace}
                )
                edges.setdefault(edge.id, edge)
        await self.graph.upsert_nodes([*product_nodes, *shop_nodes.values()])
        await self.graph.upsert_edges(list(edges.values()))
        listings = sum(len(p.listings) for p in products)
        return ProductLinkResult(listings, len(products), len(shop_nodes), len(edges))


def _for_matching(listing: MarketListing, price: Decimal | None) -> ListingForMatching:
    return ListingForMatching(
        id=listing.id,
        marketplace=listing.marketplace,
        title=listing.title,
        shop=listing.shop,
        shop_location=listing.shop_location,
        region_code=listing.region_code,
        price=price,
    )


def _product_node(product: ProductCluster, vector: Vectors) -> NodeInput:
    prices = product.prices
    return NodeInput(
        id=product.id,
        label="Entity",
        kind="product",
        name=product.name,
        properties={
            "normalised_titles": sorted(product.normalised_titles),
            "listings": len(product.listings),
            "marketplaces": sorted({item.marketplace for item in product.listings}),
            "price_min": str(min(prices)) if prices else None,
            "price_max": str(max(prices)) if prices else None,
            "method": "title+embedding+price",
        },
        embedding=[float(x) for x in vector],
    )


def _shop_node(item: ListingForMatching) -> NodeInput:
    assert item.shop is not None
    return NodeInput(
        id=shop_id(item.marketplace, item.shop),
        label="Entity",
        kind="organisation",
        name=item.shop,
        properties={
            "role": "shop",
            "marketplace": item.marketplace,
            "location": item.shop_location,
            "region_code": item.region_code,
        },
    )
