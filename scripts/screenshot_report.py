"""Screenshot a report page in Debian's headless chromium, as the README shows it.

    python scripts/screenshot_report.py demo/report.html docs/images/report.png [--width 1280]

Uses Playwright with the system browser (/usr/bin/chromium); it never downloads one. The page
is opened from disk with every request refused, so the picture is what a reader offline sees.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Root in a container has no user namespaces for the sandbox; nothing here reaches a network.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true", help="The whole page, not the top.")
    args = parser.parse_args()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(
            viewport={"width": args.width, "height": args.height}, device_scale_factor=1
        )
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page.goto(args.page.resolve().as_uri())
        page.wait_for_selector("html[data-rendered]")
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png), full_page=args.full_page)
        browser.close()
    for problem in problems:
        print(f"page error: {problem}", file=sys.stderr)
    print(f"wrote {args.png}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
