"""The Notfallhandbuch as an offline ZIP: pages, contents, contacts, links, files, privacy.

The bundle is built from the demo content (topic area "Krisenmanagement") plus an article with
an image, a document and links of every kind, a private and a draft article, and chosen pages
elsewhere; then unzipped and read like a reader's browser would.
"""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Site

from handbook import bundle
from handbook.models import HandbookPage, HandbookSettings
from kb.models import ArticlePage, City, ContactPerson, TopicPage

pytestmark = pytest.mark.django_db

FOLDER = "notfallhandbuch/"
PHONE = "02932 201-1234"
DOCUMENT_TEXT = "Checkliste Notstrom: Aggregat prüfen, Treibstoff für 72 Stunden.\n"
STAND = re.compile(r"Stand: \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr")


def png_bytes() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (60, 40), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def article(topic, title: str, body: list | None = None, *, publish: bool = True, **fields):
    page = ArticlePage(
        title=title,
        summary=fields.pop("summary", f"Kurzfassung zu {title}."),
        body=json.dumps(body or []),
        live=False,
        **fields,
    )
    topic.add_child(instance=page)
    page.cities.set(City.objects.filter(name="Arnsberg"))
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def restrict(page) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Chefredaktion"))


@pytest.fixture
def handbook_content(demo_articles, settings, tmp_path):
    """Krisenmanagement with a rich article, a private one and a draft, plus chosen pages."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.HANDBOOK_ROOT = str(tmp_path / "bundles")
    # Wagtail caches renditions by image id; ids repeat between tests, files do not.
    caches["default"].clear()
    crisis = TopicPage.objects.get(title="Krisenmanagement")
    other_topic = TopicPage.objects.exclude(pk=crisis.pk).filter(live=True).first()
    blackout = ArticlePage.objects.child_of(crisis).live().order_by("path").first()
    outside = ArticlePage.objects.live().exclude(path__startswith=crisis.path).first()
    image = get_image_model().objects.create(
        title="Notstromaggregat", file=ImageFile(BytesIO(png_bytes()), name="aggregat.png")
    )
    document = get_document_model().objects.create(
        title="Checkliste Notstrom", file=ContentFile(DOCUMENT_TEXT.encode(), name="checkliste.txt")
    )
    contact = ContactPerson.objects.create(
        name="Greta Notstrom",
        role="Leitung Krisenstab",
        city=City.objects.get(name="Sundern"),
        phone=PHONE,
        email="greta.notstrom@sundern.example",
    )
    paragraph = (
        f'<p>Vorher lesen: <a linktype="page" id="{blackout.pk}">{blackout.title}</a>. '
        f'Hintergrund: <a linktype="page" id="{outside.pk}">Beitrag außerhalb</a>. '
        f'Die <a linktype="document" id="{document.pk}">Checkliste als Datei</a>. '
        f'Mehr beim <a href="https://www.bbk.bund.de/notstrom">Bundesamt</a>.</p>'
    )
    rich = article(
        crisis,
        "Notstrom im Rathaus",
        [
            {"type": "heading", "value": {"text": "Ablauf bei Stromausfall", "level": "h2"}},
            {"type": "paragraph", "value": paragraph},
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "caption": "Das Aggregat",
                    "alt_text": "Aggregat im Keller",
                },
            },
            {
                "type": "document",
                "value": {"document": document.pk, "title": "Checkliste herunterladen"},
            },
        ],
        summary="Wie das Rathaus bei einem Blackout mit Strom versorgt wird.",
    )
    rich.contacts.add(contact)
    rich.save_revision().publish()
    # A newer draft of a live article: the handbook shows the published version.
    draft_change = ArticlePage.objects.get(pk=rich.pk)
    draft_change.title = "ENTWURF Notstrom neu"
    draft_change.save_revision()

    secret = article(crisis, "Geheimer Alarmplan Wasserwerk")
    restrict(secret)
    article(crisis, "Unveröffentlichter Evakuierungsplan", publish=False)

    chosen_private = article(other_topic, "Vertrauliche Schutzraumliste")
    restrict(chosen_private)
    unticked_private = article(other_topic, "Interne Kommunikationswege Stab")
    restrict(unticked_private)
    chosen_public = article(other_topic, "Trinkwasser-Notversorgung")

    config = HandbookSettings.for_site(Site.objects.get(is_default_site=True))
    for position, (page, private) in enumerate(
        [(chosen_private, True), (unticked_private, False), (chosen_public, False)]
    ):
        HandbookPage.objects.create(
            setting=config, page=page, include_private=private, sort_order=position
        )
    return {
        "crisis": crisis,
        "blackout": blackout,
        "outside": outside,
        "rich": rich,
        "image": image,
        "document": document,
        "chosen_private": chosen_private,
        "chosen_public": chosen_public,
        "unticked_private": unticked_private,
    }


def build(tmp_path: Path) -> tuple[zipfile.ZipFile, str]:
    out = StringIO()
    target = tmp_path / "handbuch.zip"
    call_command("kb_build_handbook", output=str(target), stdout=out)
    return zipfile.ZipFile(target), out.getvalue()


def html_files(archive: zipfile.ZipFile) -> dict[str, BeautifulSoup]:
    return {
        name[len(FOLDER) :]: BeautifulSoup(archive.read(name).decode(), "html.parser")
        for name in archive.namelist()
        if name.endswith(".html")
    }


def file_of(archive: zipfile.ZipFile, page) -> str:
    (name,) = [n for n in archive.namelist() if re.fullmatch(rf"{FOLDER}{page.pk}-[^/]+\.html", n)]
    return name[len(FOLDER) :]


def all_text(archive: zipfile.ZipFile) -> str:
    return "\n".join(
        archive.read(n).decode() for n in archive.namelist() if n.endswith((".html", ".js"))
    )


def test_bundle_has_contents_pages_contacts_and_stand(handbook_content, tmp_path):
    archive, output = build(tmp_path)
    assert re.search(r"\d+ Seiten.*Bytes.*gebaut in \d+\.\d\d s", output)
    pages = html_files(archive)
    assert {"index.html", "kontakte.html"} <= set(pages)

    # The contents lists the topic area, its public articles and the chosen pages, linked.
    index = pages["index.html"]
    toc_links = {a.get_text(strip=True): a["href"] for a in index.select(".handbook-toc a")}
    for key in ("crisis", "blackout", "rich", "chosen_public", "chosen_private"):
        page = handbook_content[key]
        assert toc_links[page.title] == file_of(archive, page)
    assert "Notstrom im Rathaus" in pages[file_of(archive, handbook_content["rich"])].h1.text

    # Every page says when the handbook was built.
    for name, soup in pages.items():
        assert STAND.search(soup.get_text(" ")), name

    # The contacts page: every contact person of the handbook's articles with the phone number
    # as a tel: link, and the pages they answer for.
    contacts = pages["kontakte.html"]
    row = next(tr for tr in contacts.select("tbody tr") if "Greta Notstrom" in tr.th.text)
    assert row.find("a", href="tel:029322011234").text == PHONE
    assert row.find("a", string="Notstrom im Rathaus")["href"] == file_of(
        archive, handbook_content["rich"]
    )
    demo_phone = ContactPerson.objects.filter(articles__in=[handbook_content["blackout"]]).first()
    assert demo_phone and demo_phone.name in contacts.get_text()


def test_links_images_and_documents_work_inside_the_bundle(handbook_content, tmp_path):
    archive, _ = build(tmp_path)
    names = {n[len(FOLDER) :] for n in archive.namelist()}
    pages = html_files(archive)
    for name, soup in pages.items():
        for tag in soup.find_all(["a", "img", "link", "script"]):
            url = tag.get("href") or tag.get("src")
            if not url or url.startswith(("mailto:", "tel:")):
                continue
            assert not re.match(r"^(https?:)?//", url), (name, url)
            assert not url.startswith("/"), (name, url)
            path, _, fragment = url.partition("#")
            target = path or name
            assert target in names, (name, url)
            if fragment and target.endswith(".html"):
                assert pages[target].find(id=fragment), (name, url)
        assert "/static/" not in str(soup), name
        assert "/media/" not in str(soup) and "/documents/" not in str(soup), name

    rich = pages[file_of(archive, handbook_content["rich"])]
    body = rich.select_one(".article__body")
    # A link to a page in the handbook is relative; one to a page outside is text, marked.
    assert body.find("a", string=handbook_content["blackout"].title)["href"] == file_of(
        archive, handbook_content["blackout"]
    )
    assert not body.find("a", string="Beitrag außerhalb")
    assert "Beitrag außerhalb (nur im Wissensnetz)" in " ".join(body.get_text(" ").split())
    # An external link keeps its address as text (to type in once the net is back).
    assert "externer Link: https://www.bbk.bund.de/notstrom" in body.get_text()
    # The image rendition used is in the ZIP; the document (block and rich text link) too.
    img = body.find("img")
    assert img["src"].startswith("bilder/") and img["alt"] == "Aggregat im Keller"
    assert archive.read(FOLDER + img["src"]).startswith(b"\x89PNG")
    document_links = {a["href"] for a in body.find_all("a") if a["href"].startswith("dokumente/")}
    assert len(document_links) == 1
    assert archive.read(FOLDER + document_links.pop()).decode() == DOCUMENT_TEXT
    # The CSS is the project's own.
    assert b".article-layout" in archive.read(FOLDER + "assets/wissensnetz.css")


def test_private_pages_only_when_chosen_and_drafts_never(handbook_content, tmp_path):
    archive, _ = build(tmp_path)
    text = all_text(archive)
    assert "Geheimer Alarmplan Wasserwerk" not in text  # private, in the subtree
    assert "Unveröffentlichter Evakuierungsplan" not in text
    assert "ENTWURF" not in text
    pages = html_files(archive)
    # The unticked private page appears only in the note of what was left out, never as a page;
    # a page outside the handbook is no page of it either.
    for key in ("unticked_private", "outside"):
        assert not [n for n in pages if n.startswith(f"{handbook_content[key].pk}-")], key
    index = pages["index.html"]
    assert "Interne Kommunikationswege Stab" not in " ".join(
        a.text for a in index.select(".handbook-toc a")
    )
    # The chosen private page is in, and marked as such in the contents and on the page.
    private = handbook_content["chosen_private"]
    entry = index.find("a", string=private.title).parent
    assert "nicht öffentlich im Wissensnetz" in entry.get_text()
    assert "Nicht öffentlich im Wissensnetz" in pages[file_of(archive, private)].get_text()
    public_entry = index.find("a", string=handbook_content["chosen_public"].title).parent
    assert "nicht öffentlich" not in public_entry.get_text()


def test_unticked_private_page_is_named_as_left_out_only(handbook_content, tmp_path):
    archive, _ = build(tmp_path)
    index = html_files(archive)["index.html"]
    note = index.find(string=re.compile("Nicht aufgenommen"))
    assert "Interne Kommunikationswege Stab" in note
    search_index = archive.read(FOLDER + "search-index.js").decode()
    assert "Interne Kommunikationswege Stab" not in search_index


def test_search_index_is_a_script_over_every_page(handbook_content, tmp_path):
    archive, _ = build(tmp_path)
    script = archive.read(FOLDER + "search-index.js").decode()
    prefix = "window.HANDBOOK_SEARCH_INDEX = "
    assert script.startswith(prefix)
    entries = json.loads(script[len(prefix) :].rstrip().rstrip(";"))
    by_title = {entry["t"]: entry for entry in entries}
    rich = by_title["Notstrom im Rathaus"]
    assert rich["u"] == file_of(archive, handbook_content["rich"])
    assert "Blackout" in rich["s"] and "Ablauf bei Stromausfall" in rich["b"]
    assert set(by_title) == {
        soup.h1.text.strip()
        for name, soup in html_files(archive).items()
        if name not in ("index.html", "kontakte.html")
    }
    assert archive.read(FOLDER + "assets/handbook_search.js").startswith(b"/*")


def test_default_without_setting_is_the_public_krisenmanagement_topic(demo_articles, tmp_path):
    crisis = TopicPage.objects.get(title="Krisenmanagement")
    secret = article(crisis, "Geheimer Alarmplan Wasserwerk")
    restrict(secret)
    entries, skipped = bundle.select_pages()
    expected = [
        crisis.pk,
        *ArticlePage.objects.child_of(crisis)
        .live()
        .exclude(pk=secret.pk)
        .values_list("pk", flat=True),
    ]
    assert sorted(e.page.pk for e in entries) == sorted(expected)
    assert skipped == [] and not any(e.private for e in entries)


def test_a_failed_build_leaves_the_previous_bundle_and_no_partial_file(
    handbook_content, tmp_path, monkeypatch
):
    first = bundle.build_bundle()
    before = first.path.read_bytes()

    def broken(archive, built_at):
        archive.writestr("notfallhandbuch/index.html", "halb")
        raise RuntimeError("disk full")

    monkeypatch.setattr(bundle, "_write_bundle", broken)
    with pytest.raises(RuntimeError):
        bundle.build_bundle()
    with pytest.raises(RuntimeError):
        bundle.build_bundle(first.path)
    assert first.path.read_bytes() == before
    assert [p.name for p in first.path.parent.iterdir()] == [first.path.name]


def test_older_versions_beyond_the_setting_are_removed(handbook_content, settings, monkeypatch):
    settings.HANDBOOK_KEEP_VERSIONS = 2
    root = bundle.handbook_root()
    root.mkdir(parents=True)
    for stamp in ("20260101-080000", "20260102-080000", "20260103-080000"):
        (root / f"notfallhandbuch-{stamp}.zip").write_bytes(b"alt")
    newest = bundle.build_bundle()
    assert [p.name for p in bundle.built_bundles()] == [
        newest.path.name,
        "notfallhandbuch-20260103-080000.zip",
    ]


@pytest.fixture
def site_urls(settings):
    """The download views under /notfallhandbuch/ (wissensnetz/urls.py)."""
    assert reverse("handbook:download_page") == "/notfallhandbuch/"


def test_staff_download_the_latest_bundle(handbook_content, staff_client, site_urls):
    response = staff_client.get("/notfallhandbuch/")
    assert "noch nicht erstellt" in response.content.decode()
    built = bundle.build_bundle()
    page = BeautifulSoup(staff_client.get("/notfallhandbuch/").content, "html.parser")
    link = page.find("a", string="Notfallhandbuch herunterladen")
    response = staff_client.get(link["href"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == built.path.read_bytes()
    for bad in ("../etc/passwd", "notfallhandbuch-x.zip", "%00", "handbuch.zip"):
        assert staff_client.get("/notfallhandbuch/" + bad).status_code == 404


def test_download_needs_login(handbook_content, client, site_urls):
    bundle.build_bundle()
    response = client.get("/notfallhandbuch/")
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


def test_chief_builds_the_handbook_in_the_admin(handbook_content, client, chief, editor):
    client.force_login(editor)
    assert client.get("/admin/notfallhandbuch/").status_code in (302, 403)
    assert client.post("/admin/notfallhandbuch/").status_code in (302, 403)
    assert bundle.built_bundles() == []

    client.force_login(chief)
    page = client.get("/admin/notfallhandbuch/").content.decode()
    assert "Notfallhandbuch erstellen" in page and "Vertrauliche Schutzraumliste" in page
    assert "nicht öffentlich im Wissensnetz" in page
    response = client.post("/admin/notfallhandbuch/", follow=True)
    assert "Notfallhandbuch erstellt:" in response.content.decode()
    (built,) = bundle.built_bundles()
    assert zipfile.ZipFile(built).read(FOLDER + "index.html")
    assert "Notfallhandbuch erstellen" in client.get("/admin/").content.decode()
    # The Chefredaktion edits which pages go in (Einstellungen → Notfallhandbuch).
    site = Site.objects.get(is_default_site=True)
    settings_page = client.get(f"/admin/settings/handbook/handbooksettings/{site.pk}/")
    assert settings_page.status_code == 200
    assert "Vertrauliche Schutzraumliste" in settings_page.content.decode()
    client.force_login(editor)
    assert client.get(f"/admin/settings/handbook/handbooksettings/{site.pk}/").status_code in (
        302,
        403,
    )


def test_the_start_page_links_the_download_once_a_bundle_exists(
    handbook_content, staff_client, settings
):
    settings.HANDBOOK_ROOT = ""  # the default: MEDIA_ROOT/handbook
    crisis = TopicPage.objects.get(title="Krisenmanagement")
    other = TopicPage.objects.get(title="Smart City")
    assert "Notfallhandbuch zum Mitnehmen" not in staff_client.get(crisis.url).content.decode()
    built = bundle.build_bundle()
    html = staff_client.get(crisis.url).content.decode()
    assert "Notfallhandbuch zum Mitnehmen" in html and 'href="/notfallhandbuch/"' in html
    assert "Notfallhandbuch zum Mitnehmen" not in staff_client.get(other.url).content.decode()
    # The bundles are served only through the download view, never as raw media files.
    relative = built.path.relative_to(settings.MEDIA_ROOT)
    assert staff_client.get(f"/media/{relative}").status_code == 404
