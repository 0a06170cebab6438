import pytest

from indonesian.businesses import parse_business_name


def test_legal_form_and_listing_are_attributes() -> None:
    parsed = parse_business_name("PT. Sinar Jaya Abadi Tbk")

    assert (parsed.name, parsed.legal_form, parsed.listed) == (
        "sinar jaya abadi",
        "PT",
        True,
    )


@pytest.mark.parametrize(
    ("raw", "outlet"),
    [
        ("Toko Sinar Jaya", "toko"),
        ("Sinar Jaya Official Store", "official store"),
        ("Warung Sinar Jaya", "warung"),
        ("Bengkel Sinar Jaya", "bengkel"),
    ],
)
def test_outlet_types_leave_the_same_name(raw: str, outlet: str) -> None:
    parsed = parse_business_name(raw)

    assert (parsed.name, parsed.outlet_type) == ("sinar jaya", outlet)


@pytest.mark.parametrize(
    ("raw", "form"), [("CV Maju Makmur", "CV"), ("UD. Maju Makmur", "UD")]
)
def test_cv_and_ud(raw: str, form: str) -> None:
    assert parse_business_name(raw).legal_form == form
    assert parse_business_name(raw).name == "maju makmur"


def test_a_bare_form_stays_the_name() -> None:
    assert parse_business_name("Toko").name == "toko"
