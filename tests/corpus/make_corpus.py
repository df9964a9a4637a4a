"""Write the corpus of small broken and hostile files that `tests/test_robust_corpus.py` runs
`dxcheck evaluate` on, one by one (docs/limits-and-safety.md says what each must give).

    python tests/corpus/make_corpus.py            # (re)write the files beside this script
    python tests/corpus/make_corpus.py --check    # exit 1 if a committed file differs

Every file is built from literal bytes — workbook parts written as XML text, zip entries stored
uncompressed with fixed dates — so the output is the same on every machine and every run, and
each file stays a few kilobytes. The builders are also used by the tests to make variants.
"""

from __future__ import annotations

import struct
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))  # the data generator lives with the tests
from dxcheck_synth.report import encode_cp1258  # noqa: E402

HERE = Path(__file__).resolve().parent
_DATE = (2026, 1, 1, 0, 0, 0)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

STAFF_HEADER = ["Họ và tên", "Chức vụ", "Đã bồi dưỡng kỹ năng số"]
STAFF_ROWS = [
    ["Nguyễn Văn An", "Chủ tịch", "Có"],
    ["Trần Thị Bình", "Công chức Văn phòng - Thống kê", "Có"],
    ["Lê Văn Cường", "Công chức Tư pháp - Hộ tịch", "Có"],
]


# ----------------------------------------------------------------------------------------------
# zip and workbook builders


def zip_bytes(parts: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    """A zip with entries in the given order, fixed dates and attributes: the same bytes always."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            info.create_system = 0
            archive.writestr(info, data)
    return buffer.getvalue()


def declare_size(data: bytes, part: str, size: int) -> bytes:
    """The zip with `part`'s declared unpacked size changed in its local header and directory."""
    out = bytearray(data)
    encoded = part.encode()
    at = 0
    while True:
        at = out.find(b"PK\x03\x04", at)
        if at < 0:
            break
        length, = struct.unpack_from("<H", out, at + 26)
        if bytes(out[at + 30 : at + 30 + length]) == encoded:
            struct.pack_into("<I", out, at + 22, size)
        at += 4
    at = 0
    while True:
        at = out.find(b"PK\x01\x02", at)
        if at < 0:
            break
        length, = struct.unpack_from("<H", out, at + 28)
        if bytes(out[at + 46 : at + 46 + length]) == encoded:
            struct.pack_into("<I", out, at + 24, size)
        at += 4
    return bytes(out)


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_xml(ref: str | None, value, prefix: str = "") -> str:
    """One `<c>`: text as an inline string, numbers as numbers, ("=", formula, cached) as a formula,
    ("#", error, formula) as a cell holding an Excel error such as #N/A."""
    r = f' r="{ref}"' if ref else ""
    c, v, f, is_, t = (f"{prefix}{tag}" for tag in ("c", "v", "f", "is", "t"))
    if isinstance(value, tuple) and value and value[0] == "#":
        _, error, formula = value
        return f'<{c}{r} t="e"><{f}>{escape(formula)}</{f}><{v}>{escape(error)}</{v}></{c}>'
    if isinstance(value, tuple) and value and value[0] == "=":
        _, formula, cached = value
        if cached is None:
            return f"<{c}{r}><{f}>{escape(formula)}</{f}><{v}/></{c}>"
        kind = ' t="str"' if isinstance(cached, str) else ""
        return f"<{c}{r}{kind}><{f}>{escape(formula)}</{f}><{v}>{escape(str(cached))}</{v}></{c}>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"<{c}{r}><{v}>{value}</{v}></{c}>"
    return f'<{c}{r} t="inlineStr"><{is_}><{t}>{escape(str(value))}</{t}></{is_}></{c}>'


def sheet_xml(rows: list[list], *, start_row: int = 1, dimension: str | None = "auto", prefix: str = "",
              extra_cells: str = "", refs: bool = True) -> bytes:
    """A worksheet: `rows` from `start_row` on (None leaves a cell out); `extra_cells` is raw XML
    put in a last row of its own (far-away cells, empty formatted cells)."""
    p = f"{prefix}:" if prefix else ""
    body = []
    width = max((len(row) for row in rows), default=1)
    for i, row in enumerate(rows):
        number = start_row + i
        cells = "".join(cell_xml(f"{column_letter(j + 1)}{number}" if refs else None, value, p)
                        for j, value in enumerate(row) if value is not None)
        body.append(f'<{p}row r="{number}">{cells}</{p}row>' if refs else f"<{p}row>{cells}</{p}row>")
    body.append(extra_cells)
    last = start_row + len(rows) - 1
    if dimension == "auto":
        dimension = f"A1:{column_letter(width)}{max(last, 1)}"
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    xmlns = f'xmlns:{prefix}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {xmlns}>{dim}'
            f'<{p}sheetData>{"".join(body)}</{p}sheetData></{p}worksheet>').encode()


