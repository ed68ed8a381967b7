"""Build the Notfallhandbuch as a static HTML bundle (ZIP) that works from file:// offline.

Every page is rendered with the project's templates and blocks inside a handbook base
(templates/handbook/) that has no search box, forms or navigation needing a server. The HTML is
then rewritten: links between handbook pages become relative file names, images (the renditions
actually used) and linked documents are copied into the ZIP, links to the rest of the Wissensnetz
become text marked "nur im Wissensnetz", external links text with their address. The search is a
script assigning the index to a global (fetch() of a local JSON file is refused under file://)
plus static/js/handbook_search.js.

The ZIP is written to a temporary file next to its target and moved into place with os.replace,
so a reader never sees a half-written bundle.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

from kb.collation import by_name
from kb.listings import body_with_anchors, last_publication, table_of_contents
from kb.models import ArticlePage, ContactPerson, TopicPage
from kb.templatetags.kb_tags import safe_richtext
from kb.topics import find_topic

from .models import HandbookSettings

DEFAULT_TOPIC = "Krisenmanagement"
FOLDER = "notfallhandbuch"  # the one top-level folder inside the ZIP
FILE_PREFIX = "notfallhandbuch-"
ONLY_ONLINE = "nur im Wissensnetz"
# Per page in the search index: enough for every word of a long article, bounded for 1 000.
INDEX_BODY_CHARS = 20_000
DOCUMENT_PATH = re.compile(r"^/documents/(\d+)/")


@dataclass
class Entry:
    """One page of the handbook and where it lives in the bundle."""

    page: Page
    private: bool = False
    chosen: bool = False  # an extra page, not from the start page's subtree
    filename: str = ""


@dataclass
class BuildResult:
    path: Path
    size: int
    seconds: float
    pages: int
    private_pages: int
    built_at: datetime
    skipped_private: list[str] = field(default_factory=list)


def handbook_root() -> Path:
    """Folder of the built bundles (setting HANDBOOK_ROOT, default MEDIA_ROOT/handbook)."""
    configured = getattr(settings, "HANDBOOK_ROOT", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "handbook"


def keep_versions() -> int:
    return max(1, int(getattr(settings, "HANDBOOK_KEEP_VERSIONS", 5)))


def built_bundles() -> list[Path]:
    """The bundles in handbook_root(), newest first."""
    root = handbook_root()
    if not root.is_dir():
        return []
    return sorted(root.glob(f"{FILE_PREFIX}*.zip"), key=lambda p: p.name, reverse=True)


def _restricted_paths() -> list[str]:
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def _is_restricted(page: Page, restricted: list[str]) -> bool:
    return any(page.path.startswith(path) for path in restricted)


def default_site() -> Site:
    return Site.objects.filter(is_default_site=True).first() or Site.objects.first()


def select_pages(site: Site | None = None) -> tuple[list[Entry], list[str]]:
    """The live pages of the handbook, in tree order, and the titles of chosen private pages
    left out because "Auch wenn nicht öffentlich" is not ticked.

    The subtree brings only public pages; drafts and unpublished pages never come in."""
    site = site or default_site()
    config = HandbookSettings.for_site(site) if site else None
    root = config.root_page if config and config.root_page_id else find_topic(DEFAULT_TOPIC)
    restricted = _restricted_paths()
    entries: dict[int, Entry] = {}
    if root is not None and root.live:
        pages = (
            Page.objects.live().descendant_of(root, inclusive=True)
            if config is None or config.include_subtree
            else Page.objects.live().filter(pk=root.pk)
        )
        for page in pages.order_by("path"):
            if not _is_restricted(page, restricted):
                entries[page.pk] = Entry(page=page)
    skipped = []
    if config is not None:
        for choice in config.extra_pages.select_related("page").order_by("sort_order"):
            page = choice.page
            if not page.live or page.pk in entries:
                continue
            private = _is_restricted(page, restricted)
            if private and not choice.include_private:
                skipped.append(page.title)
                continue
            entries[page.pk] = Entry(page=page, private=private, chosen=True)
    ordered = sorted(entries.values(), key=lambda e: (e.chosen, e.page.path))
    specific = {p.pk: p for p in Page.objects.filter(pk__in=entries).specific()}
    for entry in ordered:
        entry.page = specific[entry.page.pk]
        entry.filename = f"{entry.page.pk}-{slugify(entry.page.slug)[:60] or 'seite'}.html"
    return ordered, skipped


class _Assets:
    """Images and documents referenced by the pages, copied into the ZIP once each."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.written: dict[str, str | None] = {}

    def _copy(self, key: str, storage_name: str, target: str) -> str | None:
        if key not in self.written:
            try:
                with default_storage.open(storage_name, "rb") as source:
                    self.archive.writestr(f"{FOLDER}/{target}", source.read())
                self.written[key] = target
            except (OSError, ValueError):
                self.written[key] = None  # a missing file stays "nur im Wissensnetz"
        return self.written[key]

    def image(self, path: str, allow_private: bool) -> str | None:
        media_url = settings.MEDIA_URL
        if not path.startswith(media_url):
            return None
        name = unquote(path[len(media_url) :])
        if not _image_allowed(name, allow_private):
            return None
        return self._copy("img:" + name, name, "bilder/" + posixpath.basename(name))

    def document(self, document_id: int, allow_private: bool) -> str | None:
        document = get_document_model().objects.filter(pk=document_id).first()
        if document is None or not document.file:
            return None
        if not allow_private and document.collection.get_view_restrictions().exists():
            return None
        filename = posixpath.basename(document.file.name)
        return self._copy(
            f"doc:{document.pk}", document.file.name, f"dokumente/{document.pk}-{filename}"
        )


