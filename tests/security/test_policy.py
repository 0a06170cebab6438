"""The access policy on its own: levels, roles, row rules, masking decisions."""

from __future__ import annotations

import pytest

from connectors.base import And, Condition, Or
from security.errors import AccessDeniedError
from security.filters import matches
from security.policy import AccessPolicy, ColumnAccess, DatasetAccess, bind_filter
from security.principal import ANONYMOUS, Principal

POLICY = AccessPolicy()
ADMIN = Principal("a", frozenset({"admin"}))
STEWARD = Principal("s", frozenset({"steward"}))
ANALYST = Principal("n", frozenset({"analyst"}), attributes={"district": "33.28.10"})
DINKES = Principal("d", frozenset({"agency"}), agency="dinkes")
DINSOS = Principal("o", frozenset({"agency"}), agency="dinsos")
PRINCIPALS = {
    "public": ANONYMOUS, "admin": ADMIN, "steward": STEWARD, "analyst": ANALYST,
    "dinkes": DINKES, "dinsos": DINSOS,
}  # fmt: skip


def dataset(level: str, **kwargs: object) -> DatasetAccess:
    return DatasetAccess(
        key="dinkes.pasien", access_level=level, agency="dinkes", **kwargs
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("level", "readers"),
    [
        ("terbuka", {"public", "admin", "steward", "analyst", "dinkes", "dinsos"}),
        ("terbatas", {"admin", "steward", "analyst", "dinkes"}),
        ("tertutup", {"admin", "dinkes"}),
    ],
)
def test_access_levels(level: str, readers: set[str]) -> None:
    access = dataset(level)

    allowed = {name for name, who in PRINCIPALS.items() if POLICY.can_read(who, access)}

    assert allowed == readers


def test_terbatas_roles_are_named_by_the_dataset() -> None:
    access = dataset("terbatas", roles=frozenset({"analyst"}))

    assert POLICY.can_read(ANALYST, access)
    assert not POLICY.can_read(STEWARD, access)
    with pytest.raises(AccessDeniedError, match="terbatas"):
        POLICY.require_read(STEWARD, access)


def test_row_rules_bind_claims_and_unite_roles() -> None:
    rule = Condition("kode_kecamatan", "eq", "$district")
    access = dataset(
        "terbatas",
        roles=frozenset({"analyst", "steward"}),
        row_rules={"analyst": rule, "steward": Condition("tahun", "gte", 2020)},
    )
    both = Principal(
        "b", frozenset({"analyst", "steward"}), attributes={"district": "x"}
    )

    assert POLICY.row_filter(ANALYST, access) == Condition(
        "kode_kecamatan", "eq", "33.28.10"
    )
    assert POLICY.row_filter(both, access) == Or(
        (Condition("kode_kecamatan", "eq", "x"), Condition("tahun", "gte", 2020))
    )
    assert POLICY.row_filter(DINKES, access) is None
    with pytest.raises(AccessDeniedError, match="no rows"):
        POLICY.row_filter(Principal("z", frozenset({"analyst"})), access)


def test_masking_is_lifted_for_owner_admin_and_named_roles() -> None:
    access = dataset(
        "terbuka",
        columns={"nik": ColumnAccess("nik", "nik")},
        personal_roles=frozenset({"steward"}),
    )

    assert POLICY.mask(ANONYMOUS, access, "nik", "3328101201990001") == "332810****"
    assert POLICY.mask(STEWARD, access, "nik", "3328101201990001") == "3328101201990001"
    assert POLICY.mask(DINKES, access, "nik", "3328101201990001") == "3328101201990001"
    assert POLICY.mask(ANONYMOUS, access, "tahun", 2020) == 2020
    with pytest.raises(AccessDeniedError, match="personal data"):
        POLICY.require_usable(ANONYMOUS, access, ["nik"], "filtering")


def test_bind_filter_leaves_nothing_when_a_claim_is_missing() -> None:
    rule = And(
        (Condition("a", "eq", "$agency"), Condition("b", "in", ["$district", 1]))
    )

    bound = bind_filter(rule, ANALYST)
    agency = bind_filter(Condition("a", "eq", "$agency"), DINKES)

    assert bound is None
    assert agency == Condition("a", "eq", "dinkes")


@pytest.mark.parametrize(
    ("condition", "row", "expected"),
    [
        (Condition("a", "eq", 1), {"a": 1}, True),
        (Condition("a", "ne", 1), {"a": None}, True),
        (Condition("a", "in", [1, 2]), {"a": 3}, False),
        (Condition("a", "contains", "aw"), {"a": "slawi"}, True),
        (Condition("a", "contains", "AW"), {"a": "slawi"}, False),
        (Condition("a", "starts_with", "33.28"), {"a": "33.28.10"}, True),
        (Condition("a", "gte", 5), {"a": "x"}, False),
        (Condition("a", "is_null", True), {}, True),
        (Condition("a", "is_null", False), {"a": 0}, True),
    ],
)
def test_filters_evaluate_like_the_sources(
    condition: Condition, row: dict[str, object], expected: bool
) -> None:
    assert matches(condition, row) is expected