def xlsx_bytes(sheets: list[tuple[str, bytes]], *, extra_parts: list[tuple[str, bytes]] = (),
               extra_rels: str = "", extra_types: str = "", macros: bool = False,
               method: int = zipfile.ZIP_STORED) -> bytes:
    """A minimal, valid xlsx (or xlsm with `macros`) holding the given worksheet XMLs."""
    main_type = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macros
                 else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    types = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             + ('<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' if macros else "")
             + f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>']
    for index in range(1, len(sheets) + 1):
        types.append(f'<Override PartName="/xl/worksheets/sheet{index}.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    types.append(extra_types + "</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">'
                 f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
                 '</Relationships>')
    entries = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, (name, _) in enumerate(sheets, start=1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
                f'xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheets) + 1))
    if macros:
        rels += ('<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                 'vbaProject" Target="vbaProject.bin"/>')
    workbook_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     f'<Relationships xmlns="{PKG_REL_NS}">{rels}{extra_rels}</Relationships>')
    parts = [("[Content_Types].xml", "".join(types).encode()), ("_rels/.rels", root_rels.encode()),
             ("xl/workbook.xml", workbook.encode()), ("xl/_rels/workbook.xml.rels", workbook_rels.encode())]
    parts += [(f"xl/worksheets/sheet{i}.xml", xml) for i, (_, xml) in enumerate(sheets, start=1)]
    if macros:
        # an OLE header and a module name: enough to be a VBA project to look at, never run
        parts.append(("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24
                      + "Module1 Sub Auto_Open() Shell \"calc.exe\" End Sub".encode("utf-16-le")))
    parts += list(extra_parts)
    return zip_bytes(parts, method)


def staff_xlsx(rows: list[list] | None = None, **kwargs) -> bytes:
    return xlsx_bytes([("Cán bộ", sheet_xml([STAFF_HEADER, *(STAFF_ROWS if rows is None else rows)], **kwargs))])


def _record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record (MS-XLSB): a 1-2 byte type and a 1-4 byte size, 7 bits a byte."""
    out = bytearray([kind] if kind < 0x80 else [(kind & 0x7F) | 0x80, kind >> 7])
    size = len(data)
    while True:
        byte, size = size & 0x7F, size >> 7
        out.append(byte | (0x80 if size else 0))
        if not size:
            return bytes(out) + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb_bytes(rows: list[list], *, far: tuple[int, int] | None = None) -> bytes:
    """A minimal xlsb: text cells inline (BrtCellSt), numbers as BrtCellReal, ("#", code) as an
    error cell (BrtCellError); `far` adds a value at that (0-based) row and column."""
    sheet = bytearray(_record(129) + _record(148, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, 2))
                      + _record(145))
    placed = [(r, c, value) for r, row in enumerate(rows) for c, value in enumerate(row) if value is not None]
    if far:
        placed.append((*far, 1.0))
    current = None
    for r, c, value in placed:
        if r != current:
            sheet += _record(0, struct.pack("<I", r) + b"\x00" * 13)
            current = r
        cell = struct.pack("<II", c, 0)
        if isinstance(value, tuple):
            sheet += _record(3, cell + bytes([value[1]]))
        elif isinstance(value, str):
            sheet += _record(6, cell + _wide(value))
        else:
            sheet += _record(5, cell + struct.pack("<d", float(value)))
    sheet += _record(146) + _record(130)
    workbook = (_record(131) + _record(143) + _record(156, struct.pack("<II", 0, 1) + _wide("rId1") + _wide("Cán bộ"))
                + _record(144) + _record(132))
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.'
             'macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/'
             'vnd.ms-excel.worksheet"/></Types>')
    root = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.bin"/></Relationships>')
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.bin"/></Relationships>')
    return zip_bytes([("[Content_Types].xml", types.encode()), ("_rels/.rels", root.encode()),
                      ("xl/workbook.bin", workbook), ("xl/_rels/workbook.bin.rels", rels.encode()),
                      ("xl/worksheets/sheet1.bin", bytes(sheet))])


def ods_bytes(table_xml: str, *, name: str = "Cán bộ", macros: bool = False) -> bytes:
    """A minimal ODS whose single table holds `table_xml` (rows as OpenDocument XML)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{escape(name)}">{table_xml}'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    parts = [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content.encode()),
             ("META-INF/manifest.xml", manifest.encode())]
    if macros:
        parts.append(("Basic/Standard/Module1.xml", b"<module>Sub Main\nEnd Sub</module>"))
    return zip_bytes(parts)


