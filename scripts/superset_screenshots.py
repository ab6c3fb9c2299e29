"""Screenshots of golkepar's dashboard as a served Superset shows it, in headless Chromium.

Run with golkepar's Python (Playwright is a dev dependency) while `make superset-serve` runs:
    SUPERSET_ADMIN_PASSWORD=... .venv/bin/python scripts/superset_screenshots.py \\
        --url http://127.0.0.1:8088 --output docs/img
Uses Debian's chromium (/usr/bin/chromium, `apt-get install chromium`); never downloads one.
Writes superset-dashboard.png (the whole dashboard) and superset-row-N.png for each row
number given with --rows (1 is the text row at the top). Exits 1 when the page opened a dialog
(`alert`...) or threw an error: on a warehouse built from hostile logs, nothing may run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SLUG = "golkepar-traffic"
# Wide enough for a 12-column row to read as on a laptop; the height grows with the page.
VIEWPORT = {"width": 1280, "height": 900}


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("input[name=username], #username", username)
    page.fill("input[name=password], #password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda address: "/login" not in address, timeout=30_000)


CHART = ".dashboard-chart"


def wait_for_charts(page: Page) -> int:
    """Wait until every chart has drawn (or shown an error); the number of charts."""
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_function(
        """(chart) => {
            const charts = [...document.querySelectorAll(chart)];
            const busy = document.querySelectorAll('.loading, [aria-label="Loading"]');
            return charts.length > 0 && busy.length === 0 &&
                charts.every(c => c.querySelector('canvas, svg, table, ' +
                    '.superset-legacy-chart-big-number, .alert, [role="alert"], ' +
                    '.ant-empty, .empty-state'));
        }""",
        arg=CHART,
        timeout=120_000,
    )
    # ECharts animates its series in: let it finish.
    page.wait_for_timeout(2_000)
    return page.locator(CHART).count()


def watch(page: Page) -> list[str]:
    """What the page does that it never should: dialogs (dismissed) and uncaught errors."""
    seen: list[str] = []

    def on_dialog(dialog: Any) -> None:
        seen.append(f"dialog ({dialog.type}): {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--output", type=Path, default=Path("docs/img"))
    parser.add_argument("--slug", default=SLUG)
    parser.add_argument("--rows", default="", help="row numbers to save alone, e.g. 3,6,10")
    args = parser.parse_args()
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if not password:
        print("error: set SUPERSET_ADMIN_PASSWORD to the admin's password", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
        misdeeds = watch(page)
        log_in(page, args.url.rstrip("/"), args.user, password)
        page.goto(f"{args.url.rstrip('/')}/superset/dashboard/{args.slug}/?standalone=1")
        charts = wait_for_charts(page)
        whole = args.output / "superset-dashboard.png"
        page.screenshot(path=str(whole), full_page=True)
        print(f"{whole}: {charts} charts")
        rows = page.locator(".grid-row")
        for number in (int(n) for n in args.rows.split(",") if n.strip()):
            path = args.output / f"superset-row-{number}.png"
            rows.nth(number - 1).screenshot(path=str(path))
            print(path)
        browser.close()
    for misdeed in misdeeds:
        print(f"error: the dashboard page ran something: {misdeed}", file=sys.stderr)
    return 1 if misdeeds else 0


if __name__ == "__main__":
    sys.exit(main())
