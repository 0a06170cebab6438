"""Indonesian business names: legal form and outlet type kept apart from the name.

``"PT. Sinar Jaya Abadi Tbk"`` is the name ``"sinar jaya abadi"`` of legal form
``PT`` (listed: ``Tbk``); ``"Toko Sinar Jaya"`` and ``"Sinar Jaya Official
Store"`` are the same name with the outlet types ``toko`` and ``official store``.
"""

from __future__ import annotations

from dataclasses import dataclass

from indonesian.text import fold

LEGAL_FORMS: dict[str, str] = {
    "pt": "PT",
    "perseroan terbatas": "PT",
    "cv": "CV",
    "ud": "UD",
    "usaha dagang": "UD",
    "pd": "PD",
    "fa": "Firma",
    "firma": "Firma",
    "koperasi": "Koperasi",
    "kop": "Koperasi",
    "kud": "KUD",
    "yayasan": "Yayasan",
    "perum": "Perum",
    "persero": "Persero",
    "bumdes": "BUMDes",
    "pt persero": "PT",
}
LISTED_SUFFIXES = frozenset({"tbk"})
OUTLET_TYPES: tuple[str, ...] = (
    "official store", "official shop", "toko", "warung", "warteg", "bengkel",
    "kedai", "depot", "rumah makan", "rm", "apotek", "apotik", "salon", "konveksi",
    "percetakan", "toserba", "minimarket", "grosir", "store", "shop", "mart",
)  # fmt: skip


@dataclass(frozen=True)
class BusinessName:
    """A parsed business name; ``name`` is what linking compares."""

    raw: str
    name: str
    legal_form: str | None = None
    outlet_type: str | None = None
    listed: bool = False

    @property
    def key(self) -> str:
        """Order-free key for blocking: the sorted words of the name."""
        return " ".join(sorted(self.name.split()))


def parse_business_name(raw: str) -> BusinessName:
    """Split ``raw`` into the name, legal form, outlet type and listing mark.

    Returns a ``BusinessName``; never raises. When nothing is left once the
    form is removed (``"Toko"``), the form itself stays the name.
    """
    folded = fold(raw)
    listed = False
    words = folded.split()
    if words and words[-1] in LISTED_SUFFIXES:
        listed = True
        words = words[:-1]
    text = " ".join(words)
    text, legal_form = _take_legal_form(text)
    text, outlet = _take_outlet_type(text)
    name = text.strip() or folded
    return BusinessName(
        raw=raw, name=name, legal_form=legal_form, outlet_type=outlet, listed=listed
    )


def _take_legal_form(text: str) -> tuple[str, str | None]:
    for spelled in sorted(LEGAL_FORMS, key=len, reverse=True):
        if text.startswith(spelled + " "):
            return text[len(spelled) + 1 :], LEGAL_FORMS[spelled]
        if text.endswith(" " + spelled):
            return text[: -len(spelled) - 1], LEGAL_FORMS[spelled]
    return text, None


def _take_outlet_type(text: str) -> tuple[str, str | None]:
    for outlet in OUTLET_TYPES:
        if text.startswith(outlet + " "):
            return text[len(outlet) + 1 :], _canonical_outlet(outlet)
        if text.endswith(" " + outlet):
            return text[: -len(outlet) - 1], _canonical_outlet(outlet)
    return text, None


def _canonical_outlet(outlet: str) -> str:
    aliases = {
        "apotik": "apotek",
        "rm": "rumah makan",
        "official shop": "official store",
    }
    return aliases.get(outlet, outlet)