def ods_row(values: list[str], repeat_cells: int = 1, repeat_rows: int = 1) -> str:
    cells = "".join(
        f'<table:table-cell office:value-type="string"'
        f'{f" table:number-columns-repeated={chr(34)}{repeat_cells}{chr(34)}" if repeat_cells > 1 else ""}>'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
        for value in values
    )
    rows = f' table:number-rows-repeated="{repeat_rows}"' if repeat_rows > 1 else ""
    return f"<table:table-row{rows}>{cells}</table:table-row>"


def csv_text(rows: list[list[str]], sep: str = ";") -> str:
    return "".join(sep.join(row) + "\r\n" for row in rows)


# ----------------------------------------------------------------------------------------------
# the corpus: file name -> bytes


def _truncated() -> bytes:
    return staff_xlsx()[:700]


def _far_cell() -> bytes:
    # two values: A1 and XFD1048576 — 17 billion cells for a reader that fills the grid
    return staff_xlsx(extra_cells='<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
                      dimension="A1:XFD1048576")


def _lying_dimension() -> bytes:
    return staff_xlsx(extra_cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension="A1:C4")


def _no_reference_cells() -> bytes:
    # a cell without `r` takes the place after its neighbour: after an empty XFC1048576, it is
    # XFD1048576, and the grid is 17 billion cells again
    row = '<row r="1048576"><c r="XFC1048576" s="0"/><c><v>1</v></c></row>'
    return staff_xlsx(extra_cells=row, dimension=None)


def _empty_formatted_columns() -> bytes:
    # formatted but empty cells out to column XFD (Excel writes them; the dimension then says
    # A1:XFD5): no data, so no reason to refuse the file
    cells = "".join(f'<c r="{column_letter(j)}5" s="0"/>' for j in (4, 5, 100, 2001, 9000, 16384))
    return staff_xlsx(extra_cells=f'<row r="5">{cells}</row>', dimension="A1:XFD5")


def _zip_bomb() -> bytes:
    # small on disk, but its directory says the sheet unpacks to 3 GB
    return declare_size(staff_xlsx(), "xl/worksheets/sheet1.xml", 3_000_000_000)


def _formula_without_value() -> bytes:
    rows = [["Nguyễn Văn An", "Chủ tịch", "Có"],
            ["Trần Thị Bình", "Công chức", ("=", 'IF(D3>0,"Có","Không")', None)],
            ["Lê Văn Cường", "Công chức", ("=", 'IF(D4>0,"Có","Không")', "Có")],
            ["Phạm Thị Dung", "Công chức", ("=", 'IF(D5>0,"Có","Không")', None)]]
    return staff_xlsx(rows)


def _excel_errors() -> bytes:
    # formulas that failed in Excel: the cells hold #N/A and #REF!, which a reader gives as blank
    rows = [["Nguyễn Văn An", "Chủ tịch", "Có"],
            ["Trần Thị Bình", "Công chức", ("#", "#N/A", "VLOOKUP(A3,'Tập huấn'!A:B,2,FALSE)")],
            ["Lê Văn Cường", ("#", "#REF!", "#REF!"), "Có"]]
    return staff_xlsx(rows)


def _far_cell_xlsb() -> bytes:
    return xlsb_bytes([STAFF_HEADER, *STAFF_ROWS], far=(1_048_575, 16_383))


def _macros() -> bytes:
    return xlsx_bytes([("Cán bộ", sheet_xml([STAFF_HEADER, *STAFF_ROWS]))], macros=True)


