"""Take the README's screenshots from a running Huiyi (e.g. `make run`), in Chinese and English.

.venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000 --password <demo password>
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = [
    ("dashboard", "/"),
    ("projects", "/projects/"),
    ("organisation", "/accounts/organisation/"),
    ("audit", "/audit/"),
    ("glossary", "/glossary/"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="han.mei")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--page", action="append", help="extra name=path pairs to capture")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = PAGES + [tuple(item.split("=", 1)) for item in args.page or []]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        for language in ("zh-hans", "en"):
            context = browser.new_context(base_url=args.url, viewport={"width": 1280, "height": 860})
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", args.username)
            page.fill("input[name=password]", args.password)
            page.click("#login-form button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.click(f'button[data-language="{language}"]')
            page.wait_for_load_state("networkidle")
            for name, path in pages:
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}-{language}.png"), full_page=False)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
