"""Helpers for the accessibility tests: find every page a user can reach, run axe-core on it.

The crawl uses Django's test client (fast, no browser): it starts from every parameterless
page and every program page of the user's programs (the routes the access matrix in
tests/test_access_matrix.py walks), then follows the links in each HTML page, so a page that
needs an object id is reached the way a user reaches it. One URL per route and user is then
opened in Chromium and checked with axe-core's WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

from tests.test_access_matrix import _walk, program_pages

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Never followed: they end the session, switch language, or belong to the admin site.
SKIP_ROUTES = re.compile(r"^(admin/|anymail/|accounts/logout/|i18n/|taal/|set-language)")
SKIP_NAMES = {"account_logout", "set_language", "people:set_language"}
HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"'#]+)""", re.I)
# Form targets are opened with GET as well: a confirmation page answers 200, a POST-only
# action 405; neither changes anything.
ACTION = re.compile(r"""<form\b[^>]*?\baction=["']([^"'#]+)""", re.I)


def route_of(path: str) -> tuple[str, str] | None:
    """(route, url name) of a path, or None when it is not one of ours."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else (match.url_name or "")
    return match.route, name


def start_urls(program_ids: list[int]) -> list[str]:
    urls = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if "<" in route or SKIP_ROUTES.match(route):
            continue
        urls.append("/" + route.lstrip("^").rstrip("$"))
    for route, _pattern in program_pages():
        if re.sub(r"<int:program_id>", "", route).count("<"):
            continue
        for pid in program_ids:
            urls.append("/" + route.replace("<int:program_id>", str(pid)))
    return urls


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # route -> first URL seen (HTML, 200)
    names: dict[str, str] = field(default_factory=dict)  # route -> url name
    # route -> (url, status, content type, location) of answers that are not an HTML page
    other: dict[str, tuple[str, int, str, str]] = field(default_factory=dict)


def crawl(
    client: Client,
    program_ids: list[int],
    *,
    extra: list[str] = (),
    per_route: int = 8,
    limit: int = 1500,
) -> Crawl:
    """Breadth-first over the links of every HTML page the client may open."""
    result = Crawl()
    seen: set[str] = set()
    visits_per_route: dict[str, int] = {}
    queue = deque([*start_urls(program_ids), *extra])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        path = urlsplit(url).path
        found = route_of(path)
        if found is None or SKIP_ROUTES.match(found[0]) or found[1] in SKIP_NAMES:
            continue
        route, name = found
        if visits_per_route.get(route, 0) >= per_route:
            continue
        seen.add(url)
        visits_per_route[route] = visits_per_route.get(route, 0) + 1
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            result.other.setdefault(
                route, (url, response.status_code, content_type, response.get("Location", ""))
            )
            continue
        result.pages.setdefault(route, url)
        result.names.setdefault(route, name)
        html = response.content.decode("utf-8", "replace")
        for href in HREF.findall(html) + ACTION.findall(html):
            href = href.strip().replace("&amp;", "&")
            if href.startswith(("mailto:", "tel:", "javascript:", "webcal:", "data:")):
                continue
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.netloc and parts.netloc not in ("testserver", ""):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return result


def session_cookie(client: Client, base_url: str) -> list[dict]:
    from django.conf import settings

    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None:
        return []
    return [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]


def axe_violations(axe, page, *, exclude: list[str] | None = None) -> list[str]:
    """axe-core WCAG 2.1 A/AA violations of the page as readable lines."""
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = axe.run(page, context=context, options=options)
    lines = []
    for violation in results.response["violations"]:
        targets = [", ".join(n["target"]) for n in violation["nodes"][:3]]
        summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")[:200]
        lines.append(f"{violation['id']} ({violation['impact']}): {targets} — {summary}")
    return lines


# -- keyboard -------------------------------------------------------------------------------

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", visible: false, text: ""};
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
  const shadow = cs.boxShadow && cs.boxShadow !== "none";
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 80),
    visible: (outline || shadow) && r.width > 0 && r.height > 0,
    inView: r.bottom > 0 && r.top < window.innerHeight,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS_STATE)


def tab_to(
    page,
    *,
    text: str | None = None,
    name: str | None = None,
    within: str | None = None,
    limit: int = 120,
    backwards: bool = False,
) -> dict:
    """Press Tab until the focused element matches; every stop on the way must show its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if state["tag"] == "body":
            continue
        assert state["visible"], f"focus not visible on {state}"
        if within and not page.evaluate("(sel) => !!document.activeElement.closest(sel)", within):
            continue
        if text is not None and text not in state["text"]:
            continue
        if name is not None and state["name"] != name:
            continue
        return state
    raise AssertionError(f"Tab never reached text={text!r} name={name!r} within={within!r}")


