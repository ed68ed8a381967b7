"""Accessibility: axe-core (WCAG 2.1 A/AA rules) on the reader pages, and keyboard use.

Writes tests/artifacts/axe-summary.json (violations per page: rule, impact, node count) and a
full-page screenshot of every checked page to tests/artifacts/<page>.png.
"""

from __future__ import annotations

import json
import re

import pytest

from kb.models import ArticlePage, TopicPage
from subscriptions.models import Kind
from subscriptions.views import follow
from tests.e2e.conftest import BROWSER_TEST, artifact_path, login

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def run_axe(page) -> dict:
    """axe-core with the WCAG 2.0/2.1 A and AA rules only; the raw axe results."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return results.response


def rule_counts(rules: list[dict], details: bool = False) -> list[dict]:
    """Per axe rule: id, impact and the number of affected elements."""
    summary = []
    for rule in rules:
        entry = {"rule": rule["id"], "impact": rule["impact"], "count": len(rule["nodes"])}
        if details:
            entry["help"] = rule["help"]
            entry["targets"] = [", ".join(map(str, node["target"])) for node in rule["nodes"]][:10]
        summary.append(entry)
    return summary


def show_suggestions(page) -> None:
    """Open the search box's suggestion list (autocomplete.js), a state only script creates."""
    page.get_by_role("combobox", name="Suche im Wissensnetz").press_sequentially("Hitz")
    expect(
        page.get_by_role("listbox", name="Suchvorschläge").get_by_role("option").first
    ).to_be_visible()


