import pytest

from indonesian.names import MUHAMMAD, is_degree, parse_person_name


def test_titles_and_degrees_are_kept_apart_from_the_name() -> None:
    parsed = parse_person_name("Dra. Hj. Siti Aminah, S.Pd., M.M.")

    assert parsed.name == "siti aminah"
    assert parsed.titles == ("Dra.", "Hj.")
    assert parsed.degrees == ("S.Pd.", "M.M.")


@pytest.mark.parametrize(
    "raw",
    ["Muhammad Yusuf", "Moh. Yusuf", "Moch. Yusuf", "Mochammad Yusuf", "MUHAMAD YUSUF"],
)
def test_spellings_of_muhammad_become_one(raw: str) -> None:
    assert parse_person_name(raw).name == f"{MUHAMMAD} yusuf"


def test_a_bare_m_initial_stays_an_ambiguous_initial() -> None:
    parsed = parse_person_name("M. Yusuf")

    assert parsed.name == "m yusuf"
    assert parsed.ambiguous_initials == ("m",)


def test_h_is_haji_only_before_the_name() -> None:
    assert parse_person_name("H. Ahmad Fauzi").titles == ("H.",)
    assert parse_person_name("H. Ahmad Fauzi").name == "ahmad fauzi"
    assert parse_person_name("Ahmad H. Fauzi").name == "ahmad h fauzi"


def test_physician_and_doctorate_are_both_titles_and_keep_their_spelling() -> None:
    assert parse_person_name("dr. Budi Santoso").titles == ("dr.",)
    assert parse_person_name("Dr. Ir. Budi Santoso, S.E.").titles == ("Dr.", "Ir.")
    assert parse_person_name("Dr. Ir. Budi Santoso, S.E.").degrees == ("S.E.",)


def test_degrees_without_a_comma_are_still_taken_off() -> None:
    parsed = parse_person_name("Budi Santoso S.Pd.")

    assert parsed.name == "budi santoso"
    assert parsed.degrees == ("S.Pd.",)


def test_key_ignores_word_order() -> None:
    assert (
        parse_person_name("Santoso Budi").key == parse_person_name("Budi Santoso").key
    )


def test_is_degree() -> None:
    assert is_degree("S.Pd.")
    assert is_degree("M.M")
    assert not is_degree("Slawi")
