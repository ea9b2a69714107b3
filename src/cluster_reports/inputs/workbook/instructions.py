"""The workbook's own words (its instructions sheet, the form's headers, the dropdowns' warning), in
Indonesian and English. Field and sheet names come from the label catalogue, not from here."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

WORDS = {
    "field": {"id": "Isian", "en": "Field (in Indonesian)"},
    "field_en": {"id": "Isian (dalam bahasa Inggris)", "en": "Field"},
    "value": {"id": "Nilai", "en": "Value"},
    "parent_id": {"id": "Induk: id di lembar {}", "en": "Parent: id on sheet {}"},
    "parent_row": {"id": "Induk: baris di lembar {}", "en": "Parent: row on sheet {}"},
    "choice_title": {"id": "Pilihan tidak dikenal", "en": "Unknown choice"},
    "choice_error": {"id": "Pilih salah satu nilai dari daftar.",
                     "en": "Choose one of the values in the list."},
    "sheet": {"id": "Lembar", "en": "Sheet"},
    "what": {"id": "Isi", "en": "Contents"},
}

GUIDE = {
    "id": [
        ('Buku kerja data sentra', True),
        ('Buku kerja ini memuat data satu sentra: profil sentra, strategi pengembangan, rencana '
         'aksi, dan pemantauan. Setiap bagian memiliki satu lembar isian (satu baris per nilai) dan '
         'satu lembar untuk setiap daftar (satu baris per butir).', False),
        ('Baris 1 setiap lembar berbahasa Indonesia, baris 2 berbahasa Inggris. Isian bertanda * '
         'wajib diisi (isian dari bagian yang tidak dipakai boleh dibiarkan kosong).', False),
        ('Teks dalam dua bahasa: setiap teks memiliki kolom (atau baris) Indonesia dan kolom '
         'Inggris; isi keduanya. Judul atau pengarang sumber yang terbit cukup ditulis di kolom '
         'Indonesia saja: teks itu dicetak apa adanya dalam kedua bahasa.', False),
        ('Pilihan: gunakan daftar tarik-turun (ya/tidak, kelompok, saluran, status, provinsi, '
         'kabupaten/kota, dan seterusnya).', False),
        ('Angka: Rupiah ditulis sebagai bilangan bulat tanpa desimal; persentase sebagai angka 0 '
         'sampai 100; tanggal sebagai tanggal (TTTT-BB-HH).', False),
        ('Daftar id dalam satu sel (mitra, pendukung, sumber, bulan, target) dipisahkan dengan titik'
         ' koma: a; b; c. Nilai per periode ditulis satu per baris dalam sel: q1: 12.', False),
        ('Lembar yang barisnya milik butir lembar lain (misalnya rincian anggaran suatu program) '
         'memiliki kolom pertama Induk: id butir induknya, atau nomor barisnya di lembar induk.', False),
        ('Mengimpor: cluster-reports import BERKAS.xlsx. Semua isian diperiksa lebih dahulu; bila '
         'ada kesalahan, setiap kesalahan disebut dengan lembar dan selnya, dan tidak ada berkas '
         'yang ditulis.', False),
    ],
    "en": [
        ('Cluster data workbook', True),
        ("This workbook holds one cluster's data: the cluster profile, the development strategy, the"
         ' action plan and the monitoring. Each part has a form sheet (one row per value) and a '
         'sheet for each of its lists (one row per item).', False),
        ('Row 1 of every sheet is in Indonesian, row 2 in English. Fields marked * are required (the'
         ' fields of a part you do not use may stay empty).', False),
        ('Texts in both languages: each text has an Indonesian and an English column (or row); fill '
         'both. A published title or author of a source may be given in the Indonesian column alone:'
         ' it is printed as it is in both languages.', False),
        ('Choices: use the dropdown lists (ya/tidak for yes/no, groups, channels, statuses, '
         'provinces, regencies and cities, and so on).', False),
        ('Numbers: Rupiah as whole numbers without decimals; percentages as numbers from 0 to 100; '
         'dates as dates (YYYY-MM-DD).', False),
        ('Lists of ids in one cell (partners, support, sources, months, targets) are separated by '
         'semicolons: a; b; c. Values by period are written one per line in the cell: q1: 12.', False),
        ("A sheet whose rows belong to an item of another sheet (a programme's budget lines) has a "
         "first column Parent: the parent item's id, or its row number on the parent sheet.", False),
        ('Importing: cluster-reports import FILE.xlsx. Everything is checked first; if anything is '
         'wrong, each problem is named by its sheet and cell, and no file is written.', False),
    ],
}


def text(key: str, lang: str) -> str:
    return WORDS[key][lang]


def fill(ws, sheets, lang: str) -> None:
    """The instructions sheet: the guide in both languages, then what each sheet holds."""
    row = 1
    for code in ("id", "en"):
        for line, bold in GUIDE[code]:
            cell = ws.cell(row, 1, line)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = Font(bold=True, size=13)
            row += 1
        row += 1
    ws.cell(row, 1, f"{WORDS['sheet']['id']} / {WORDS['sheet']['en']}").font = Font(bold=True)
    row += 1
    from . import labels  # the sheet's subject, named as its columns are

    for sheet in sheets:
        subject_id = labels.label(sheet.path, "id") if sheet.kind != "form" else sheet.name("id")
        subject_en = labels.label(sheet.path, "en") if sheet.kind != "form" else sheet.name("en")
        ws.cell(row, 1, f"{sheet.name(lang)}: {subject_id} / {subject_en}")
        row += 1
    ws.column_dimensions["A"].width = 110
