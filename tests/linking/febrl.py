"""Febrl4 rows as link records, for the linking tests (read from ../shared/data)."""

from __future__ import annotations

import csv
from pathlib import Path

from linking.records import LinkRecord


def truth_label(rec_id: str) -> str:
    return rec_id.split("-")[1]


def read_febrl(path: Path, dataset: str, below: int) -> list[LinkRecord]:
    """Records of one Febrl file whose person number is below ``below``."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, skipinitialspace=True):
            if int(truth_label(row["rec_id"])) >= below:
                continue
            street = " ".join(v for v in (row["street_number"], row["address_1"]) if v)
            address = ", ".join(
                v for v in (street, row["address_2"], row["suburb"]) if v
            )
            records.append(
                LinkRecord(
                    source="febrl",
                    dataset=dataset,
                    key=(row["rec_id"],),
                    kind="person",
                    name=f"{row['given_name']} {row['surname']}",
                    identifier=row["soc_sec_id"] or None,
                    date=row["date_of_birth"] or None,
                    address=address or None,
                    postal_code=row["postcode"] or None,
                    region_code=row["state"] or None,
                )
            )
    return records


def febrl_pair(
    shared_data: Path, below: int
) -> tuple[list[LinkRecord], list[LinkRecord]]:
    folder = shared_data / "febrl"
    return (
        read_febrl(folder / "dataset4a.csv", "a", below),
        read_febrl(folder / "dataset4b.csv", "b", below),
    )


def truth_of(records: list[LinkRecord]) -> dict[str, str]:
    return {record.id: truth_label(record.key[0]) for record in records}
