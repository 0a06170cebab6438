import pytest

from indonesian.addresses import normalise_street, parse_address, parse_place_name


def test_a_full_address_is_split_into_its_parts() -> None:
    parsed = parse_address(
        "Jln. Raya Procot No. 12 RT 02/RW 05, Ds. Procot, Kec. Slawi, Kab. Tegal 52411"
    )

    assert parsed.street == "jalan raya procot"
    assert parsed.house_number == "12"
    assert (parsed.rt, parsed.rw) == ("2", "5")
    assert (parsed.village, parsed.village_level) == ("procot", "desa")
    assert parsed.district == "slawi"
    assert (parsed.regency, parsed.regency_level) == ("tegal", "kabupaten")
    assert parsed.postal_code == "52411"


def test_spellings_of_one_address_normalise_alike() -> None:
    one = parse_address("Jl. Mawar Gg. Melati RT.002 RW.005, Kel. Procot, Kota Tegal")
    two = parse_address(
        "Jalan Mawar, Gang Melati, RT 2 / RW 5, Kelurahan Procot, Kota Tegal"
    )

    assert one.normalised == two.normalised
    assert one.gang == "melati"
    assert one.regency_level == "kota"


@pytest.mark.parametrize(
    "raw", ["Jl Raya Slawi", "Jln. Raya Slawi", "JALAN RAYA SLAWI"]
)
def test_street_words(raw: str) -> None:
    assert normalise_street(raw) == "jalan raya slawi"


@pytest.mark.parametrize(
    ("raw", "name", "level"),
    [
        ("KAB. TEGAL", "tegal", "kabupaten"),
        ("Kabupaten Tegal", "tegal", "kabupaten"),
        ("KOTA ADM. JAKARTA BARAT", "jakarta barat", "kota"),
        ("P A P U A", "papua", None),
        ("Kec. Slawi", "slawi", "kecamatan"),
    ],
)
def test_place_names_across_code_editions(
    raw: str, name: str, level: str | None
) -> None:
    parsed = parse_place_name(raw)

    assert (parsed.name, parsed.level) == (name, level)
