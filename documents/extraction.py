"""Plain text from uploaded documents: PDF (pypdf), DOCX (python-docx), ODT/ODS (odfdo) and text
files (TXT/CSV/Markdown), read in a child process with limits.

This module imports nothing from Django on purpose: the parent (documents.text) runs it as
``python -m documents.extraction`` with the file's path and the limits on stdin, and the child
answers one JSON object on stdout. The child caps its own address space (RLIMIT_AS) and CPU time
before it opens the file, and the parent kills it after the timeout, so a zip bomb, a hostile PDF
or a parser bug costs one short-lived process, never the web server or the worker.

The file type is decided by the content (magic bytes, the ZIP's entries), not by the name: a PDF
called ``.docx`` is read as a PDF, and the editors are told so.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

# Status values; documents.models.DocumentText.Status gives them their German labels.
PENDING = "pending"
OK = "ok"
EMPTY = "empty"
TOO_LARGE = "too_large"
TOO_MANY_PAGES = "too_many_pages"
ENCRYPTED = "encrypted"
UNSUPPORTED = "unsupported"
DAMAGED = "damaged"
TIMEOUT = "timeout"
MISSING = "missing"

# Detected kinds of content and how editors read them.
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word-Dokument (DOCX)",
    "odt": "Textdokument (ODT)",
    "ods": "Tabelle (ODS)",
    "text": "Textdatei",
    "xlsx": "Excel-Tabelle (XLSX)",
    "pptx": "PowerPoint-Präsentation (PPTX)",
    "odf": "OpenDocument-Datei",
    "zip": "ZIP-Archiv",
    "rtf": "RTF-Dokument",
    "ole": "altes Office-Format (DOC/XLS)",
    "binary": "Binärdatei",
}
SUPPORTED_KINDS = {"pdf", "docx", "odt", "ods", "text"}
# What a file name promises; a different content is read as what it is (or refused clearly).
EXTENSION_KINDS = {
    "pdf": "pdf",
    "docx": "docx",
    "odt": "odt",
    "ods": "ods",
    "txt": "text",
    "csv": "text",
    "tsv": "text",
    "md": "text",
    "markdown": "text",
}
SUPPORTED_TEXT = "Gelesen werden PDF, DOCX, ODT, ODS sowie Text-, CSV- und Markdown-Dateien."

# Zip bombs: an entry that inflates more than this ratio and beyond this size, or all entries
# together beyond UNPACKED_FACTOR × the byte limit, are refused before any parser sees them.
ZIP_MAX_RATIO = 100
ZIP_RATIO_MIN_BYTES = 10 * 1024 * 1024
ZIP_UNPACKED_FACTOR = 4
ZIP_MAX_ENTRIES = 10_000


@dataclasses.dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pages: int
    max_chars: int
    timeout: float
    max_memory_mb: int


@dataclasses.dataclass
class Result:
    status: str
    text: str = ""
    pages: int | None = None
    truncated: bool = False
    kind: str = ""
    language: str = ""
    message: str = ""

    @property
    def characters(self) -> int:
        return len(self.text)


def german_number(value: float, digits: int = 0) -> str:
    """1234567 -> '1.234.567', 1.5 -> '1,5' (German separators)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{german_number(size / (1024 * 1024), 1)} MB"
    if size >= 1024:
        return f"{german_number(size / 1024, 1)} KB"
    return f"{size} Byte"


def seconds_label(seconds: float) -> str:
    if seconds == int(seconds):
        return "1 Sekunde" if seconds == 1 else f"{german_number(seconds)} Sekunden"
    return f"{german_number(seconds, 2).rstrip('0')} Sekunden"


