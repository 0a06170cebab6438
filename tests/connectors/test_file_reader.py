"""Reading agency files: each fixture is written by the test into ``tmp_path``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from connectors.file_problems import FileFormatError
from connectors.file_reader import ParsedTable, read_file


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def column(table: ParsedTable, name: str) -> list[object]:
    index = [c.name for c in table.columns].index(name)
    return [row[index] for row in table.rows]


def types(table: ParsedTable) -> dict[str, str]:
    return {c.name: c.data_type for c in table.columns}


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfnama,jumlah\nDesa Pes\xc3\xa9,1\nKali,2\n")

    parsed = read_file(path)

    assert parsed.encoding == "utf-8-sig"
    assert parsed.tables[0].columns[0].name == "nama"
    assert column(parsed.tables[0], "nama") == ["Desa Pesé", "Kali"]


def test_windows_1252_keeps_every_letter(tmp_path: Path) -> None:
    text = "kecamatan;keterangan\nSlawi;“Desa” – Procot\nAdiwerna;Café 5€\n"
    path = write(tmp_path, "cp.csv", text, "windows-1252")

    parsed = read_file(path)

    assert parsed.encoding == "windows-1252"
    assert parsed.delimiter == ";"
    assert column(parsed.tables[0], "keterangan") == ["“Desa” – Procot", "Café 5€"]
    assert "\ufffd" not in str(parsed.tables[0].rows)


def test_a_wrong_encoding_claim_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "claim.csv", "a,b\n1,2\n3,Pesé\n", "windows-1252")

    with pytest.raises(FileFormatError) as caught:
        read_file(path, encoding="utf-8")

    problem = caught.value.problems[0]
    assert problem.row == 3
    assert problem.file == str(path)
    assert "utf-8" in problem.message


@pytest.mark.parametrize(
    ("delimiter", "name"), [("\t", "t.tsv"), ("|", "p.csv"), (";", "s.csv")]
)
def test_delimiters(tmp_path: Path, delimiter: str, name: str) -> None:
    lines = (
        ["desa", "penduduk", "luas"],
        ["Procot", "1.234", "2,5"],
        ["Kudaile", "987", "3,25"],
    )
    path = write(
        tmp_path, name, "\n".join(delimiter.join(line) for line in lines) + "\n"
    )

    parsed = read_file(path)

    assert parsed.delimiter == delimiter
    assert column(parsed.tables[0], "penduduk") == [1234, 987]
    assert column(parsed.tables[0], "luas") == [2.5, 3.25]


def test_one_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "one.csv", "nama\nProcot\nKudaile\n")

    with pytest.raises(FileFormatError, match="no delimiter"):
        read_file(path)


def test_ragged_rows_are_an_error_naming_the_row(tmp_path: Path) -> None:
    text = "desa,jumlah,tahun\nProcot,10,2021\nKudaile,1,234,2021\nPesarean,5,2021\n"
    path = write(tmp_path, "ragged.csv", text)

    with pytest.raises(FileFormatError) as caught:
        read_file(path)

    assert [p.row for p in caught.value.problems] == [3]
    assert caught.value.problems[0].value == "Kudaile,1,234,2021"


def test_an_unterminated_quote_is_an_error_naming_the_line_it_opened(
    tmp_path: Path,
) -> None:
    text = 'nama,umur,tanggal\nBudi,30,2024-01-05\n"Siti,25,2024-02-30\nAni,abc,31/12/2024\n'
    path = write(tmp_path, "quote.csv", text)

    with pytest.raises(FileFormatError, match="never closed") as caught:
        read_file(path)

    assert [p.row for p in caught.value.problems] == [3]


def test_a_closed_quote_with_a_newline_is_one_value(tmp_path: Path) -> None:
    path = write(tmp_path, "memo.csv", 'nama,catatan\nBudi,"baris satu\nbaris dua"\n')

    table = read_file(path).tables[0]

    assert column(table, "catatan") == ["baris satu\nbaris dua"]


@pytest.mark.parametrize("delimiter", [None, ","])
def test_a_value_over_128_kb_is_read(tmp_path: Path, delimiter: str | None) -> None:
    long = "x" * 200_000
    path = write(tmp_path, "long.csv", f'nama,catatan\nBudi,"{long}"\n')

    table = read_file(path, delimiter=delimiter).tables[0]

    assert column(table, "catatan") == [long]


def test_title_rows_two_row_header_totals_and_trailing_rows(tmp_path: Path) -> None:
    text = (
        "JUMLAH PENDUDUK MENURUT KECAMATAN,,,\n"
        "KABUPATEN TEGAL TAHUN 2021,,,\n"
        ",,,\n"
        "Kecamatan,Jumlah Penduduk,,Tanggal Data\n"
        ",Laki-laki,Perempuan,\n"
        'Margasari,"1.234","1.300",16 Maret 2021\n'
        'Slawi,"2.000","2.100",16/3/2021\n'
        'Jumlah,"3.234","3.401",\n'
        ",,,\n"
        ",,,\n"
    )
    path = write(tmp_path, "title.csv", text)

    table = read_file(path).tables[0]

    assert [c.label for c in table.columns] == [
        "Kecamatan",
        "Jumlah Penduduk Laki-laki",
        "Jumlah Penduduk Perempuan",
        "Tanggal Data",
    ]
    assert table.title == "JUMLAH PENDUDUK MENURUT KECAMATAN KABUPATEN TEGAL TAHUN 2021"
    assert column(table, "kecamatan") == ["Margasari", "Slawi"]
    assert column(table, "jumlah_penduduk_laki_laki") == [1234, 2000]
    assert column(table, "tanggal_data") == [date(2021, 3, 16)] * 2
    assert table.row_numbers == [6, 7]
    assert table.counts["total_rows"] == 1
    assert len(table.problems) == 1  # perempuan: 1.300 + 2.100 = 3.400, not 3.401
    problem = table.problems[0]
    assert (problem.row, problem.column, problem.value) == (
        8,
        "Jumlah Penduduk Perempuan",
        "3.401",
    )


def test_identifiers_stay_text(tmp_path: Path) -> None:
    text = (
        "nik,kode_desa,telepon,npwp,jumlah,besar\n"
        "3328015507900001,33.28.10.1008,081234567890,01.234.567.8-901.000,007,1234567890123456\n"
        "3328014101850002,33.28.10.2001,0283491234,02.345.678.9-012.000,010,9876543210987654\n"
    )
    path = write(tmp_path, "ids.csv", text)

    table = read_file(path).tables[0]

    assert set(types(table).values()) == {"text"}
    assert column(table, "nik") == ["3328015507900001", "3328014101850002"]
    assert column(table, "jumlah") == ["007", "010"]
    assert column(table, "besar") == ["1234567890123456", "9876543210987654"]
    kinds = {c.name: c.code_kind for c in table.columns}
    assert kinds["nik"] == "nik"
    assert kinds["kode_desa"] == "wilayah_kemendagri"
    assert kinds["telepon"] == "telepon"
    assert kinds["npwp"] == "npwp"


def test_indonesian_values_are_typed(tmp_path: Path) -> None:
    text = (
        "usaha,omzet,porsi,aktif,mulai\n"
        'Warung A,"Rp 1.250.000,00","12,5%",Ya,1 Pebruari 2020\n'
        'Warung B,"Rp 750.000,50","7%",Tidak,10 Nopember 2021\n'
    )
    path = write(tmp_path, "types.csv", text)

    table = read_file(path).tables[0]

    assert types(table) == {
        "usaha": "text",
        "omzet": "decimal",
        "porsi": "decimal",
        "aktif": "boolean",
        "mulai": "date",
    }
    assert column(table, "omzet") == [1250000.0, 750000.5]
    assert {c.name: c.unit for c in table.columns}["porsi"] == "persen"
    assert column(table, "aktif") == [True, False]
    assert column(table, "mulai") == [date(2020, 2, 1), date(2021, 11, 10)]


def test_a_stray_value_in_a_number_column_is_reported(tmp_path: Path) -> None:
    lines = ["desa,jumlah"] + [f"D{i},{i}" for i in range(20)] + ["Dx,tidak tahu"]
    path = write(tmp_path, "dirty.csv", "\n".join(lines) + "\n")

    table = read_file(path).tables[0]

    assert types(table)["jumlah"] == "text"
    assert [(p.row, p.column, p.value) for p in table.problems] == [
        (22, "jumlah", "tidak tahu")
    ]


def test_xlsx_merged_header_row_labels_and_lost_digits(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Penduduk"
    sheet.append(["Data Penduduk Kabupaten Tegal"])
    sheet.append(["Kecamatan", "Desa", "Jumlah", None, "NIK Kepala"])
    sheet.append([None, None, "L", "P", None])
    sheet.append(["Slawi", "Procot", 100, 110, "3328015507900001"])
    sheet.append([None, "Kudaile", 50, 40, 3328014101850002])
    sheet.append(["Adiwerna", "Pesarean", 70, 75, "3328010101900003"])
    sheet.append(["Jumlah", None, 220, 225, None])
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    sheet.merge_cells("E2:E3")
    sheet.merge_cells("A4:A5")
    path = tmp_path / "penduduk.xlsx"
    book.save(path)

    table = read_file(path).tables[0]

    assert [c.label for c in table.columns] == [
        "Kecamatan",
        "Desa",
        "Jumlah L",
        "Jumlah P",
        "NIK Kepala",
    ]
    assert column(table, "kecamatan") == ["Slawi", "Slawi", "Adiwerna"]
    assert column(table, "jumlah_l") == [100, 50, 70]
    assert column(table, "nik_kepala") == ["3328015507900001", None, "3328010101900003"]
    assert table.row_numbers == [4, 5, 6]
    lost = [p for p in table.problems if "lost" in p.message]
    assert [(p.sheet, p.row, p.value) for p in lost] == [
        ("Penduduk", 5, "3328014101850002")
    ]
    assert not [p for p in table.problems if "totals" in p.message]


def test_json_and_jsonl(tmp_path: Path) -> None:
    records = [
        {"kode": "33.28.10", "nama": "Slawi", "jumlah": 5},
        {"kode": "33.28.01", "nama": "Margasari"},
    ]
    as_json = tmp_path / "a.json"
    as_json.write_text(json.dumps({"data": records}))
    as_lines = tmp_path / "a.jsonl"
    as_lines.write_text("\n".join(json.dumps(r) for r in records) + "\n\n")

    from_json = read_file(as_json).tables[0]
    from_lines = read_file(as_lines).tables[0]

    assert (
        from_json.rows
        == from_lines.rows
        == [("33.28.10", "Slawi", 5), ("33.28.01", "Margasari", None)]
    )
    assert types(from_json) == {"kode": "text", "nama": "text", "jumlah": "integer"}


def test_a_broken_json_line_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "b.jsonl", '{"a": 1}\n{"a": 2\n')

    with pytest.raises(FileFormatError) as caught:
        read_file(path)

    assert caught.value.problems[0].row == 2


def test_the_bandung_food_price_file(shared_data: Path) -> None:
    path = (
        shared_data
        / "harga-pangan-bandung"
        / "harga_komoditas_konsumen_kota_bandung.csv"
    )

    table = read_file(path).tables[0]

    assert len(table.rows) == 1625
    assert types(table) == {
        "timestamp": "date",
        "id": "integer",
        "komoditas": "text",
        "satuan": "text",
        "harga": "integer",
        "harga_kemarin": "integer",
        "tanggal_kemarin": "date",
        "gap": "integer",
        "gap_persen": "decimal",
        "gap_perubahan": "text",
    }
    assert table.rows[0][:3] == (date(2025, 9, 13), 27, "Beras Premium")
    assert table.rows[0][6] == date(2025, 9, 12)  # "12-9-2025", day first


def test_csv_row_labels_below_a_merged_cell_are_filled(tmp_path: Path) -> None:
    text = "kecamatan,desa,jumlah\nSlawi,Procot,10\n,Kudaile,5\nAdiwerna,Pesarean,7\n,Ujungrusi,3\n"
    path = write(tmp_path, "labels.csv", text)

    table = read_file(path).tables[0]

    assert column(table, "kecamatan") == ["Slawi", "Slawi", "Adiwerna", "Adiwerna"]
    assert table.counts["filled_row_labels"] == 2


def test_a_first_column_with_repeated_values_and_gaps_is_left_alone(
    tmp_path: Path,
) -> None:
    text = "status,desa,jumlah\nADA,Procot,10\n,Kudaile,5\nADA,Pesarean,7\n"
    path = write(tmp_path, "gaps.csv", text)

    table = read_file(path).tables[0]

    assert column(table, "status") == ["ADA", None, "ADA"]
