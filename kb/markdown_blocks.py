"""Markdown of the import format <-> StreamField blocks of an article.

The import format (FORMAT.md) has paragraphs, '## ' headings and '- ' lists. We also read and
write '### ' headings, numbered lists, '> ' quotes, '> **Praxistipp:** …' / '> **Lessons
learned:** …' callouts and '|' tables, so that what editors build in the admin survives an
export -> import round trip. Raw HTML in Markdown is never passed through: text is escaped before
the inline Markdown is rendered, and the result is sanitised once more with an allow-list.
"""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser
from typing import Any

import markdown as markdown_lib
import nh3

from .blocks import sanitize_rich_text

CALLOUT_LABELS = {"praxistipp": "Praxistipp", "lessons": "Lessons learned"}
_CALLOUT_RE = re.compile(r"^\*\*(Praxistipp|Lessons learned):\*\*\s*", re.IGNORECASE)
_NUMBERED_RE = re.compile(r"^\d{1,3}[.)]\s+")
_BULLET_RE = re.compile(r"^[-*+]\s+")


_local = threading.local()


def _markdown(text: str) -> str:
    """Markdown to HTML with one converter per thread: building a converter costs more than
    converting a paragraph, and an import converts tens of thousands of them."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown()
        # Images are not part of the import format: image syntax stays text, so a broken image
        # cannot swallow the words after it.
        converter.inlinePatterns.deregister("image_link")
        converter.inlinePatterns.deregister("image_reference")
    return converter.reset().convert(text)


# A line of letters, digits, spaces and ordinary punctuation, not starting like a block (list,
# heading, quote, code): Markdown would return it unchanged, so it needs no conversion.
_PLAIN_LINE_RE = re.compile(r"(?![\d.]+[.)]\s)[^\W_][\w ,.;:?!()'\"„“‚‘/%€§°–—+=-]*")


def inline_html(text: str) -> str:
    """Render one paragraph of Markdown to Wagtail's rich text HTML (b/i, not strong/em)."""
    lines = text.strip().split("\n")
    if all(_PLAIN_LINE_RE.fullmatch(line) and "  " not in line for line in lines):
        return sanitize_rich_text(f"<p>{html.escape(chr(10).join(lines), quote=False)}</p>")
    rendered = _markdown(html.escape(text, quote=False))
    rendered = re.sub(r"<(/?)strong>", r"<\1b>", rendered)
    rendered = re.sub(r"<(/?)em>", r"<\1i>", rendered)
    rendered = sanitize_rich_text(rendered)
    return rendered if rendered.startswith("<p>") else f"<p>{rendered}</p>"


def inline_text(text: str) -> str:
    """Markdown of one line rendered to plain text (for headings and list items)."""
    stripped = text.strip()
    if _PLAIN_LINE_RE.fullmatch(stripped) and "  " not in stripped:
        return stripped
    rendered = _markdown(html.escape(text, quote=False))
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


def _parse_table(lines: list[str]) -> dict[str, Any]:
    rows = []
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells if cell):
            continue  # the header separator row
        rows.append([inline_text(cell) for cell in cells])
    return {
        "data": rows,
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "",
    }


# Python-Markdown's link parsing takes quadratic time in the "[" of one paragraph (99 000 of
# them: half an hour); no real paragraph needs more than a few dozen.
MAX_BRACKETS_PER_PARAGRAPH = 200


def markdown_problem(text: str) -> str | None:
    """Why `text` cannot be converted in bounded time, or None (checked before any import)."""
    for paragraph in re.split(r"\n\s*\n", text):
        if paragraph.count("[") > MAX_BRACKETS_PER_PARAGRAPH:
            return (
                f"ein Absatz enthält mehr als {MAX_BRACKETS_PER_PARAGRAPH} „[“ "
                "(bitte den Text prüfen)"
            )
    return None


def markdown_to_blocks(text: str) -> list[dict[str, Any]]:
    """Split Markdown into StreamField block data ({"type", "value"} dicts)."""
    blocks: list[dict[str, Any]] = []
    paragraph: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append({"type": "paragraph", "value": inline_html("\n".join(paragraph))})
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        stripped = line.strip()
        if not stripped:
            flush_paragraph()
            index += 1
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if heading:
            flush_paragraph()
            level = "h3" if len(heading.group(1)) >= 3 else "h2"
            blocks.append(
                {
                    "type": "heading",
                    "value": {"text": inline_text(heading.group(2)), "level": level},
                }
            )
            index += 1
            continue
        for pattern, style in ((_BULLET_RE, "bullet"), (_NUMBERED_RE, "numbered")):
            if pattern.match(stripped) and not (style == "bullet" and stripped.startswith("**")):
                flush_paragraph()
                items = []
                while index < len(lines) and pattern.match(lines[index].strip()):
                    items.append(inline_text(pattern.sub("", lines[index].strip(), count=1)))
                    index += 1
                blocks.append({"type": "list", "value": {"style": style, "items": items}})
                break
        else:
            if stripped.startswith(">"):
                flush_paragraph()
                quoted = []
                while index < len(lines) and lines[index].strip().startswith(">"):
                    quoted.append(re.sub(r"^>\s?", "", lines[index].strip()))
                    index += 1
                blocks.append(_quote_or_callout(quoted))
            elif stripped.startswith("|"):
                flush_paragraph()
                rows = []
                while index < len(lines) and lines[index].strip().startswith("|"):
                    rows.append(lines[index])
                    index += 1
                blocks.append({"type": "table", "value": _parse_table(rows)})
            else:
                paragraph.append(stripped)
                index += 1
    flush_paragraph()
    return blocks


