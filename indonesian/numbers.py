"""Numbers as Indonesian agencies write them: "1.234.567", "1.234,5", "Rp 1.250.000,00", "12,5%".

Indonesian uses "." to group thousands and "," for decimals, but many exports
(and every float written by a program) use the English convention. A single
value such as "1.234" is ambiguous, so ``find_decimal_separator`` decides per
column from the values that are not, and ``parse_number`` then reads each value
with that separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Separator = Literal[",", "."]
NumberUnit = Literal["rupiah", "percent"]

_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_PERCENT = re.compile(r"\s*(?:%|persen)$", re.IGNORECASE)
_SHAPE = re.compile(r"^[+-]?\d[\d.,]*$")
_GROUPED = {
    ".": re.compile(r"^\d{1,3}(?:\.\d{3})+$"),
    ",": re.compile(r"^\d{1,3}(?:,\d{3})+$"),
}


@dataclass(frozen=True)
class NumberReading:
    """A number read from text; ``unit`` says whether it was money or a percentage."""

    value: Decimal
    unit: NumberUnit | None = None
    written_decimals: int = 0


def parse_number(
    text: str, decimal_separator: Separator | None = None
) -> NumberReading | None:
    """Read ``text`` as a number, or return ``None`` when it is not one.

    ``decimal_separator`` fixes which of "," and "." is the decimal mark; when it
    is ``None`` a lone ambiguous group ("1.234") is read the Indonesian way.
    """
    body, unit = _strip_unit(text.strip())
    if not _SHAPE.match(body):
        return None
    sign = "-" if body.startswith("-") else ""
    digits = body.lstrip("+-")
    separator = decimal_separator or _guess_separator(digits)
    number = _normalise(digits, separator)
    if number is None:
        return None
    try:
        value = Decimal(sign + number)
    except InvalidOperation:
        return None
    decimals = len(number.partition(".")[2])
    return NumberReading(value=value, unit=unit, written_decimals=decimals)


def find_decimal_separator(values: Iterable[str]) -> Separator | None:
    """The decimal mark the values agree on, or ``None`` when they contradict.

    Values that could be read either way ("1.234") give no evidence; when no
    value decides, the Indonesian "," is returned.
    """
    votes: set[Separator] = set()
    for text in values:
        body, _unit = _strip_unit(text.strip())
        if not _SHAPE.match(body):
            continue
        evidence = _separator_evidence(body.lstrip("+-"))
        if evidence is not None:
            votes.add(evidence)
    if len(votes) > 1:
        return None
    return votes.pop() if votes else ","


def _strip_unit(text: str) -> tuple[str, NumberUnit | None]:
    if _CURRENCY.match(text):
        return _CURRENCY.sub("", text).replace(" ", ""), "rupiah"
    if _PERCENT.search(text):
        return _PERCENT.sub("", text).replace(" ", ""), "percent"
    return text, None


def _separator_evidence(digits: str) -> Separator | None:
    """Which separator ``digits`` proves to be the decimal mark, if any."""
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        return "," if digits.rfind(",") > digits.rfind(".") else "."
    if dots > 1:
        return ","
    if commas > 1:
        return "."
    if dots == 1:
        return None if _is_grouped(digits, ".") else "."
    if commas == 1:
        return None if _is_grouped(digits, ",") else ","
    return None


def _guess_separator(digits: str) -> Separator:
    return _separator_evidence(digits) or ","


def _normalise(digits: str, decimal_separator: Separator) -> str | None:
    """``digits`` with thousands groups removed and "." as decimal mark."""
    thousands = "." if decimal_separator == "," else ","
    whole, _, fraction = digits.partition(decimal_separator)
    if decimal_separator in fraction or thousands in fraction:
        return None
    if thousands in whole and not _is_grouped(whole, thousands):
        return None
    whole = whole.replace(thousands, "")
    if not whole:
        return None
    return f"{whole}.{fraction}" if fraction else whole


def _is_grouped(digits: str, separator: str) -> bool:
    return bool(_GROUPED[separator].match(digits))
