from linking.clustering import ClusterInput, ThresholdPolicy, Thresholds, cluster_pairs
from linking.model import ScoredPair

POLICY = ThresholdPolicy(default=Thresholds(accept=0.9, review=0.5, strong=0.999))


def pair(left: str, right: str, probability: float, weight: float = 10.0) -> ScoredPair:
    return ScoredPair(left, right, probability, weight)


def records(*ids: str, origin: str = "s/d") -> dict[str, tuple[str, str]]:
    return {record: ("organisation", origin) for record in ids}


def test_one_weak_edge_does_not_chain_two_groups_into_one() -> None:
    pairs = [pair("a1", "a2", 0.99), pair("b1", "b2", 0.99), pair("a2", "b1", 0.95)]

    clusters = cluster_pairs(
        pairs, ClusterInput(records("a1", "a2", "b1", "b2"), policy=POLICY)
    )

    assert clusters.groups == [["a1", "a2"], ["b1", "b2"]]
    assert [(item.pair.left, item.reason) for item in clusters.review] == [
        ("a2", "weak_bridge")
    ]


def test_two_strong_edges_or_one_very_strong_edge_do_join_groups() -> None:
    two = [pair("a1", "a2", 0.99), pair("b1", "b2", 0.99), pair("a2", "b1", 0.95),
           pair("a1", "b2", 0.95)]  # fmt: skip
    strong = [pair("a1", "a2", 0.99), pair("b1", "b2", 0.99), pair("a2", "b1", 0.9999)]
    ids = records("a1", "a2", "b1", "b2")

    assert cluster_pairs(two, ClusterInput(ids, policy=POLICY)).groups == [
        ["a1", "a2", "b1", "b2"]
    ]
    assert cluster_pairs(strong, ClusterInput(ids, policy=POLICY)).groups == [
        ["a1", "a2", "b1", "b2"]
    ]


def test_existing_entities_are_not_merged_but_suggested() -> None:
    ids = records("a", "b")

    clusters = cluster_pairs(
        [pair("a", "b", 0.9999)],
        ClusterInput(ids, assigned={"a": "entity:1", "b": "entity:2"}, policy=POLICY),
    )

    assert clusters.groups == [["a"], ["b"]]
    assert clusters.review[0].reason == "merge_suggestion"


def test_a_rejected_record_does_not_rejoin_its_entity() -> None:
    ids = records("a", "b")

    clusters = cluster_pairs(
        [pair("a", "b", 0.9999)],
        ClusterInput(
            ids,
            assigned={"a": "entity:1"},
            rejected=frozenset({("b", "entity:1")}),
            policy=POLICY,
        ),
    )

    assert clusters.groups == [["a"], ["b"]]
    assert clusters.review[0].reason == "conflict"


def test_uncertain_pairs_go_to_review_and_thresholds_follow_kind_and_origins() -> None:
    ids = {"x": ("place", "p/a"), "y": ("place", "p/b")}
    lenient = ThresholdPolicy(by_key={("place", "p/a", "p/b"): Thresholds(accept=0.6)})

    default = cluster_pairs([pair("x", "y", 0.7)], ClusterInput(ids, policy=POLICY))
    specific = cluster_pairs([pair("x", "y", 0.7)], ClusterInput(ids, policy=lenient))

    assert default.groups == [["x"], ["y"]]
    assert default.review[0].reason == "uncertain"
    assert specific.groups == [["x", "y"]]


def test_near_equal_rivals_in_a_duplicate_free_origin_are_ambiguous() -> None:
    ids = {
        "seller": ("place", "m/s"),
        "kota": ("place", "w/r"),
        "kab": ("place", "w/r"),
    }
    pairs = [pair("kota", "seller", 0.99, 12.0), pair("kab", "seller", 0.99, 11.5)]

    clusters = cluster_pairs(
        pairs, ClusterInput(ids, duplicate_free=frozenset({"w/r"}), policy=POLICY)
    )

    assert clusters.groups == [["kab"], ["kota"], ["seller"]]
    assert {item.reason for item in clusters.review} == {"ambiguous"}