def type_into(page, value: str) -> None:
    """Type into the focused field (dates as ddmmyyyy, times as hhmm in a Dutch browser)."""
    page.keyboard.type(value, delay=10)


def type_date(page, iso: str) -> None:
    """Type a date into the focused date input, in whichever order the browser shows it."""
    year, month, day = iso.split("-")
    page.keyboard.type(day + month + year, delay=10)
    if page.evaluate("() => document.activeElement.value") == iso:
        return
    # Month first (Chromium's own UI locale): back to the first part and type again.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(month + day + year, delay=10)
    assert page.evaluate("() => document.activeElement.value") == iso


def choose_option(page, value: str, limit: int = 12) -> None:
    """Change the focused select with the arrow keys until it has ``value``."""
    page.keyboard.press("Home")
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {value!r} not reached with the arrow keys")


# -- what axe does not check on every page ----------------------------------------------

STRUCTURE = """() => {
  const problems = [];
  const lang = document.documentElement.lang;
  if (!["nl", "en"].includes(lang)) problems.push(`html lang is "${lang}"`);
  const skip = document.querySelector("a.skip-link");
  if (!skip || skip.getAttribute("href") !== "#main" || !document.getElementById("main"))
    problems.push("no skip link to #main");
  const focusable = document.querySelector("a[href], button, input, select, textarea, [tabindex]");
  if (focusable !== skip) problems.push("the skip link is not the first focusable element");
  if (!document.querySelector("[role=status][aria-live=polite]"))
    problems.push("no live region for status messages");
  document.querySelectorAll("table").forEach((t, i) => {
    if (!t.querySelector("th")) problems.push(`table ${i + 1} has no header cells`);
  });
  document.querySelectorAll("svg.chart").forEach((svg, i) => {
    const fig = svg.closest("figure");
    const cap = fig && document.getElementById(fig.getAttribute("aria-describedby") || "");
    const link = cap && cap.querySelector("a[href^='#']");
    const target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target || target.tagName !== "TABLE") problems.push(`chart ${i + 1} is not linked to its table`);
  });
  return problems;
}"""


def structure_problems(page) -> list[str]:
    return page.evaluate(STRUCTURE)


BLANK_SUBMIT = """(selector) => {
  const form = [...document.querySelectorAll(selector)].find(
    (f) => (f.method || "").toLowerCase() === "post" && f.querySelector("input:not([type=hidden]), select, textarea")
  );
  if (!form) return false;
  form.noValidate = true;
  form.querySelectorAll("input, textarea, select").forEach((el) => {
    if (["hidden", "submit", "button", "file"].includes(el.type)) return;
    if (el.type === "checkbox" || el.type === "radio") { el.checked = false; return; }
    if (el.tagName === "SELECT") { el.selectedIndex = -1; return; }
    el.value = "";
  });
  form.requestSubmit();
  return true;
}"""


def submit_blank(page, selector: str = "main form") -> None:
    """Empty every field of the page's first POST form in main and submit it."""
    with page.expect_navigation():
        assert page.evaluate(BLANK_SUBMIT, selector), f"no POST form on {page.url}"


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const inScroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  const culprits = [];
  document.querySelectorAll("body *").forEach((el) => {
    const r = el.getBoundingClientRect();
    const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible";
    if ((r.right > width + 1 || (spills && r.right + el.scrollWidth - el.clientWidth > width + 1))
        && !inScroller(el) && culprits.length < 5) {
      culprits.push(`${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ").join(".") : ""} (${Math.round(r.right)}px)`);
    }
  });
  return [`page is ${document.documentElement.scrollWidth}px wide at ${width}px: ${culprits.join(", ")}`];
}"""


def horizontal_overflow(page, viewport: dict = PHONE) -> list[str]:
    """Problems when the page scrolls sideways at ``viewport`` (a phone by default)."""
    before = page.viewport_size or DESKTOP
    page.set_viewport_size(viewport)
    try:
        return page.evaluate(OVERFLOW)
    finally:
        page.set_viewport_size(before)
