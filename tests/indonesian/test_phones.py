import pytest

from indonesian.phones import parse_phone


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(+62) 812.3456.7890"],
)
def test_spellings_of_one_mobile_number_agree(raw: str) -> None:
    parsed = parse_phone(raw)

    assert parsed is not None
    assert (parsed.e164, parsed.kind, parsed.national) == (
        "+6281234567890",
        "mobile",
        "081234567890",
    )


def test_landlines_keep_their_area_code() -> None:
    tegal = parse_phone("(0283) 491234")
    jakarta = parse_phone("021-5551234")

    assert tegal is not None
    assert (tegal.area_code, tegal.kind) == ("0283", "landline")
    assert jakarta is not None
    assert jakarta.area_code == "021"


@pytest.mark.parametrize("raw", ["", "12345", "0000000000", "+1 202 555 0100", "08123"])
def test_what_is_not_an_indonesian_number_gives_none(raw: str) -> None:
    assert parse_phone(raw) is None
