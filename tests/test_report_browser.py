"""The report in a real browser, built from logs full of attack payloads.

Debian's chromium (never a downloaded browser), driven by Playwright. The page must render
every panel with data, make no request, log no error, and run none of the payloads.
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from golkepar.demo import demo_settings, write_sample_geoip
from golkepar.ingest.pipeline import ingest_logs
from golkepar.report.format import NO_VALUE
from golkepar.report.write import ReportResult, write_report
from golkepar.sample import write_site_logs
from golkepar.warehouse.build import build_warehouse

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",  # root in a container has no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SITE = "example.com"
DAY = dt.date(2026, 10, 24)
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# Each payload sets window.__pwned or opens a dialog if it ever runs.
SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
IMG = '"><img src=x onerror="window.__pwned=2;alert(2)">'
JS_URL = "javascript:window.__pwned=3;alert(3)"
CLOSE_SCRIPT = "</script><script>window.__pwned=4;alert(4)</script>"
LONG_PATH = "/" + "A" * 10_240
PANELS = (
    "traffic", "acquisition", "content", "broken-links", "audience", "when", "crawlers",
    "security", "errors",
)  # fmt: skip


def _line(ip: str, minute: int, request: str, status: int, referer: str, agent: str) -> str:
    # Apache escapes `"` and `\` inside quoted fields.
    def quoted(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    stamp = f"24/Oct/2026:{10 + minute // 60:02d}:{minute % 60:02d}:00 +0200"
    return (
        f'{ip} www.{SITE} - [{stamp}] "{quoted(request)}" {status} 512 '
        f'"{quoted(referer)}" "{quoted(agent)}"'
    )


def hostile_lines() -> list[str]:
    """A person (page, assets) arriving from hostile referers, a crawler with a hostile
    User-Agent, and attackers whose paths are payloads."""
    human, crawler, attacker = "81.56.10.20", "54.36.148.200", "45.155.205.9"
    lines = []
    for n, referer in enumerate(
        [
            f"https://{IMG}/",
            JS_URL,
            f"https://www.{SITE}/{SCRIPT}",
            f"http://evil.example/{CLOSE_SCRIPT}",
        ]
    ):
        minute = n * 40
        lines += [
            _line(human, minute, "GET /contact/ HTTP/1.1", 200, referer, CHROME),
            _line(human, minute, "GET /style.css HTTP/1.1", 200, f"https://www.{SITE}/", CHROME),
            _line(human, minute, "GET /app.js HTTP/1.1", 200, f"https://www.{SITE}/", CHROME),
            _line(human, minute + 1, f"GET /missing-{n}{IMG} HTTP/1.1", 404, referer, CHROME),
        ]
    bot_agent = f"Mozilla/5.0 (compatible; EvilBot/1.0{CLOSE_SCRIPT}; +http://evil.example/bot)"
    for minute in range(5):
        lines.append(_line(crawler, minute, f"GET /blog/{minute}/ HTTP/1.1", 200, "-", bot_agent))
    for minute, path in enumerate([f"/{SCRIPT}", f"/x{IMG}", LONG_PATH, f"/{CLOSE_SCRIPT}"]):
        lines.append(
            _line(attacker, minute, f"GET {path} HTTP/1.1", 404, JS_URL, f"sqlmap {SCRIPT}")
        )
    return lines


def _append(path: Path, lines: list[str]) -> None:
    with gzip.open(path, "rb") as f:
        body = f.read()
    path.write_bytes(gzip.compress(body + "".join(line + "\n" for line in lines).encode()))


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    folder = tmp_path_factory.mktemp("hostile")
    settings = demo_settings(folder)
    write_site_logs(
        settings.log_path_base, site=SITE, start_date=DAY - dt.timedelta(days=1), days=2, humans=12
    )
    logs = settings.log_path_base / SITE
    _append(logs / "access" / "2026" / "10" / f"{SITE}-24-10-2026.log.gz", hostile_lines())
    _append(
        logs / "error" / "2026" / "10" / f"{SITE}-24-10-2026.log.gz",
        [
            f"[Sat Oct 24 11:00:00.000000 2026] [php:error] [pid 1] [client 45.155.205.9:1] "
            f"PHP Fatal error:  {SCRIPT} {CLOSE_SCRIPT} {IMG}"
        ],
    )
    write_sample_geoip(settings.ip_path_base)
    ingest_logs(settings)
    build_warehouse(settings)
    return write_report(settings.duckdb_file, folder / "report.html")


@dataclass
class Visit:
    page: object
    requests: list[str]
    console_errors: list[str]
    dialogs: list[str]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _open(browser: object, page_path: Path, width: int = 1280) -> Visit:
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    visit = Visit(page, [], [], [])
    page_url = page_path.resolve().as_uri()

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url == page_url:
            r.continue_()  # type: ignore[attr-defined]
        else:
            visit.requests.append(url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
    page.on("dialog", lambda d: (visit.dialogs.append(d.message), d.dismiss()))
    page.goto(page_url)
    page.wait_for_selector("html[data-rendered]", timeout=20_000)
    return visit


def test_the_hostile_report_renders_and_no_payload_runs(
    hostile_report: ReportResult, browser: object
) -> None:
    visit = _open(browser, hostile_report.path)
    page = visit.page
    # Every class switch, so hidden tables and redrawn charts are exercised too.
    for panel in ("acquisition", "content", "audience", "when"):
        for visitor_class in ("bot", "attacker", "human"):
            page.click(f'button[data-panel="{panel}"][data-class="{visitor_class}"]')  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    assert visit.requests == []
    assert visit.console_errors == []
    assert visit.dialogs == []
    state = page.evaluate(  # type: ignore[attr-defined]
        """() => ({
            pwned: window.__pwned === undefined ? null : window.__pwned,
            images: document.querySelectorAll("img, iframe, object, embed").length,
            handlers: document.querySelectorAll("[onerror], [onload], [onclick]").length,
            scripts: document.scripts.length,
            links: [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href")),
            text: document.body.textContent,
        })"""
    )
    assert state["pwned"] is None
    assert state["images"] == 0
    assert state["handlers"] == 0
    # The two JSON blocks, the chart library and the page's script: nothing injected.
    assert state["scripts"] == 4
    assert state["links"] == []
    # The payloads are shown as text, not dropped: the owner sees what was tried.
    assert "<script>window.__pwned=1" in state["text"]
    assert "onerror=" in state["text"]
    assert "EvilBot/1.0</script>" in state["text"] or "EvilBot" in state["text"]


def test_every_panel_renders_with_data(hostile_report: ReportResult, browser: object) -> None:
    page = _open(browser, hostile_report.path).page
    cards = page.locator(".headline .card-value").all_inner_texts()  # type: ignore[attr-defined]
    assert len(cards) == 8 and all(c.strip() not in {"", NO_VALUE} for c in cards)
    for panel in PANELS:
        section = page.locator(f'section[data-panel="{panel}"]')  # type: ignore[attr-defined]
        charts = section.locator(".chart")
        for n in range(charts.count()):
            box = charts.nth(n).locator("canvas").first.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 100, (panel, n)
        rows = section.locator("tbody tr:visible").count()
        if panel not in ("traffic", "when"):
            assert rows > 0, panel


def test_a_phone_sees_one_column_without_sideways_scrolling(
    hostile_report: ReportResult, browser: object
) -> None:
    page = _open(browser, hostile_report.path, width=390).page
    overflow = page.evaluate(  # type: ignore[attr-defined]
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_the_policy_allows_no_origin_and_no_unlisted_script(hostile_report: ReportResult) -> None:
    html = hostile_report.path.read_text()
    attribute = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    policy = unescape(attribute)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert all(s.startswith("'sha256-") for s in directives["script-src"].split())
    assert "unsafe" not in policy
    assert "http" not in policy


def test_the_page_opens_from_another_folder(hostile_report: ReportResult, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.html"
    shutil.copy(hostile_report.path, copy)
    assert copy.read_bytes() == hostile_report.path.read_bytes()
