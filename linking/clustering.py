"""Scored pairs into entities, without chaining distinct entities through one weak edge.

Edges are taken strongest first, as in single-best-link clustering, under
four rules:

1. Existing entities are never merged automatically: a strong pair between
   two of them becomes a merge suggestion in the review queue.
2. A rejected (record, entity) pair is never joined again.
3. Two records of one duplicate-free origin never share an entity.
4. A record whose two best candidates in one duplicate-free origin score
   within ``ambiguity_margin`` (match weight, in bits) of each other is
   ambiguous ("Bandung": the city or the regency?) and goes to review.
5. Two groups of several records each join only when at least
   ``min_bridge_support`` strong pairs connect them or one pair is at least
   ``strong``; a lone ordinary edge between them is a weak bridge and goes to
   review instead of chaining two entities into one.

Pairs between ``review`` and ``accept`` that end in different entities go to
review as well. Thresholds are chosen per entity kind and origin pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from linking.model import ScoredPair


@dataclass(frozen=True)
class Thresholds:
    """Probabilities: link at ``accept``, review from ``review``, bridge at ``strong``."""

    accept: float = 0.9
    review: float = 0.5
    strong: float = 0.999


@dataclass(frozen=True)
class ThresholdPolicy:
    """Thresholds per (kind, origin pair); the most specific entry wins.

    Keys are ``(kind, origin_a, origin_b)`` with origins sorted, ``(kind,)`` for
    a kind, and ``()`` for the default.
    """

    by_key: Mapping[tuple[str, ...], Thresholds] = field(default_factory=dict)
    default: Thresholds = field(default_factory=Thresholds)

    def for_pair(self, kind: str, origin_a: str, origin_b: str) -> Thresholds:
        pair = tuple(sorted((origin_a, origin_b)))
        for key in ((kind, *pair), (kind,), ()):
            if key in self.by_key:
                return self.by_key[key]
        return self.default


# Place names are short and repeat across levels ("Kota Tegal", "Kabupaten Tegal"),
# so a name with its level agreeing tops out near 0.8 under Fellegi–Sunter's
# independence assumption; duplicate-freedom and the ambiguity rule guard the
# lower bar.
DEFAULT_POLICY = ThresholdPolicy(
    by_key={("place",): Thresholds(accept=0.75, review=0.2, strong=0.99)}
)


@dataclass(frozen=True)
class ClusterInput:
    """Everything clustering needs besides the pairs."""

    records: Mapping[str, tuple[str, str]]  # record id -> (kind, origin)
    assigned: Mapping[str, str] = field(default_factory=dict)  # record -> entity
    rejected: frozenset[tuple[str, str]] = frozenset()  # (record, entity)
    duplicate_free: frozenset[str] = frozenset()  # origins
    policy: ThresholdPolicy = DEFAULT_POLICY
    min_bridge_support: int = 2
    ambiguity_margin: float = 1.0


@dataclass(frozen=True)
class ReviewItem:
    """A pair a person should look at, and why it was not decided automatically."""

    pair: ScoredPair
    reason: str  # uncertain, ambiguous, weak_bridge, merge_suggestion, conflict


@dataclass
class Clusters:
    """Groups of record ids; ``entity_of_group`` names the existing entity, if any."""

    groups: list[list[str]]
    entity_of_group: list[str | None]
    links: dict[str, ScoredPair]  # record id -> the pair that brought it in
    review: list[ReviewItem]


class _Groups:
    """Union-find over record ids that remembers members and existing entities."""

    def __init__(self, cluster_input: ClusterInput) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}
        self.entity: dict[str, str | None] = {}
        self.origins: dict[str, set[str]] = {}
        by_entity: dict[str, list[str]] = defaultdict(list)
        for record in sorted(cluster_input.records):
            entity = cluster_input.assigned.get(record)
            if entity is None:
                self._add([record], None, cluster_input)
            else:
                by_entity[entity].append(record)
        for entity, records in sorted(by_entity.items()):
            self._add(records, entity, cluster_input)

    def _add(self, records: list[str], entity: str | None, ci: ClusterInput) -> None:
        root = records[0]
        for record in records:
            self.parent[record] = root
        self.members[root] = list(records)
        self.entity[root] = entity
        self.origins[root] = {ci.records[r][1] for r in records}

    def find(self, record: str) -> str:
        root = record
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[record] != root:
            self.parent[record], record = root, self.parent[record]
        return root

    def union(self, a: str, b: str) -> None:
        keep, drop = (a, b) if len(self.members[a]) >= len(self.members[b]) else (b, a)
        self.parent[drop] = keep
        self.members[keep].extend(self.members.pop(drop))
        self.entity[keep] = self.entity[keep] or self.entity.pop(drop)
        self.entity.pop(drop, None)
        self.origins[keep] |= self.origins.pop(drop)


def cluster_pairs(pairs: Iterable[ScoredPair], cluster_input: ClusterInput) -> Clusters:
    """Group records into entities; see the module docstring for the rules.

    Deterministic: the same pairs and input give the same groups in the same
    order. Records not in any pair stay alone (or in their existing entity).
    """
    groups = _Groups(cluster_input)
    ordered = sorted(pairs, key=lambda p: (-p.probability, p.left, p.right))
    known = [p for p in ordered if p.left in groups.parent and p.right in groups.parent]
    strong_edges = _strong_adjacency(known, cluster_input)
    ambiguous = _ambiguous_pairs(known, cluster_input)
    links: dict[str, ScoredPair] = {}
    review: list[ReviewItem] = []
    for pair in known:
        decision = _decide(pair, groups, cluster_input, strong_edges)
        if decision == "merge" and (pair.left, pair.right) in ambiguous:
            decision = "ambiguous"
        if decision == "merge":
            _merge(pair, groups, links)
        elif decision is not None:
            review.append(ReviewItem(pair, decision))
    return _collect(groups, links, review)


def _thresholds(pair: ScoredPair, ci: ClusterInput) -> Thresholds:
    kind, origin_a = ci.records[pair.left]
    origin_b = ci.records[pair.right][1]
    return ci.policy.for_pair(kind, origin_a, origin_b)


def _strong_adjacency(pairs: list[ScoredPair], ci: ClusterInput) -> dict[str, set[str]]:
    adjacency: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        if pair.probability >= _thresholds(pair, ci).accept:
            adjacency[pair.left].add(pair.right)
            adjacency[pair.right].add(pair.left)
    return adjacency


def _ambiguous_pairs(pairs: list[ScoredPair], ci: ClusterInput) -> set[tuple[str, str]]:
    """Accepted pairs whose record has a near-equal rival in a duplicate-free origin."""
    weights: dict[tuple[str, str], list[tuple[float, ScoredPair]]] = defaultdict(list)
    for pair in pairs:
        if pair.probability < _thresholds(pair, ci).accept:
            continue
        for record, other in ((pair.left, pair.right), (pair.right, pair.left)):
            origin = ci.records[other][1]
            if origin in ci.duplicate_free:
                weights[(record, origin)].append((pair.match_weight, pair))
    ambiguous: set[tuple[str, str]] = set()
    for candidates in weights.values():
        if len(candidates) < 2:
            continue
        ranked = sorted(candidates, key=lambda item: -item[0])
        best = ranked[0][0]
        close = [pair for weight, pair in ranked if best - weight < ci.ambiguity_margin]
        if len(close) > 1:
            ambiguous.update((pair.left, pair.right) for pair in close)
    return ambiguous


def _decide(
    pair: ScoredPair,
    groups: _Groups,
    ci: ClusterInput,
    strong_edges: dict[str, set[str]],
) -> str | None:
    """``"merge"``, a review reason, or ``None`` (nothing to do)."""
    a, b = groups.find(pair.left), groups.find(pair.right)
    if a == b:
        return None
    limits = _thresholds(pair, ci)
    if pair.probability < limits.accept:
        return "uncertain" if pair.probability >= limits.review else None
    if _conflicts(a, b, groups, ci):
        return "conflict"
    if groups.entity.get(a) and groups.entity.get(b):
        return "merge_suggestion"
    if len(groups.members[a]) > 1 and len(groups.members[b]) > 1:
        support = _bridge_support(a, b, groups, strong_edges)
        if support < ci.min_bridge_support and pair.probability < limits.strong:
            return "weak_bridge"
    return "merge"


def _conflicts(a: str, b: str, groups: _Groups, ci: ClusterInput) -> bool:
    shared = groups.origins[a] & groups.origins[b] & ci.duplicate_free
    if shared:
        return True
    for one, other in ((a, b), (b, a)):
        entity = groups.entity.get(other)
        if entity and any((r, entity) in ci.rejected for r in groups.members[one]):
            return True
    return False


def _bridge_support(
    a: str, b: str, groups: _Groups, strong_edges: dict[str, set[str]]
) -> int:
    small, large = sorted((a, b), key=lambda root: len(groups.members[root]))
    targets = set(groups.members[large])
    return sum(len(strong_edges.get(r, set()) & targets) for r in groups.members[small])


def _merge(pair: ScoredPair, groups: _Groups, links: dict[str, ScoredPair]) -> None:
    for record in (pair.left, pair.right):
        links.setdefault(record, pair)
    groups.union(groups.find(pair.left), groups.find(pair.right))


def _collect(
    groups: _Groups, links: dict[str, ScoredPair], review: list[ReviewItem]
) -> Clusters:
    roots = sorted(groups.members, key=lambda root: min(groups.members[root]))
    return Clusters(
        groups=[sorted(groups.members[root]) for root in roots],
        entity_of_group=[groups.entity.get(root) for root in roots],
        links=links,
        review=review,
    )