def _external_link() -> bytes:
    link = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
            '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1" t="str"><v>Có</v></cell></row>'
            '</sheetData></sheetDataSet></externalBook></externalLink>')
    link_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">'
                 f'<Relationship Id="rId1" Type="{REL_NS}/externalLinkPath" '
                 'Target="file:///\\\\may-chu\\du-lieu\\tap-huan-2026.xlsx" TargetMode="External"/></Relationships>')
    rows = [[name, role, ("=", "[1]Sheet1!A1", "Có")] for name, role, _ in STAFF_ROWS]
    return xlsx_bytes(
        [("Cán bộ", sheet_xml([STAFF_HEADER, *rows]))],
        extra_parts=[("xl/externalLinks/externalLink1.xml", link.encode()),
                     ("xl/externalLinks/_rels/externalLink1.xml.rels", link_rels.encode())],
        extra_rels=f'<Relationship Id="rIdX1" Type="{REL_NS}/externalLink" Target="externalLinks/externalLink1.xml"/>',
        extra_types='<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>',
    )


def _merged_everywhere() -> bytes:
    # a two-row header and every record merged over two rows: the second row of each is empty
    header = [["Họ và tên", "Chức vụ", "Đào tạo", None], [None, None, "Đã bồi dưỡng kỹ năng số", "Có chữ ký số"]]
    rows = []
    for name, role, trained in STAFF_ROWS:
        rows += [[name, role, trained, "Có"], [None, None, None, None]]
    merges = ['<mergeCell ref="A1:A2"/>', '<mergeCell ref="B1:B2"/>', '<mergeCell ref="C1:D1"/>']
    merges += [f'<mergeCell ref="{c}{r}:{c}{r + 1}"/>' for r in range(3, 9, 2) for c in "ABCD"]
    xml = sheet_xml(header + rows).replace(b"</sheetData>",
                                           f'</sheetData><mergeCells count="{len(merges)}">{"".join(merges)}'
                                           "</mergeCells>".encode())
    return xlsx_bytes([("Cán bộ", xml)])


def _header_only() -> bytes:
    return staff_xlsx([])


def _empty_workbook() -> bytes:
    return xlsx_bytes([("Sheet1", sheet_xml([], dimension="A1")), ("Sheet2", sheet_xml([], dimension="A1"))])


def _not_a_dataset() -> bytes:
    return xlsx_bytes([("Ghi chú", sheet_xml([["Nội dung", "Người ghi"], ["Họp giao ban", "Văn phòng"]]))])


def _wrong_extension() -> bytes:
    return staff_xlsx()


def _pdf() -> bytes:
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _html_table() -> bytes:
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in [STAFF_HEADER, *STAFF_ROWS])
    return ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
            f"<body><table>{rows}</table></body></html>").encode()


def _html_no_table() -> bytes:
    # a portal's page saved in place of its export: a web page, but no table to read
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cổng dịch vụ công</title></head>'
            "<body><h3>Tra cứu hồ sơ</h3><p>Không tìm thấy hồ sơ nào.</p></body></html>").encode()


def _xml_2003() -> bytes:
    # Excel 2003 XML as PHP/ASP exports write it: a banner merged across (ss:MergeAcross), a row
    # skipped with ss:Index, the staff table below
    def cell(text: str, extra: str = "") -> str:
        return f'<Cell{extra}><Data ss:Type="String">{escape(text)}</Data></Cell>'

    banner = cell("DANH SÁCH CÁN BỘ", ' ss:MergeAcross="2"')
    rows = [f"<Row>{banner}</Row>",
            "<Row ss:Index=\"3\">" + "".join(cell(text) for text in STAFF_HEADER) + "</Row>",
            *("<Row>" + "".join(cell(text) for text in row) + "</Row>" for row in STAFF_ROWS)]
    return ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Cán bộ"><Table>'
            + "".join(rows) + "</Table></Worksheet></Workbook>").encode()


def _docx() -> bytes:
    return zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])


def _encrypted() -> bytes:
    # what Excel writes for a password-protected workbook: an OLE file with an EncryptedPackage
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = ("EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00")
                 + "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00"))
    return header + directory + b"\x00" * 256


def _crc_lie() -> bytes:
    # the directory says the sheet is shorter than it is: read as damaged, never trusted
    return declare_size(staff_xlsx(), "xl/worksheets/sheet1.xml", 200)