# --- Text clean-up -----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# "Hochwasser-\nschutzkonzept" (a word hyphenated at a line end) -> "Hochwasserschutzkonzept";
# only before a lower-case letter, so "Rad-\nUnd Fußwege" or "Arnsberg-\nSundern" stay apart.
_HYPHENATED = re.compile(r"(\w)-\n[ \t]*([a-zäöüß])")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    # NFKC: decomposed umlauts from PDFs ("a" + combining diaeresis) and ligatures ("ﬁ")
    # become the characters the search analyses.
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # NUL and other control characters: PostgreSQL cannot store NUL in text columns.
    text = _CONTROL.sub(" ", text)
    text = _HYPHENATED.sub(r"\1\2", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def cut(text: str, max_chars: int) -> tuple[str, bool]:
    """At most max_chars characters, cut at a word boundary when one is near."""
    if len(text) <= max_chars:
        return text, False
    head = text[:max_chars]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > max_chars - 100:
        head = head[:space]
    return head.rstrip(), True


# --- Language ----------------------------------------------------------------------------------

# A simple guess from frequent function words; words both languages share ("in", "an") are left
# out. Good enough to tell German from English documents, nothing more.
_GERMAN_WORDS = frozenset(
    "der die das und ist nicht mit für von zu den dem ein eine einer eines auf im sich des auch "
    "wird werden wurde bei oder als nach wir sie es aus sind zur zum über durch ich sowie kann "
    "können muss müssen haben hat wenn noch nur vom".split()
)
_ENGLISH_WORDS = frozenset(
    "the and of to is that for with on are this be as by it was from or not which have has will "
    "we can were been their they you should would there these".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str:
    """'de', 'en' or '' (too little text, or undecided)."""
    german = english = 0
    for word in _WORD.findall(text[:50_000].lower()):
        if word in _GERMAN_WORDS:
            german += 1
        elif word in _ENGLISH_WORDS:
            english += 1
    if german + english < 5:
        return ""
    if german >= 2 * english:
        return "de"
    if english >= 2 * german:
        return "en"
    return ""


# --- Type detection ----------------------------------------------------------------------------


def detect_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(2048)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:
        return "text"
    return "binary"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                mimetype = (
                    archive.read(info).decode("ascii", "replace") if info.file_size < 200 else ""
                )
                if mimetype.strip() == "application/vnd.oasis.opendocument.text":
                    return "odt"
                if mimetype.strip() == "application/vnd.oasis.opendocument.spreadsheet":
                    return "ods"
                return "odf"
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "ppt/presentation.xml" in names:
                    return "pptx"
            return "zip"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return "broken-zip"


def zip_bomb_message(path: Path, limits: Limits) -> str:
    """A German reason when the archive would inflate beyond the limits, else ''."""
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES:
        return (
            f"Die Datei enthält {german_number(len(entries))} Teile (Grenze "
            f"{german_number(ZIP_MAX_ENTRIES)}); sie sieht nach einer ZIP-Bombe aus."
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > ZIP_RATIO_MIN_BYTES and ratio > ZIP_MAX_RATIO:
            return (
                f"Ein Teil der Datei wäre entpackt {size_label(entry.file_size)} groß "
                f"(Verdichtung 1:{german_number(ratio)}); sie sieht nach einer ZIP-Bombe aus."
            )
    if total > ZIP_UNPACKED_FACTOR * limits.max_bytes:
        return (
            f"Die Datei wäre entpackt {size_label(total)} groß (Grenze "
            f"{size_label(ZIP_UNPACKED_FACTOR * limits.max_bytes)})."
        )
    return ""


# --- Readers -----------------------------------------------------------------------------------


class _Collector:
    """Collects cleaned text until the character limit, so huge files stop early."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length > self.max_chars

    def add(self, text: str) -> None:
        text = clean_text(text)
        if text:
            self.parts.append(text)
            self.length += len(text) + 1

    def result(self) -> tuple[str, bool]:
        text, truncated = cut("\n".join(self.parts), self.max_chars)
        return text, truncated


def read_pdf(path: Path, limits: Limits) -> Result:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            # Many PDFs are encrypted only against changes (an owner password) and open with the
            # empty user password; their text is readable.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                opened = PasswordType.NOT_DECRYPTED
            if opened == PasswordType.NOT_DECRYPTED:
                return Result(
                    ENCRYPTED,
                    kind="pdf",
                    message="Die PDF-Datei ist mit einem Kennwort geschützt; ihr Text kann nicht "
                    "gelesen werden. Bitte eine ungeschützte Fassung hochladen.",
                )
        total = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        return Result(DAMAGED, kind="pdf", message=f"Die PDF-Datei ist beschädigt ({_why(exc)}).")

    collector = _Collector(limits.max_chars)
    failed = 0
    read = min(total, limits.max_pages)
    for number in range(read):
        if collector.full:
            break
        try:
            collector.add(reader.pages[number].extract_text() or "")
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - one bad page must not lose the others
            failed += 1
    text, truncated = collector.result()
    notes = []
    if failed:
        notes.append(f"{german_number(failed)} Seiten konnten nicht gelesen werden.")
    if failed and failed == read:
        return Result(
            DAMAGED, kind="pdf", pages=total, message="Die PDF-Datei ist beschädigt. " + notes[0]
        )
    if total > limits.max_pages:
        status = TOO_MANY_PAGES if text else EMPTY
        notes.insert(
            0,
            f"Die Datei hat {german_number(total)} Seiten; nur die ersten "
            f"{german_number(limits.max_pages)} wurden gelesen.",
        )
    else:
        status = OK if text else EMPTY
    if not text:
        notes.insert(
            0,
            "Die PDF-Datei enthält keinen lesbaren Text – vermutlich eingescannte Seiten ohne "
            "Texterkennung (OCR).",
        )
    return Result(
        status, text=text, pages=total, truncated=truncated, kind="pdf", message=" ".join(notes)
    )


def read_docx(path: Path, limits: Limits) -> Result:
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    collector = _Collector(limits.max_chars)
    for block in document.iter_inner_content():
        if collector.full:
            break
        if isinstance(block, Table):
            _docx_table(block, collector)
        else:
            collector.add(block.text)
    return _text_result("docx", *collector.result())


def _docx_table(table, collector: _Collector) -> None:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            # A merged cell appears once per grid column it spans.
            if not cells or cells[-1] != cell.text:
                cells.append(cell.text)
        collector.add(" | ".join(cells))
        if collector.full:
            return


def read_odf(path: Path, kind: str, limits: Limits) -> Result:
    from odfdo import Document

    document = Document(str(path))
    collector = _Collector(limits.max_chars)
    # Headings and paragraphs in document order; table cells of ODT and ODS hold text:p too.
    for element in document.body.get_elements("descendant::text:h | descendant::text:p"):
        if collector.full:
            break
        collector.add(element.text_recursive)
    return _text_result(kind, *collector.result())


def read_plain(path: Path, limits: Limits) -> Result:
    budget = limits.max_chars * 4 + 4  # UTF-8 needs at most 4 bytes per character
    with path.open("rb") as handle:
        raw = handle.read(budget)
        more = bool(handle.read(1))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", "replace")
    else:
        try:
            # An incremental decoder: a character cut at the budget's end is no error.
            text = codecs.getincrementaldecoder("utf-8-sig")("strict").decode(raw, final=not more)
        except UnicodeDecodeError:
            # Windows files from older office programs.
            text = raw.decode("cp1252", "replace")
    text, truncated = cut(clean_text(text), limits.max_chars)
    return _text_result("text", text, truncated or (more and len(text) >= limits.max_chars))


def _text_result(kind: str, text: str, truncated: bool) -> Result:
    if not text:
        return Result(EMPTY, kind=kind, message="Die Datei enthält keinen lesbaren Text.")
    return Result(OK, text=text, truncated=truncated, kind=kind)


def _why(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


# --- The whole extraction (runs in the child) --------------------------------------------------


def extract(path: Path, name: str, limits: Limits) -> Result:
    size = path.stat().st_size
    if size == 0:
        return Result(EMPTY, message="Die Datei ist leer (0 Byte).")
    if size > limits.max_bytes:
        return too_large(size, limits)
    kind = detect_kind(path)
    extension = Path(name).suffix.lower().lstrip(".")
    expected = EXTENSION_KINDS.get(extension)
    note = ""
    if kind == "broken-zip":
        return Result(DAMAGED, message="Die Datei ist beschädigt (ungültiges ZIP-Archiv).")
    if expected and kind != expected:
        if kind in SUPPORTED_KINDS and kind != "text":
            note = (
                f"Die Datei endet auf .{extension}, ihr Inhalt ist aber {KIND_LABELS[kind]}; "
                "sie wurde entsprechend gelesen."
            )
        elif expected != "text":
            return Result(
                DAMAGED,
                kind=kind,
                message=f"Die Datei endet auf .{extension}, ist aber keine lesbare Datei dieses "
                f"Typs ({KIND_LABELS.get(kind, kind)}).",
            )
    if kind not in SUPPORTED_KINDS:
        return Result(
            UNSUPPORTED,
            kind=kind,
            message=f"Dateityp nicht unterstützt: {KIND_LABELS.get(kind, kind)}. {SUPPORTED_TEXT}",
        )
    if kind in {"docx", "odt", "ods"}:
        bomb = zip_bomb_message(path, limits)
        if bomb:
            return Result(TOO_LARGE, kind=kind, message=bomb + " Ihr Text wird nicht gelesen.")
    if kind == "pdf":
        result = read_pdf(path, limits)
    elif kind == "docx":
        result = _guarded(kind, read_docx, path, limits)
    elif kind in {"odt", "ods"}:
        result = _guarded(kind, lambda p, lim: read_odf(p, kind, lim), path, limits)
    else:
        result = read_plain(path, limits)
    result.language = guess_language(result.text)
    if result.truncated:
        result.message = _join(
            result.message,
            f"Nur die ersten {german_number(limits.max_chars)} Zeichen werden durchsucht.",
        )
    result.message = _join(note, result.message)
    return result


def _guarded(kind: str, reader, path: Path, limits: Limits) -> Result:
    try:
        return reader(path, limits)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken office file is a status, not a crash
        return Result(DAMAGED, kind=kind, message=f"Die Datei ist beschädigt ({_why(exc)}).")


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def too_large(size: int, limits: Limits) -> Result:
    return Result(
        TOO_LARGE,
        message=f"Die Datei ist {size_label(size)} groß; gelesen werden Dateien bis "
        f"{size_label(limits.max_bytes)}.",
    )


def _limit_resources(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # not on Unix: only the parent's timeout protects
        return
    memory = limits.max_memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    seconds = int(limits.timeout) + 2
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or seconds < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))


def child_main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    limits = Limits(**request["limits"])
    _limit_resources(limits)
    try:
        result = extract(Path(request["path"]), request["name"], limits)
    except MemoryError:
        result = Result(
            TOO_LARGE,
            message=f"Das Lesen brauchte mehr als {german_number(limits.max_memory_mb)} MB "
            "Arbeitsspeicher und wurde abgebrochen.",
        )
    except Exception as exc:  # noqa: BLE001 - whatever happens, the parent gets a status
        result = Result(DAMAGED, message=f"Die Datei konnte nicht gelesen werden ({_why(exc)}).")
    payload = dataclasses.asdict(result)
    sys.stdout.write(json.dumps(payload, ensure_ascii=True))
    sys.stdout.flush()
    return 0


# --- The parent's side ---------------------------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def extract_isolated(path: Path, name: str, limits: Limits) -> Result:
    """Run extract() in a fresh Python process with the limits; never raises for bad files."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        return too_large(size, limits)
    request = json.dumps(
        {"path": str(path), "name": name, "limits": dataclasses.asdict(limits)}
    ).encode()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    try:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "documents.extraction"],
            input=request,
            capture_output=True,
            timeout=limits.timeout,
            cwd=PROJECT_ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Result(
            TIMEOUT,
            message=f"Das Lesen dauerte länger als {seconds_label(limits.timeout)} und wurde "
            "abgebrochen.",
        )
    try:
        payload = json.loads(completed.stdout.decode("ascii"))
        return Result(**payload)
    except (ValueError, TypeError, UnicodeDecodeError):
        # No answer: the child died (memory limit, CPU limit, a crash in a C library).
        return Result(
            TOO_LARGE if completed.returncode < 0 else DAMAGED,
            message="Das Lesen wurde abgebrochen (Speicher- oder Rechenzeitgrenze erreicht)."
            if completed.returncode < 0
            else "Die Datei konnte nicht gelesen werden.",
        )


if __name__ == "__main__":
    sys.exit(child_main())