def _quote_or_callout(lines: list[str]) -> dict[str, Any]:
    first = lines[0] if lines else ""
    callout = _CALLOUT_RE.match(first)
    if callout:
        kind = "lessons" if callout.group(1).lower().startswith("lessons") else "praxistipp"
        lines = [first[callout.end() :], *lines[1:]]
        paragraphs = "\n".join(lines).split("\n\n")
        value = "".join(inline_html(part) for part in paragraphs if part.strip())
        return {"type": "callout", "value": {"kind": kind, "text": value}}
    source = ""
    if lines and re.match(r"^(—|--)\s*", lines[-1]):
        source = re.sub(r"^(—|--)\s*", "", lines.pop()).strip()
    return {"type": "quote", "value": {"text": "\n".join(lines).strip(), "source": source}}


# --- blocks -> Markdown ------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*\[\]])")


def escape_markdown(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # An underscore only means emphasis at a word edge; inside words (file_name) it is literal.
    return re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)


class _HtmlToMarkdown(HTMLParser):
    """Converts the rich text subset we store back to Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []
        self.list_stack: list[str] = []
        self.counters: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"b", "strong"}:
            self.parts.append("**")
        elif tag in {"i", "em"}:
            self.parts.append("*")
        elif tag == "code":
            self.parts.append("`")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append(href)
            if href:
                self.parts.append("[")
        elif tag in {"ul", "ol"}:
            self.parts.append("\n\n")
            self.list_stack.append(tag)
            self.counters.append(0)
        elif tag == "li":
            if self.list_stack and self.list_stack[-1] == "ol":
                self.counters[-1] += 1
                self.parts.append(f"{self.counters[-1]}. ")
            else:
                self.parts.append("- ")
        elif tag == "p":
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"b", "strong"}:
            self.parts.append("**")
        elif tag in {"i", "em"}:
            self.parts.append("*")
        elif tag == "code":
            self.parts.append("`")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self.parts.append(f"]({href})")
        elif tag in {"ul", "ol"}:
            if self.list_stack:
                self.list_stack.pop()
                self.counters.pop()
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n")
        elif tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(
            escape_markdown(re.sub(r"\s*\n\s*", " ", data) if not self.list_stack else data.strip())
        )


def html_to_markdown(value: str) -> str:
    parser = _HtmlToMarkdown()
    parser.feed(str(value))
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _table_to_markdown(value: dict[str, Any]) -> str:
    rows = [
        [(cell or "").replace("|", "/").replace("\n", " ") for cell in row]
        for row in value.get("data") or []
    ]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(escape_markdown(cell) for cell in rows[0]) + " |"]
    lines.append("| " + " | ".join("---" for _ in range(width)) + " |")
    lines += ["| " + " | ".join(escape_markdown(cell) for cell in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def block_to_markdown(kind: str, value: Any) -> str:
    if kind == "heading":
        marker = "###" if value["level"] == "h3" else "##"
        return f"{marker} {escape_markdown(value['text'])}"
    if kind == "paragraph":
        return html_to_markdown(value.source)
    if kind == "list":
        numbered = value["style"] == "numbered"
        return "\n".join(
            f"{number}. {escape_markdown(item)}" if numbered else f"- {escape_markdown(item)}"
            for number, item in enumerate(value["items"], start=1)
        )
    if kind == "callout":
        text = html_to_markdown(value["text"].source)
        label = CALLOUT_LABELS.get(value["kind"], "Praxistipp")
        quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
        return f"> **{label}:** {quoted[2:]}"
    if kind == "quote":
        quoted = "\n".join(f"> {line}" for line in value["text"].split("\n"))
        return quoted + (f"\n> — {value['source']}" if value.get("source") else "")
    if kind == "table":
        return _table_to_markdown(value)
    if kind == "document" and value.get("document"):
        document = value["document"]
        return f"[{escape_markdown(value.get('title') or document.title)}]({document.url})"
    # Images are media, not text: they travel with the media backup, not with the JSONL format.
    return ""


def blocks_to_markdown(body) -> str:
    """Render an article body (StreamValue) as import-format Markdown."""
    return _join(
        [(block.block_type, block_to_markdown(block.block_type, block.value)) for block in body]
    )


def _join(parts: list[tuple[str, str]]) -> str:
    """Blank lines between blocks, except directly under a heading (the format's own style)."""
    out = ""
    previous = ""
    for kind, text in parts:
        if not text.strip():
            continue
        if out:
            out += "\n" if previous == "heading" else "\n\n"
        out += text
        previous = kind
    return out