def _binary_junk() -> bytes:
    return bytes((i * 131 + 7) % 256 for i in range(2048))


def _truncated_parquet() -> bytes:
    return b"PAR1" + bytes(range(64)) + b"\x15\x00"


def _empty_csv() -> bytes:
    return b""


def _wide_csv() -> bytes:
    # a header and then a line with 3,000 separators: a column cap, not 3,000 columns of work
    return (csv_text([STAFF_HEADER, *STAFF_ROWS]) + ";" * 3000 + "x\r\n").encode("utf-8")


def _utf16be_csv() -> bytes:
    # Excel's "Unicode text" is UTF-16 with a BOM; some tools write big-endian without one
    return csv_text([STAFF_HEADER, *STAFF_ROWS], sep="\t").encode("utf-16-be")


def _utf32_csv() -> bytes:
    return csv_text([STAFF_HEADER, *STAFF_ROWS]).encode("utf-32")


def _nfd_cp1258_csv() -> bytes:
    # Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tone marks combining
    return encode_cp1258(csv_text([STAFF_HEADER, *STAFF_ROWS]))


def _junk_values_csv() -> bytes:
    rows = [["UBND XÃ BÌNH MINH", "", ""], ["DANH SÁCH CÁN BỘ", "", ""], ["", "", ""], STAFF_HEADER,
            ["1", "2", "3"], ["I. Khối Đảng", "", ""], ["Nguyễn Văn An", "Bí thư", "Có"],
            ["Trần Thị Bình", "Phó Bí thư", "hình như có"], ["Lê Văn Cường", "Chánh Văn phòng", "#N/A"],
            ["Tổng cộng", "3", ""], ["", "", ""], ["NGƯỜI LẬP BIỂU", "", "THỦ TRƯỞNG ĐƠN VỊ"]]
    return csv_text(rows).encode("utf-8-sig")


def _ods_repeated() -> bytes:
    # one cell repeated 1,000 times across, its row repeated 100,000 times: 100 million cells
    return ods_bytes(ods_row(STAFF_HEADER) + ods_row(["Có"], repeat_cells=1000, repeat_rows=100_000))


def _ods_macros() -> bytes:
    return ods_bytes("".join(ods_row(row) for row in [STAFF_HEADER, *STAFF_ROWS]), macros=True)


CORPUS = {
    "truncated.xlsx": _truncated,
    "far-cell.xlsx": _far_cell,
    "lying-dimension.xlsx": _lying_dimension,
    "far-cell.xlsb": _far_cell_xlsb,
    "cells-without-reference.xlsx": _no_reference_cells,
    "empty-formatted-columns.xlsx": _empty_formatted_columns,
    "zip-bomb.xlsx": _zip_bomb,
    "size-mismatch.xlsx": _crc_lie,
    "formula-without-value.xlsx": _formula_without_value,
    "excel-errors.xlsx": _excel_errors,
    "macros.xlsm": _macros,
    "external-link.xlsx": _external_link,
    "merged-everywhere.xlsx": _merged_everywhere,
    "header-only.xlsx": _header_only,
    "empty-workbook.xlsx": _empty_workbook,
    "not-a-dataset.xlsx": _not_a_dataset,
    "xlsx-named.csv": _wrong_extension,
    "pdf-renamed.xlsx": _pdf,
    "html-table.xls": _html_table,
    "html-no-table.xls": _html_no_table,
    "xml-2003.xls": _xml_2003,
    "word-renamed.xlsx": _docx,
    "encrypted.xlsx": _encrypted,
    "binary-junk.xlsx": _binary_junk,
    "truncated.parquet": _truncated_parquet,
    "empty.csv": _empty_csv,
    "wide.csv": _wide_csv,
    "utf16be-no-bom.txt": _utf16be_csv,
    "utf32.csv": _utf32_csv,
    "windows-1258-nfd.csv": _nfd_cp1258_csv,
    "junk-values.csv": _junk_values_csv,
    "repeated-cells.ods": _ods_repeated,
    "macros.ods": _ods_macros,
}


def build() -> dict[str, bytes]:
    return {name: make() for name, make in CORPUS.items()}


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = [name for name, data in files.items()
                 if not (HERE / name).exists() or (HERE / name).read_bytes() != data]
        for name in stale:
            print(f"differs: {name}")
        return 1 if stale else 0
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"{len(files)} files written to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