def test_reader_pages_have_no_serious_wcag_violations(new_page, demo_articles, e2e_users, capsys):
    topic = TopicPage.objects.get(title="Klimafolgenanpassung & Resilienz")
    article = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")

    # "Meine Abos" with a subscription (the home page then shows "Neu für mich" too).
    follow(e2e_users["staff"], Kind.TOPIC, topic)

    anonymous = new_page()
    page = new_page("mia")
    editor = new_page("ronja")
    chief = new_page("charlotte")
    # (name, browser page, URL, the page's h1, what must be on it before axe looks at it)
    checks = [
        ("login", anonymous, "/anmelden/", "Anmelden im Wissensnetz", None),
        ("password-reset", anonymous, "/passwort-vergessen/", "Passwort vergessen?", "form"),
        ("home", page, "/", "Wissensnetz", None),
        ("topic", page, topic.url, topic.title, ".card"),
        ("article", page, article.url, article.title, ".article__body"),
        ("tag", page, "/tags/hitze/", "Schlagwort: Hitze", ".card"),
        ("search-results", page, "/suche/?q=Hitze", "Suche", "ol.search-results > li"),
        ("search-no-results", page, "/suche/?q=Xqzvbl", "Suche", ".no-results"),
        ("home-suggestions", page, "/", "Wissensnetz", show_suggestions),
        ("statement", page, "/barrierefreiheit/", "Erklärung zur Barrierefreiheit", "form"),
        ("meine-abos", page, "/abos/", "Meine Abos", ".subscriptions__item"),
        # The editors' pages this project changed (Wagtail's admin around them is Wagtail's).
        ("admin-dashboard", editor, "/admin/", None, "text=Neuen Beitrag schreiben"),
        ("admin-report", chief, "/admin/berichte/pruefstand/", None, "table"),
    ]

    summary: dict[str, dict] = {}
    # Every page on the desktop and on a phone (the phone layout folds navigation and filters).
    widths = [(1280, 900, ""), (375, 740, "-375")]
    checks = [
        (name + suffix, browser_page, url, heading, ready, (width, height))
        for width, height, suffix in widths
        for name, browser_page, url, heading, ready in checks
    ]
    for name, browser_page, url, heading, ready, (width, height) in checks:
        browser_page.set_viewport_size({"width": width, "height": height})
        response = browser_page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        if heading:
            expect(browser_page.get_by_role("heading", level=1)).to_have_text(heading)
        if callable(ready):
            ready(browser_page)
        elif ready:
            expect(browser_page.locator(ready).first).to_be_visible()
        browser_page.screenshot(path=artifact_path(f"{name}.png"), full_page=True)
        results = run_axe(browser_page)
        assert results["passes"], f"axe checked nothing on {name}"
        summary[name] = {
            "url": url,
            "violations": rule_counts(results["violations"], details=True),
            "needs_review": rule_counts(results["incomplete"]),
            "rules_passed": len(results["passes"]),
        }

    artifact_path("axe-summary.json").write_text(
        json.dumps({"axe_tags": WCAG_TAGS, "pages": summary}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    impacts = ("critical", "serious", "moderate", "minor")
    with capsys.disabled():
        print("\naxe-core, WCAG 2.1 A/AA rules: violations per page (affected elements)")
        header = " ".join(f"{impact:>8}" for impact in impacts[:3])
        print(f"{'page':<18} {header} {'minor':>6} {'review':>6}  rules")
        for name, entry in summary.items():
            counts = dict.fromkeys(impacts, 0)
            for violation in entry["violations"]:
                counts[violation["impact"]] += violation["count"]
            row = " ".join(f"{counts[impact]:>8}" for impact in impacts[:3])
            review = sum(rule["count"] for rule in entry["needs_review"])
            rules = ", ".join(f"{v['rule']} ({v['impact']})" for v in entry["violations"])
            print(f"{name:<18} {row} {counts['minor']:>6} {review:>6}  {rules or '–'}")

    blocking = {
        name: [v for v in entry["violations"] if v["impact"] in BLOCKING_IMPACTS]
        for name, entry in summary.items()
    }
    blocking = {name: found for name, found in blocking.items() if found}
    assert not blocking, json.dumps(blocking, indent=2, ensure_ascii=False)


FOCUS_INFO_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {tag: "body"};
    const props = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
                   "color", "borderBottomColor", "borderTopColor", "borderBottomWidth",
                   "borderTopWidth"];
    const snapshot = () => {
        const style = getComputedStyle(el);
        return Object.fromEntries(props.map((name) => [name, style[name]]));
    };
    const focused = snapshot();
    // The same element without focus, to see what the focus style changes.
    el.blur();
    const unfocused = snapshot();
    el.focus();
    const transparent = (color) => color === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(color);
    const reasons = [];
    if (focused.outlineStyle !== "none" && parseFloat(focused.outlineWidth) > 0
            && !transparent(focused.outlineColor)) reasons.push("outline");
    if (focused.boxShadow && focused.boxShadow !== "none") reasons.push("box-shadow");
    if (focused.backgroundColor !== unfocused.backgroundColor
            && !transparent(focused.backgroundColor)) reasons.push("background");
    for (const side of ["Bottom", "Top"]) {
        const color = "border" + side + "Color", width = "border" + side + "Width";
        if (parseFloat(focused[width]) > 0 && !transparent(focused[color])
                && focused[color] !== unfocused[color]) {
            reasons.push("border-" + side.toLowerCase());
        }
    }
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim(),
        href: el.getAttribute("href"),
        firstResult: el.matches("ol.search-results > li:first-child .card__title a"),
        stillFocused: document.activeElement === el,
        visible: reasons.length > 0,
        reasons: reasons,
        focused: focused,
    };
}"""


def focus_info(page) -> dict:
    """What has the keyboard focus, and how its focus indicator shows: a visible outline, a
    box shadow, or a background/border colour that only the focused state has."""
    return page.evaluate(FOCUS_INFO_JS)


def tab(page, log: list[dict]) -> dict:
    page.keyboard.press("Tab")
    info = focus_info(page)
    log.append(info)
    return info


def test_keyboard_skip_link_search_and_first_result(new_page, demo_articles, e2e_users):
    page = new_page()
    login(page, "mia")
    page.goto("/")
    focused: list[dict] = []

    # The first Tab on the page lands on the skip link.
    first = tab(page, focused)
    assert first["tag"] == "a" and first["text"] == "Zum Inhalt springen", first
    # It is hidden off-screen until focused; now it is shown.
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_in_viewport()

    # Following it, the search box is the next stop (main content starts with the search).
    page.keyboard.press("Enter")
    presses = 0
    while presses < 3:
        presses += 1
        info = tab(page, focused)
        if info.get("id") == "home-search-q":
            break
    assert info.get("id") == "home-search-q", focused
    expect(page.get_by_role("combobox", name="Suche im Wissensnetz")).to_be_focused()

    page.keyboard.type("Hitze")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/suche/\?q=Hitze$"))
    expect(page.locator("ol.search-results > li").first).to_be_visible()

    # From the top of the results page, Tab reaches the first result; the "skip the filters"
    # link on the way lets a keyboard user jump over the facet links.
    for _ in range(40):
        info = tab(page, focused)
        if info.get("firstResult"):
            break
        if info.get("href") == "#results-heading":
            page.keyboard.press("Enter")
    assert info.get("firstResult"), [f"{f['tag']}#{f.get('id')} {f.get('text')}" for f in focused]
    first_title = page.locator("ol.search-results > li").first.locator(".card__title a")
    expect(first_title).to_be_focused()

    # Every element the keyboard reached showed a focus indicator.
    invisible = [f for f in focused if f["tag"] != "body" and not f["visible"]]
    assert not invisible, invisible

    # And Enter opens it.
    title = first_title.inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
