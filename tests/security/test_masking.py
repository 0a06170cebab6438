"""Masking keeps what is not personal and hides the rest, without its length."""

from __future__ import annotations

import pytest

from security.access_index import (
    SOCIAL_POSTS,
    AccessIndex,
    PolicyRulesError,
    parse_rules,
)
from security.errors import AccessDeniedError
from security.masking import HIDDEN, classify_personal_column, mask_text, mask_value
from security.policy import AccessPolicy, DatasetAccess
from security.principal import ANONYMOUS, Principal
from security.published import PostMasking, get_post_masking


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("nik", "3328101201990001", "332810****"),
        ("nik", "33.2810.120199.0001", "332810****"),
        ("phone", "+62 812-3456-7890", "6281****"),
        ("email", "budi.santoso@tegalkab.go.id", "****@tegalkab.go.id"),
        ("person_name", "Siti Nur Rahayu", "S. N. R."),
        ("other", "Jl. Merpati 4", "****"),
        ("nik", None, None),
        ("email", "not-an-address", "****"),
    ],
)
def test_mask_value(kind: str, value: str | None, masked: str | None) -> None:
    assert mask_value(kind, value) == masked  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("NIK", "nik"),
        ("no_ktp", "nik"),
        ("No. HP", "phone"),
        ("telepon_rumah", "phone"),
        ("Email", "email"),
        ("nama_pemilik", "person_name"),
        ("nama_usaha", None),
        ("kode_kecamatan", None),
        ("whatsapp", "phone"),
    ],
)
def test_classify_personal_column(name: str, kind: str | None) -> None:
    assert classify_personal_column(name) == kind


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("WA 0812-3456-7890 ya", "WA 0812**** ya"),
        ("hubungi +62 812 3456 7890", "hubungi 6281****"),
        ("NIK 3328101234567890.", "NIK 332810****."),
        ("surel budi.s@gmail.com", "surel ****@gmail.com"),
        ("cc @budi_tegal dan @pemkab", "cc @**** dan @****"),
        ("harga 75000 per 5 kg, 2021", "harga 75000 per 5 kg, 2021"),
        (None, None),
    ],
)
def test_mask_text(text: str | None, masked: str | None) -> None:
    assert mask_text(text) == masked


def test_posts_hide_private_authors_but_not_public_ones() -> None:
    rules = parse_rules({"datasets": {SOCIAL_POSTS: {"personal_roles": ["analyst"]}}})
    posts = AccessIndex({}, rules=rules).get_key(SOCIAL_POSTS)
    policy, analyst = AccessPolicy(), Principal("a", frozenset({"analyst"}))

    public = get_post_masking(policy, ANONYMOUS, posts)
    shown = get_post_masking(policy, analyst, posts)

    assert posts.access_level == "terbuka"
    assert public.author("h_0123", hashed=True) == HIDDEN
    assert public.author("pemkabtegal", hashed=False) == "pemkabtegal"
    assert public.url("https://x.com/budi/status/1", hashed=True) is None
    assert public.text("cc @budi") == "cc @****"
    assert shown.author("h_0123", hashed=True) == "h_0123"
    assert shown.text("cc @budi") == "cc @budi"


def test_policy_rules_set_the_level_of_uncatalogued_datasets_only() -> None:
    rules = parse_rules({"datasets": {SOCIAL_POSTS: {"access_level": "tertutup"}}})

    index = AccessIndex({}, rules=rules, default_level="terbuka")
    catalogued = AccessIndex(
        {SOCIAL_POSTS: DatasetAccess(SOCIAL_POSTS, "terbatas")}, rules=rules
    )

    assert index.get_key(SOCIAL_POSTS).access_level == "tertutup"
    assert catalogued.get_key(SOCIAL_POSTS).access_level == "terbatas"
    with pytest.raises(PolicyRulesError, match="access_level must be one of"):
        parse_rules({"datasets": {SOCIAL_POSTS: {"access_level": "rahasia"}}})


@pytest.mark.parametrize(
    ("term", "probes"),
    [
        ("banjir slawi", False),
        ("vaksin 2021", False),
        ("@budi_tegal", True),
        ("budi@gmail.com", True),
        ("08123", True),
        ("3328101234567890", True),
    ],
)
def test_text_filters_may_not_probe_masked_text(term: str, probes: bool) -> None:
    hidden, shown = PostMasking(hides_text=True), PostMasking()

    shown.require_text_filter(term)
    if probes:
        with pytest.raises(AccessDeniedError, match="not allowed"):
            hidden.require_text_filter(term)
    else:
        hidden.require_text_filter(term)
