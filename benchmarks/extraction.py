#!/usr/bin/env python3
"""Document text extraction benchmark: 100 generated PDFs of 20 pages each.

    python benchmarks/extraction.py [--files 100] [--pages 20]

The PDFs are written by tests/documents_files.py (Helvetica text, German municipal sentences,
about 40 lines a page). Timed: reading each one as production does — in a separate, limited
Python process (documents.extraction.extract_isolated) — one after the other, and for
comparison the parsing alone in this process (documents.extraction.extract). Prints a Markdown
table and writes it to the "extraction" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine_info, percentile, timestamp, write_section  # noqa: E402
from documents.extraction import OK, Limits, extract, extract_isolated  # noqa: E402
from tests.documents_files import pdf_bytes  # noqa: E402

WORDS = (
    "Hochwasserschutzkonzept Notfalltreffpunkt Stromausfall Krisenstab Feuerwehrgerätehaus "
    "Bürgerbüro Trinkwasserversorgung Katastrophenschutz Einsatzleitung Lagebesprechung "
    "Verwaltungsvorstand Dorfgemeinschaftshaus Warnmeldung Bevölkerungsschutz Netzersatzanlage "
    "die der und mit für bei im Fall einer Stadt wird werden sind nach Abstimmung geprüft"
).split()
LIMITS = Limits(
    max_bytes=50 * 1024 * 1024, max_pages=500, max_chars=100_000, timeout=30, max_memory_mb=512
)


def document(rng: random.Random, pages: int) -> bytes:
    return pdf_bytes(
        [
            [" ".join(rng.choice(WORDS) for _ in range(11)) + "." for _ in range(40)]
            for _ in range(pages)
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--pages", type=int, default=20)
    options = parser.parse_args()
    rng = random.Random(14)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number in range(options.files):
            path = Path(folder) / f"konzept-{number}.pdf"
            path.write_bytes(document(rng, options.pages))
            paths.append(path)
        megabytes = sum(path.stat().st_size for path in paths) / 1024 / 1024
        for label, reader in (
            ("separate process (production)", extract_isolated),
            ("parsing only (same process)", extract),
        ):
            times, characters = [], 0
            started = time.perf_counter()
            for path in paths:
                begin = time.perf_counter()
                result = reader(path, path.name, LIMITS)
                times.append(time.perf_counter() - begin)
                assert result.status == OK, (path, result.status, result.message)
                characters += len(result.text)
            total = time.perf_counter() - started
            rows.append(
                f"| {label} | {options.files} × {options.pages} | {megabytes:.1f} MB | "
                f"{characters:,} | {total:.1f} s | {options.files / total:.1f} | "
                f"{options.files * options.pages / total:.0f} | "
                f"{statistics.median(times) * 1000:.0f} ms | "
                f"{percentile(times, 0.95) * 1000:.0f} ms |"
            )
    table = "\n".join(
        [
            "| reading | PDFs × pages | size | characters | total | files/s | pages/s | "
            "median per file | p95 per file |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    machine = ", ".join(f"{key} {value}" for key, value in machine_info().items())
    section = (
        f"## Document text extraction (issue 15)\n\nMeasured {timestamp()} ({machine}) by "
        "`python benchmarks/extraction.py`: generated PDFs (tests/documents_files.py), read one "
        "after the other.\n\n" + table
    )
    print(table)
    write_section(ROOT / "benchmarks" / "RESULTS.md", "extraction", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
