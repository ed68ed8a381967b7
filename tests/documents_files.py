"""Real document files for the tests, generated on the fly: PDFs written by hand (and encrypted
with pypdf), DOCX with python-docx, ODT/ODS with odfdo, and hostile variants of each."""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
from odfdo import Document as OdfDocument
from odfdo import Header, Paragraph, Table
from pypdf import PdfReader, PdfWriter


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")  # WinAnsiEncoding: umlauts and ß in the standard fonts
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_bytes(pages: list[list[str]], inflate_mb: int = 0) -> bytes:
    """A valid PDF with one page per entry, each line of text drawn in Helvetica.

    Written by hand (objects, content streams, cross-reference table), so no PDF writer beyond
    the standard library is needed; an empty list of lines gives a page without text, like a
    scanned page without OCR. inflate_mb > 0 pads each page's content stream with that many MB
    of spaces, Flate-compressed to a few KB: a decompression bomb."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        commands = [b"BT /F1 12 Tf 72 770 Td 14 TL"]
        for line in lines:
            commands.append(_pdf_string(line) + b" Tj T*")
        commands.append(b"ET")
        stream = b"\n".join(commands)
        filters = b""
        if inflate_mb:
            packer = zlib.compressobj(9)
            padding = b" " * (1024 * 1024)
            parts = [packer.compress(stream + b"\n")]
            parts += [packer.compress(padding) for _ in range(inflate_mb)]
            stream = b"".join(parts) + packer.flush()
            filters = b" /Filter /FlateDecode"
        content = add(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), filters, stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


HOCHWASSER_LINES = [
    "Das Hochwasserschutzkonzept der Stadt Arnsberg",
    "beschreibt die Maßnahmen für die Ruhr und ihre Zuflüsse.",
    "Die Deiche werden überprüft und die Bürgerinnen und Bürger informiert.",
]


def text_pdf() -> bytes:
    return pdf_bytes([HOCHWASSER_LINES, ["Seite zwei: Ansprechpersonen im Fachbereich Umwelt."]])


def blank_pdf(pages: int = 2) -> bytes:
    return pdf_bytes([[] for _ in range(pages)])


def many_pages_pdf(pages: int) -> bytes:
    return pdf_bytes(
        [[f"Seite {number} der Sammlung zur Straßenreinigung"] for number in range(1, pages + 1)]
    )


def inflating_pdf(megabytes: int = 70) -> bytes:
    """One page whose content stream inflates to `megabytes` MB (below pypdf's own 75 MB cap)."""
    return pdf_bytes([HOCHWASSER_LINES], inflate_mb=megabytes)


def encrypted_pdf(password: str = "geheim") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    # RC4 needs no extra crypto library, neither for pypdf here nor for the reader.
    writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def owner_only_encrypted_pdf() -> bytes:
    """Encrypted against changes only: opens with the empty user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt("", owner_password="nur-der-besitzer", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_pdf() -> bytes:
    data = text_pdf()
    return data[: len(data) // 3]


def malformed_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"\x00\xff garbage obj << /Type /Catalog /Pages 99 0 R >> endobj " * 40


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    document.add_heading("Checkliste Starkregen", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes(paragraphs: list[str]) -> bytes:
    document = OdfDocument("text")
    document.body.append(Header(1, "Ratsvorlage Klimaanpassung"))
    for text in paragraphs:
        document.body.append(Paragraph(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ods_bytes(rows: list[list[object]]) -> bytes:
    document = OdfDocument("spreadsheet")
    table = Table("Kosten")
    for y, row in enumerate(rows):
        for x, value in enumerate(row):
            table.set_value((x, y), value)
    document.body.append(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_bomb(archive: bytes, entry: str, size: int) -> bytes:
    """The archive plus one entry of `size` zero bytes (a few KB compressed): a zip bomb."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        chunk = b"\x00" * (1024 * 1024)
        info = zipfile.ZipInfo(entry)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as handle:
            for _ in range(size // len(chunk)):
                handle.write(chunk)
    return out.getvalue()
