"""Import of knowledge articles in the JSONL exchange format (docs/FORMAT.md).

Validation reads the whole file first and collects every problem with line number and field;
only a file without problems is written, inside one transaction, so a bad file changes nothing.
Re-importing a slug updates that article as a new revision (only when something changed).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from taggit.models import Tag
from wagtail.models import Page, WorkflowState

from .bulk import (
    BulkValidationError,
    NewArticle,
    allocate_pages,
    bulk_session,
    create_articles,
)
from .departments import combined_department_message, combined_department_parts
from .markdown_blocks import markdown_problem, markdown_to_blocks
from .models import ArticlePage, City, ContactPerson, Department, TopicPage
from .reviews import INTERVAL_CHOICES
from .signals import review_state_changed
from .topics import ensure_topic, find_topic

REQUIRED_FIELDS = (
    "slug",
    "title",
    "cities",
    "topic",
    "department",
    "tags",
    "summary",
    "body",
    "contact",
    "date",
)
# Wissensnetz extensions to the exchange format, written by kb_export when set.
OPTIONAL_FIELDS = ("counterpart", "owner", "deputy", "review_interval", "last_reviewed")
# The review cycle: owner and deputy name user accounts by e-mail address.
USER_FIELDS = ("owner", "deputy")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A \uD800–\uDFFF escape: as a pair one character, alone no character at all.
SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")
MAX_BODY_CHARS = 100_000
MAX_LINE_BYTES = 1_000_000
MAX_TAGS = 20
EARLIEST_DATE = datetime.date(1990, 1, 1)


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"Zeile {self.line}" + (f", Feld „{self.field}“" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _string(
    record: dict,
    key: str,
    line: int,
    problems: list[Problem],
    *,
    max_length: int,
    allow_empty: bool = False,
) -> str:
    value = record.get(key)
    if not isinstance(value, str):
        problems.append(Problem(line, key, "muss ein Text sein"))
        return ""
    value = value.strip()
    if not value and not allow_empty:
        problems.append(Problem(line, key, "darf nicht leer sein"))
    elif len(value) > max_length:
        problems.append(Problem(line, key, f"ist zu lang (höchstens {max_length} Zeichen)"))
    elif "\x00" in value:
        problems.append(Problem(line, key, "enthält ein Nullzeichen"))
    return value


def _validate_record(
    record: Any, line: int, known_cities: dict[str, str], create_cities: bool
) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(record, dict):
        return [Problem(line, "", "ist kein JSON-Objekt")]
    missing = [key for key in REQUIRED_FIELDS if key not in record]
    extra = [key for key in record if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS]
    problems += [Problem(line, key, "fehlt") for key in missing]
    problems += [Problem(line, key, "ist kein bekanntes Feld") for key in extra]
    if missing:
        return problems

    slug = _string(record, "slug", line, problems, max_length=255)
    if slug and not SLUG_RE.match(slug):
        problems.append(Problem(line, "slug", "nur Kleinbuchstaben a–z, Ziffern und „-“ erlaubt"))
    _string(record, "title", line, problems, max_length=255)
    _string(record, "topic", line, problems, max_length=255)
    _string(record, "department", line, problems, max_length=255)
    _string(record, "summary", line, problems, max_length=1000, allow_empty=True)
    body = _string(record, "body", line, problems, max_length=MAX_BODY_CHARS, allow_empty=True)
    if body and (problem := markdown_problem(body)):
        problems.append(Problem(line, "body", problem))

    cities = record["cities"]
    if not isinstance(cities, list) or not cities or not all(isinstance(c, str) for c in cities):
        problems.append(Problem(line, "cities", "muss eine nicht leere Liste von Städtenamen sein"))
    else:
        for name in cities:
            if name.strip().lower() not in known_cities and not create_cities:
                known = ", ".join(sorted(known_cities.values()))
                problems.append(
                    Problem(
                        line,
                        "cities",
                        f"unbekannte Stadt „{name}“ (bekannt: {known}; neue Städte legt die "
                        "Chefredaktion im Admin an oder der Import mit --create-cities)",
                    )
                )
            elif not name.strip() or len(name) > 100:
                problems.append(Problem(line, "cities", f"ungültiger Städtename „{name[:50]}“"))

    tags = record["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        problems.append(Problem(line, "tags", "muss eine Liste nicht leerer Texte sein"))
    elif len(tags) > MAX_TAGS:
        problems.append(Problem(line, "tags", f"höchstens {MAX_TAGS} Schlagwörter"))
    elif any(len(t) > 100 for t in tags):
        problems.append(Problem(line, "tags", "ein Schlagwort ist länger als 100 Zeichen"))

    contact = record["contact"]
    if contact is not None:
        if not isinstance(contact, dict) or set(contact) - {"name", "email", "phone"}:
            problems.append(
                Problem(line, "contact", "muss ein Objekt mit name, email und phone sein")
            )
        else:
            name = contact.get("name")
            if not isinstance(name, str) or not name.strip() or len(name) > 200:
                problems.append(Problem(line, "contact.name", "fehlt oder ist ungültig"))
            email = contact.get("email", "")
            if not isinstance(email, str):
                problems.append(Problem(line, "contact.email", "muss ein Text sein"))
            elif email:
                try:
                    validate_email(email)
                except ValidationError:
                    problems.append(
                        Problem(line, "contact.email", f"ungültige Adresse „{email[:80]}“")
                    )
            phone = contact.get("phone", "")
            if not isinstance(phone, str) or len(phone) > 50:
                problems.append(Problem(line, "contact.phone", "muss ein Text (≤ 50 Zeichen) sein"))

    date = record["date"]
    try:
        parsed = datetime.date.fromisoformat(date) if isinstance(date, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        problems.append(Problem(line, "date", "muss ein Datum im Format JJJJ-MM-TT sein"))
    elif not EARLIEST_DATE <= parsed <= datetime.date.today() + datetime.timedelta(days=366):
        problems.append(
            Problem(line, "date", f"Datum {date} liegt außerhalb des gültigen Bereichs")
        )

    for key in USER_FIELDS:
        email = record.get(key)
        if email is None:
            continue
        try:
            if not isinstance(email, str):
                raise ValidationError("")
            validate_email(email)
        except ValidationError:
            problems.append(Problem(line, key, "muss die E-Mail-Adresse eines Benutzerkontos sein"))
    interval = record.get("review_interval")
    if interval is not None and (
        isinstance(interval, bool) or interval not in dict(INTERVAL_CHOICES)
    ):
        allowed = ", ".join(str(months) for months in sorted(dict(INTERVAL_CHOICES)))
        problems.append(
            Problem(
                line,
                "review_interval",
                f"muss eine Zahl von Monaten sein ({allowed}; 0 = keine regelmäßige Prüfung)",
            )
        )
    last_reviewed = record.get("last_reviewed")
    if last_reviewed is not None:
        try:
            reviewed = (
                datetime.date.fromisoformat(last_reviewed)
                if isinstance(last_reviewed, str)
                else None
            )
        except ValueError:
            reviewed = None
        if reviewed is None:
            problems.append(
                Problem(line, "last_reviewed", "muss ein Datum im Format JJJJ-MM-TT sein")
            )
        elif reviewed > datetime.date.today() + datetime.timedelta(days=1):
            problems.append(
                Problem(line, "last_reviewed", f"Datum {last_reviewed} liegt in der Zukunft")
            )
        elif reviewed < EARLIEST_DATE:
            problems.append(
                Problem(
                    line, "last_reviewed", f"Datum {last_reviewed} liegt vor {EARLIEST_DATE.year}"
                )
            )

    counterpart = record.get("counterpart")
    if counterpart is not None and (
        not isinstance(counterpart, str) or not SLUG_RE.match(counterpart)
    ):
        problems.append(
            Problem(line, "counterpart", "muss der Kurzname (slug) eines Beitrags sein")
        )
    return problems


def _has_lone_surrogate(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _lone_surrogate_problems(record: Any, line: int) -> list[Problem]:
    """Problems for values holding an unpaired surrogate (from a `\\ud800` escape): valid JSON,
    but no character — the database would refuse the text in the middle of the import."""
    if not _has_lone_surrogate(record):
        return []
    message = "enthält ein ungültiges Zeichen (einzelnes UTF-16-Surrogat)"
    if not isinstance(record, dict):
        return [Problem(line, "", message)]
    fields = [key for key, value in record.items() if _has_lone_surrogate([key, value])]
    return [Problem(line, key if not _has_lone_surrogate(key) else "", message) for key in fields]


# C0 and C1 control characters except tab and line feed (they never belong in a text).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _without_control_characters(value: Any) -> Any:
    """The record with control characters removed from every text (titles, names, tags …)."""
    if isinstance(value, str):
        return _CONTROL_RE.sub("", value)
    if isinstance(value, list):
        return [_without_control_characters(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_control_characters(item) for key, item in value.items()}
    return value


def _conflicts(records: list[dict[str, Any]], *, move_topics: bool) -> list[Problem]:
    """Slugs the file shares with existing articles that an update must not touch silently:
    one under another topic (another article, or a move), one in a section with a view
    restriction, one in a running review (publishing would bypass it)."""
    existing: dict[str, ArticlePage] = {}
    for page in ArticlePage.objects.filter(slug__in=[r["slug"] for r in records]).order_by("-pk"):
        existing[page.slug] = page  # the oldest page with a slug wins, as in import_records
    if not existing:
        return []
    pages = list(existing.values())
    ids = [page.pk for page in pages]
    topic_titles = dict(
        TopicPage.objects.filter(
            path__in={page.path[: -ArticlePage.steplen] for page in pages}
        ).values_list("path", "title")
    )
    private = set(ArticlePage.objects.filter(pk__in=ids).not_public().values_list("pk", flat=True))
    in_review = {
        int(object_id)
        for object_id in WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in ids],
        )
        .values_list("object_id", flat=True)
    }
    problems = []
    for record in records:
        page = existing.get(record["slug"])
        if page is None:
            continue
        line, slug = record["_line"], record["slug"]
        current = topic_titles.get(page.path[: -ArticlePage.steplen], "")
        if current.casefold() != record["topic"].strip().casefold() and not move_topics:
            problems.append(
                Problem(
                    line,
                    "slug",
                    f"„{slug}“ gibt es schon unter „{current}“, die Datei nennt "
                    f"„{record['topic']}“ (anderer Beitrag? Verschieben nur mit --move-topics)",
                )
            )
        if page.pk in private:
            problems.append(
                Problem(
                    line,
                    "slug",
                    f"„{slug}“ liegt in einem Bereich mit Zugriffsbeschränkung; bitte im Admin "
                    "bearbeiten",
                )
            )
        if page.pk in in_review:
            problems.append(
                Problem(
                    line,
                    "slug",
                    f"„{slug}“ ist zur Freigabe eingereicht; der Import würde die Freigabe "
                    "umgehen – erst freigeben oder die Freigabe abbrechen",
                )
            )
    return problems


def _combined_department_problems(records: list[dict[str, Any]]) -> list[Problem]:
    """A department value naming two departments ("A (Arnsberg) und Fachbereich B (Sundern)")
    would become a pseudo-department: an article has exactly one (a foreign key), so such a value
    cannot be split either. The line is refused; it names the departments found."""
    known = {name.casefold() for name in Department.objects.values_list("name", flat=True)}
    known |= {record["department"].strip().casefold() for record in records}
    problems = []
    for record in records:
        parts = combined_department_parts(record["department"], known)
        if parts:
            problems.append(
                Problem(record["_line"], "department", combined_department_message(parts))
            )
    return problems


def users_by_email(emails) -> dict[str, Any]:
    """Lower-cased address -> user account; of several accounts with one address the active
    one, then the oldest."""
    from django.contrib.auth import get_user_model

    wanted = {email.strip().lower() for email in emails if email}
    if not wanted:
        return {}
    found: dict[str, Any] = {}
    query = Q()
    for email in sorted(wanted):
        query |= Q(email__iexact=email)
    for user in get_user_model().objects.filter(query).order_by("-is_active", "pk"):
        found.setdefault(user.email.lower(), user)
    return found


def _unknown_user_problems(records: list[dict[str, Any]]) -> list[Problem]:
    known = users_by_email(r.get(key) for r in records for key in USER_FIELDS)
    problems = []
    for record in records:
        for key in USER_FIELDS:
            email = record.get(key)
            if email and email.strip().lower() not in known:
                label = "Verantwortliche Person" if key == "owner" else "Vertretung"
                problems.append(
                    Problem(
                        record["_line"],
                        key,
                        f"{label}: kein Benutzerkonto mit der E-Mail-Adresse „{email[:80]}“ "
                        "(erst das Konto anlegen oder die Adresse korrigieren)",
                    )
                )
    return problems


def parse(
    data: bytes, *, create_cities: bool = False, move_topics: bool = False
) -> list[dict[str, Any]]:
    """Decode and validate a whole file; raise ImportFailed listing every problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed([Problem(line, "", "ist kein gültiges UTF-8")]) from None

    known_cities = {city.name.lower(): city.name for city in City.objects.all()}
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    first_line_of: dict[str, int] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        if len(raw.encode("utf-8")) > MAX_LINE_BYTES:
            problems.append(Problem(number, "", "Zeile ist größer als 1 MB"))
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(number, "", f"kein gültiges JSON ({error.msg}, Spalte {error.colno})")
            )
            continue
        except RecursionError:
            # Arrays/objects nested deeper than Python's recursion limit (the format needs 2).
            problems.append(Problem(number, "", "kein gültiges JSON (zu tief verschachtelt)"))
            continue
        except ValueError:
            # An integer longer than sys.get_int_max_str_digits() (4300) digits.
            problems.append(Problem(number, "", "kein gültiges JSON (Zahl mit zu vielen Ziffern)"))
            continue
        if SURROGATE_ESCAPE_RE.search(raw) and (bad := _lone_surrogate_problems(record, number)):
            problems += bad
            continue
        record_problems = _validate_record(record, number, known_cities, create_cities)
        problems += record_problems
        if record_problems:
            continue
        record = _without_control_characters(record)
        slug = record["slug"]
        if slug in first_line_of:
            problems.append(
                Problem(number, "slug", f"„{slug}“ steht schon in Zeile {first_line_of[slug]}")
            )
            continue
        first_line_of[slug] = number
        record["_line"] = number
        records.append(record)

    problems += _combined_department_problems(records)
    if not problems:
        in_file = set(first_line_of)
        wanted = {r["counterpart"] for r in records if r.get("counterpart")} - in_file
        existing = set(ArticlePage.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        for record in records:
            target = record.get("counterpart")
            if target and target not in in_file and target not in existing:
                problems.append(
                    Problem(record["_line"], "counterpart", f"Beitrag „{target}“ gibt es nicht")
                )
            if target == record["slug"]:
                problems.append(Problem(record["_line"], "counterpart", "verweist auf sich selbst"))
        problems += _conflicts(records, move_topics=move_topics)
        problems += _unknown_user_problems(records)
    if problems:
        raise ImportFailed(problems)
    if not records:
        raise ImportFailed([Problem(1, "", "die Datei enthält keine Beiträge")])
    return records


class _Entities:
    """Cities, topics, departments, contact persons and tags an import refers to, looked up once
    (same matching as one lookup per article: case-insensitive names, e-mail addresses) and
    created when missing."""

    def __init__(self) -> None:
        self.cities: dict[str, City] = {}
        for city in City.objects.order_by("name"):
            self.cities.setdefault(city.name.lower(), city)
        self.domains = list(City.objects.exclude(email_domain=""))
        self.topics: dict[str, TopicPage] = {}
        self.departments: dict[str, Department] = {}
        for department in Department.objects.order_by("name"):
            self.departments.setdefault(department.name.lower(), department)
        self.contacts: dict[tuple[str, str], ContactPerson] = {}
        for contact in ContactPerson.objects.order_by("pk"):
            key = ("email", contact.email.lower()) if contact.email else ("name", contact.name)
            self.contacts.setdefault(key, contact)
        self.tags: dict[str, Tag] = {}
        for tag in Tag.objects.order_by("pk"):
            self.tags.setdefault(tag.name.lower(), tag)

    def city(self, name: str) -> City:
        name = name.strip()
        if name.lower() not in self.cities:
            self.cities[name.lower()] = City.objects.create(name=name)
        return self.cities[name.lower()]

    def topic(self, name: str) -> TopicPage:
        key = name.strip().lower()
        if key not in self.topics:
            self.topics[key] = find_topic(name) or ensure_topic(name)
        return self.topics[key]

    def department(self, name: str, city: City) -> Department:
        if name.lower() not in self.departments:
            self.departments[name.lower()] = Department.objects.create(name=name, city=city)
        return self.departments[name.lower()]

    def contact(
        self, data: dict[str, str] | None, cities: list[City], department: Department
    ) -> ContactPerson | None:
        if not data:
            return None
        email = (data.get("email") or "").strip()
        name = data["name"].strip()
        phone = (data.get("phone") or "").strip()
        key = ("email", email.lower()) if email else ("name", name)
        contact = self.contacts.get(key)
        if contact is None:
            domain = email.rpartition("@")[2].lower()
            city = next((c for c in self.domains if domain == c.email_domain.lower()), None)
            contact = self.contacts[key] = ContactPerson.objects.create(
                name=name, email=email, phone=phone, city=city or cities[0], department=department
            )
        elif (contact.name, contact.phone) != (name, phone):
            contact.name, contact.phone = name, phone
            contact.save()
        return contact

    def tag_list(self, names: list[str]) -> list[Tag]:
        """Tags in the order taggit adds them: existing ones matched case-insensitively,
        duplicates dropped, missing ones created."""
        tags: list[Tag] = []
        for name in names:
            name = name.strip()
            tag = self.tags.get(name.lower())
            if tag is None:
                tag = self.tags[name.lower()] = Tag.objects.create(name=name)
            if tag not in tags:
                tags.append(tag)
        return tags


@dataclass
class _Resolved:
    record: dict[str, Any]
    topic: TopicPage
    cities: list[City]
    department: Department
    contacts: list[ContactPerson]
    tags: list[Tag]
    owner: Any = None
    deputy: Any = None


def _resolve(record: dict[str, Any], entities: _Entities, users: dict[str, Any]) -> _Resolved:
    cities = list(dict.fromkeys(entities.city(name) for name in record["cities"]))
    topic = entities.topic(record["topic"])
    department = entities.department(record["department"].strip(), cities[0])
    contact = entities.contact(record["contact"], cities, department)
    return _Resolved(
        record=record,
        topic=topic,
        cities=cities,
        department=department,
        contacts=[contact] if contact else [],
        tags=entities.tag_list(record["tags"]),
        owner=users.get((record.get("owner") or "").strip().lower()),
        deputy=users.get((record.get("deputy") or "").strip().lower()),
    )


def _snapshot(page: ArticlePage) -> dict[str, Any]:
    """The page as an exchange record, without its counterpart (compared by id instead)."""
    from .exporter import article_record

    counterpart_id, page.counterpart_id = page.counterpart_id, None
    try:
        return article_record(page)
    finally:
        page.counterpart_id = counterpart_id


def _new_article(item: _Resolved) -> NewArticle:
    record = item.record
    page = ArticlePage(
        slug=record["slug"],
        title=record["title"].strip(),
        live=False,
        summary=record["summary"].strip(),
        body=record["_blocks"],
        department=item.department,
        first_published=datetime.date.fromisoformat(record["date"]),
        responsible=item.owner,
        deputy=item.deputy,
        review_interval=record.get("review_interval"),
        last_reviewed=_last_reviewed(record),
    )
    return NewArticle(
        line=record.get("_line", 0),
        topic=item.topic,
        page=page,
        cities=item.cities,
        contacts=item.contacts,
        tags=item.tags,
        counterpart_slug=record.get("counterpart"),
    )


def _last_reviewed(record: dict[str, Any]) -> datetime.date | None:
    value = record.get("last_reviewed")
    return datetime.date.fromisoformat(value) if value else None


def _apply(page: ArticlePage, item: _Resolved) -> tuple[ArticlePage, bool]:
    """Set the record's content on an existing page (in memory); True if anything changed."""
    record = item.record
    if page.path[: -ArticlePage.steplen] != item.topic.path:
        page.move(item.topic, pos="last-child")
        page = ArticlePage.objects.get(pk=page.pk)
    page._cached_parent_obj = item.topic
    before = _snapshot(page)
    page.title = record["title"].strip()
    page.draft_title = page.title
    page.summary = record["summary"].strip()
    if record["body"] != before["body"]:
        # Equal Markdown gives equal blocks (export -> import -> export is stable), so only
        # different Markdown needs setting.
        page.body = record["_blocks"]
    page.department = item.department
    page.first_published = datetime.date.fromisoformat(record["date"])
    # Owner, deputy and interval are content. A file that does not name an owner or deputy
    # (an older export, another source) leaves them as they are; an absent interval is the
    # topic area's. The last review is review state, set without a revision (import_records).
    if "owner" in record:
        page.responsible = item.owner
    if "deputy" in record:
        page.deputy = item.deputy
    page.review_interval = record.get("review_interval")
    page.cities = item.cities
    page.contacts = item.contacts
    page.tags.set(item.tags, clear=True)
    return page, before != _snapshot(page)


def _set_last_reviewed(pk: int, record: dict[str, Any]) -> bool:
    """The record's last review on an existing article, without a revision (an absent key
    keeps what the site knows); its due date follows. True if it changed."""
    if not record.get("last_reviewed"):
        return False
    wanted = _last_reviewed(record)
    page = ArticlePage.objects.select_related(None).get(pk=pk)
    if page.last_reviewed == wanted:
        return False
    page.last_reviewed = wanted
    ArticlePage.objects.filter(pk=pk).update(
        last_reviewed=wanted,
        review_due=page.compute_review_due(),
        reminder_stage=0,
        reminded_on=None,
    )
    return True


def _problems_of(failure: BulkValidationError) -> list[Problem]:
    error = failure.error
    if hasattr(error, "message_dict"):
        return [
            Problem(failure.line, name if name != "__all__" else "", "; ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return [Problem(failure.line, "", "; ".join(error.messages))]


def import_records(records: list[dict[str, Any]], *, user=None) -> ImportResult:
    """Write validated records in one transaction and publish them.

    New articles are written in bulk (kb.bulk), changed ones through Wagtail's
    save_revision/publish; each article is published once, with its counterpart already set.
    Search indexes (ours, Wagtail's admin search, the reference index) are brought up to date
    once at the end."""
    result = ImportResult()
    status: dict[str, str] = {}
    reviewed: list[int] = []
    # Everything that costs time without the database happens before the write transaction, so
    # that the write lock (all of SQLite) is held as briefly as possible.
    for record in records:
        record["_blocks"] = markdown_to_blocks(record["body"])
    try:
        with transaction.atomic(), bulk_session():
            entities = _Entities()
            users = users_by_email(r.get(key) for r in records for key in USER_FIELDS)
            resolved = [_resolve(record, entities, users) for record in records]
            slugs = [record["slug"] for record in records]
            existing: dict[str, ArticlePage] = {}
            for page in (
                ArticlePage.objects.filter(slug__in=slugs)
                .select_related("department", "responsible", "deputy")
                .prefetch_related("cities", "contacts", "tagged_items__tag")
                .order_by("-pk")
            ):
                existing[page.slug] = page  # the oldest page with a slug wins, as .first() did

            new = [_new_article(item) for item in resolved if item.record["slug"] not in existing]
            allocate_pages(new)
            ids = {slug: page.pk for slug, page in existing.items()}
            ids.update({article.page.slug: article.page.pk for article in new})
            wanted = {r["counterpart"] for r in records if r.get("counterpart")} - set(ids)
            for slug, pk in (
                ArticlePage.objects.filter(slug__in=wanted)
                .order_by("-pk")
                .values_list("slug", "pk")
            ):
                ids[slug] = pk
            for article in new:
                target = article.counterpart_slug
                article.page.counterpart_id = ids[target] if target else None
                status[article.page.slug] = "created"
            create_articles(new, user=user)

            for item in resolved:
                slug = item.record["slug"]
                if slug not in existing:
                    continue
                page, changed = _apply(existing[slug], item)
                target = item.record.get("counterpart")
                target_id = ids[target] if target else None
                if page.counterpart_id != target_id:
                    page.counterpart_id = target_id
                    changed = True
                status[slug] = "updated" if changed else "unchanged"
                if changed or not page.live or page.has_unpublished_changes:
                    revision = page.save_revision(user=user, log_action=True)
                    revision.publish(user=user)
                if _set_last_reviewed(page.pk, item.record):
                    status[slug] = "updated"
                    reviewed.append(page.pk)
    except BulkValidationError as failure:
        raise ImportFailed(_problems_of(failure)) from None
    if reviewed:
        review_state_changed.send(sender=ArticlePage, page_ids=reviewed)
    for record in records:
        getattr(result, status[record["slug"]]).append(record["slug"])
    Tag.objects.filter(taggit_taggeditem_items=None, kb_articlepagetag_items=None).delete()
    return result


def import_file(
    data: bytes,
    *,
    create_cities: bool = False,
    dry_run: bool = False,
    move_topics: bool = False,
    user=None,
) -> ImportResult:
    records = parse(data, create_cities=create_cities, move_topics=move_topics)
    if dry_run:
        return ImportResult(unchanged=[record["slug"] for record in records])
    return import_records(records, user=user)
