"""The controlled vocabularies of Satu Data metadata: units, reference-code kinds, access.

Units follow how BPS and Open Data Jabar write them ("JIWA", "RIBU RUPIAH",
"PERSEN"); they are compared case-insensitively and stored in lower case.
"""

from __future__ import annotations

ACCESS_LEVELS = ("terbuka", "terbatas", "tertutup")

UNITS = frozenset({
    "jiwa", "ribu jiwa", "juta jiwa", "orang", "kepala keluarga", "rumah tangga",
    "rupiah", "ribu rupiah", "juta rupiah", "miliar rupiah", "rupiah/kg", "rupiah/liter",
    "persen", "permil", "indeks", "poin", "rasio",
    "km", "km2", "m", "m2", "m3", "ha",
    "kg", "ton", "kuintal", "liter", "kalori", "kkal/kapita/hari",
    "unit", "buah", "ekor", "pohon", "paket", "dokumen", "kegiatan", "kasus", "kejadian",
    "desa", "kelurahan", "kecamatan", "sekolah", "usaha", "tahun", "bulan", "hari", "jam",
})  # fmt: skip

CODE_KINDS = frozenset({
    "wilayah_kemendagri", "wilayah_bps", "nama_wilayah",
    "nik", "npwp", "nib", "telepon", "kbli", "kode_pos",
})  # fmt: skip

SECTORS = frozenset({
    "kependudukan", "kesehatan", "pendidikan", "ekonomi", "keuangan", "pertanian",
    "perdagangan", "industri", "pariwisata", "lingkungan hidup", "infrastruktur",
    "sosial", "ketenagakerjaan", "pemerintahan", "kemiskinan", "pangan", "perhubungan",
})  # fmt: skip

FREQUENCIES = frozenset({
    "harian", "mingguan", "bulanan", "triwulanan", "semesteran", "tahunan",
    "lima tahunan", "sekali", "tidak tetap",
})  # fmt: skip