def _image_allowed(name: str, allow_private: bool) -> bool:
    """An image in a collection with a view restriction only for an explicitly private page."""
    if allow_private:
        return True
    image_model = get_image_model()
    image = image_model.objects.filter(file=name).select_related("collection").first()
    if image is None:
        rendition = (
            image_model.get_rendition_model()
            .objects.filter(file=name)
            .select_related("image__collection")
            .first()
        )
        image = rendition.image if rendition else None
    return image is not None and not image.collection.get_view_restrictions().exists()


def _page_paths(entries: list[Entry]) -> dict[str, str]:
    """URL path of each handbook page → its file in the bundle."""
    paths = {}
    for entry in entries:
        url = entry.page.get_url()
        if url:
            paths[urlsplit(url).path] = entry.filename
    return paths


def _own_hosts() -> set[str]:
    hosts = {site.hostname for site in Site.objects.all()}
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if base:
        hosts.add(urlsplit(base).hostname or "")
    return hosts


class _Rewriter:
    """Rewrites one rendered page so that it works inside the bundle."""

    def __init__(self, page_paths: dict[str, str], assets: _Assets, files: set[str]):
        self.page_paths = page_paths
        self.assets = assets
        self.files = files  # the bundle's own HTML files, linked by name from its templates
        self.hosts = _own_hosts()

    def _as_text(self, soup: BeautifulSoup, link, note: str) -> None:
        span = soup.new_tag("span", attrs={"class": "handbook-offline-link"})
        span.string = link.get_text()
        hint = soup.new_tag("span", attrs={"class": "hint"})
        hint.string = f" ({note})"
        link.replace_with(span, hint)

    def _target(self, href: str, allow_private: bool) -> str | None:
        """The bundle file `href` should point to; None: not in the bundle."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https") or parts.hostname not in self.hosts:
                return None
        elif not href.startswith("/"):
            return href if parts.path in self.files else None
        path = parts.path
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        page_file = self.page_paths.get(path) or self.page_paths.get(path.rstrip("/") + "/")
        if page_file:
            return page_file + fragment
        document = DOCUMENT_PATH.match(path)
        if document:
            return self.assets.document(int(document.group(1)), allow_private)
        return self.assets.image(path, allow_private)

    def __call__(self, html: str, allow_private: bool) -> BeautifulSoup:
        soup = BeautifulSoup(html, "html.parser")
        for link in soup.find_all("a", href=True):
            href = link["href"].strip()
            if href.startswith(("#", "mailto:", "tel:")):
                continue
            target = self._target(href, allow_private)
            if target:
                link["href"] = target
            elif (
                urlsplit(href).scheme in ("http", "https")
                and urlsplit(href).hostname not in self.hosts
            ):
                self._as_text(soup, link, f"externer Link: {href}")
            else:
                self._as_text(soup, link, ONLY_ONLINE)
        for image in soup.find_all("img"):
            image.attrs.pop("srcset", None)  # the single rendition in src is the one copied
            src = image.get("src", "")
            copied = None if "//" in src else self.assets.image(urlsplit(src).path, allow_private)
            if copied:
                image["src"] = copied
            elif not src.startswith(("assets/", "bilder/")):
                note = soup.new_tag("span", attrs={"class": "hint"})
                alt = image.get("alt")
                note.string = f"(Bild {ONLY_ONLINE}{': ' + alt if alt else ''})"
                image.replace_with(note)
        for form in soup.find_all("form", attrs={"data-handbook-search": False}):
            form.decompose()  # nothing can be sent offline
        return soup


def _contacts(entries: list[Entry]) -> list[dict]:
    """Every contact person of the handbook's articles, once, in German name order, with the
    pages naming them."""
    people: dict[int, dict] = {}
    for entry in entries:
        if not isinstance(entry.page, ArticlePage):
            continue
        for person in entry.page.contacts.all():
            people.setdefault(person.pk, {"person": person, "pages": []})["pages"].append(entry)
    order = {p.pk: i for i, p in enumerate(by_name([item["person"] for item in people.values()]))}
    return sorted(people.values(), key=lambda item: order[item["person"].pk])


def _page_context(entry: Entry, entries_by_pk: dict[int, Entry]) -> dict:
    page = entry.page
    context: dict = {"page": page, "entry": entry, "template": "generic"}
    if isinstance(page, ArticlePage):
        body = body_with_anchors(page)
        counterpart = page.counterpart if page.counterpart_id else None
        context.update(
            template="article",
            body_blocks=body,
            toc=table_of_contents(body),
            counterpart=counterpart,
            counterpart_entry=entries_by_pk.get(page.counterpart_id),
            **last_publication(page),
        )
    elif not isinstance(page, TopicPage):
        body = getattr(page, "body", None)
        if hasattr(body, "render_as_block"):
            context["body_html"] = body.render_as_block()
        elif isinstance(body, str):
            context["body_html"] = safe_richtext(body)
    else:
        context.update(
            template="topic",
            children=[
                entries_by_pk[child.pk]
                for child in page.get_children().live().order_by("path")
                if child.pk in entries_by_pk
            ],
        )
    return context


def _search_entry(entry: Entry, soup: BeautifulSoup) -> dict:
    main = soup.find(id="handbook-page") or soup
    summary = getattr(entry.page, "summary", "") or ""
    text = " ".join(main.get_text(" ").split())
    return {"t": entry.page.title, "s": summary, "b": text[:INDEX_BODY_CHARS], "u": entry.filename}


def _static_file(name: str) -> bytes:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"static file {name} not found")
    return Path(found).read_bytes()


def _css(name: str) -> bytes:
    # url(/static/...) references would point at the server: the bundle's CSS has none.
    text = _static_file(name).decode()
    return re.sub(r"url\(\s*['\"]?/static/[^)]*\)", "none", text).encode()


def _write_bundle(archive: zipfile.ZipFile, built_at: datetime) -> tuple[int, int]:
    entries, skipped = select_pages()
    entries_by_pk = {entry.page.pk: entry for entry in entries}
    articles = [e.page for e in entries if isinstance(e.page, ArticlePage)]
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        articles,
        "cities",
        "tags",
        Prefetch("contacts", queryset=ContactPerson.objects.select_related("department", "city")),
    )
    files = {e.filename for e in entries} | {"index.html", "kontakte.html"}
    rewrite = _Rewriter(_page_paths(entries), _Assets(archive), files)
    common = {"built_at": built_at, "only_online": ONLY_ONLINE}
    search_index = []

    def write_html(filename: str, html: str, allow_private: bool) -> BeautifulSoup:
        soup = rewrite(html, allow_private)
        archive.writestr(f"{FOLDER}/{filename}", str(soup))
        return soup

    for entry in entries:
        context = {**common, **_page_context(entry, entries_by_pk)}
        html = render_to_string(f"handbook/{context['template']}.html", context)
        soup = write_html(entry.filename, html, entry.private)
        search_index.append(_search_entry(entry, soup))

    roots = [e for e in entries if not e.chosen]
    toc = _tree(roots) + [{"entry": e, "children": []} for e in entries if e.chosen]
    write_html(
        "index.html",
        render_to_string(
            "handbook/index.html",
            {**common, "toc": toc, "entries": entries, "skipped": skipped},
        ),
        False,
    )
    write_html(
        "kontakte.html",
        render_to_string(
            "handbook/contacts.html",
            {**common, "contacts": _contacts(entries)},
        ),
        False,
    )
    # JSON inside a script: "</" must not end the script element early.
    index_js = (
        "window.HANDBOOK_SEARCH_INDEX = "
        + json.dumps(search_index, ensure_ascii=False).replace("</", "<\\/")
        + ";\n"
    )
    archive.writestr(f"{FOLDER}/search-index.js", index_js)
    archive.writestr(f"{FOLDER}/assets/wissensnetz.css", _css("css/wissensnetz.css"))
    archive.writestr(f"{FOLDER}/assets/handbook.css", _css("css/handbook.css"))
    archive.writestr(f"{FOLDER}/assets/handbook_search.js", _static_file("js/handbook_search.js"))
    archive.writestr(f"{FOLDER}/assets/favicon.svg", _static_file("img/favicon.svg"))
    return len(entries), sum(1 for e in entries if e.private)


def _tree(entries: list[Entry]) -> list[dict]:
    """Nested table of contents of the subtree pages (tree order in, nodes out)."""
    nodes: list[dict] = []
    stack: list[tuple[int, dict]] = []
    for entry in entries:
        node = {"entry": entry, "children": []}
        while stack and not entry.page.path.startswith(stack[-1][1]["entry"].page.path):
            stack.pop()
        (stack[-1][1]["children"] if stack else nodes).append(node)
        stack.append((entry.page.depth, node))
    return nodes


def build_bundle(output: Path | str | None = None) -> BuildResult:
    """Build the bundle; into `output`, or a new timestamped file in handbook_root() (older
    ones beyond HANDBOOK_KEEP_VERSIONS removed)."""
    started = time.monotonic()
    built_at = timezone.localtime()
    if output is None:
        target = handbook_root() / f"{FILE_PREFIX}{built_at:%Y%m%d-%H%M%S}.zip"
    else:
        target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".handbook-", suffix=".part")
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            pages, private = _write_bundle(archive, built_at)
        os.chmod(temp_name, 0o640)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if output is None:
        for old in built_bundles()[keep_versions() :]:
            old.unlink(missing_ok=True)
    return BuildResult(
        path=target,
        size=target.stat().st_size,
        seconds=time.monotonic() - started,
        pages=pages,
        private_pages=private,
        built_at=built_at,
    )
