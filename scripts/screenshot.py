"""Screenshot pages of a built site at phone size (390×844), for the README and for looking.

    .venv/bin/python scripts/screenshot.py site screenshots/home-phone.png /
    .venv/bin/python scripts/screenshot.py site /tmp/cohort.png /bone-tumour-cohort/ --dark --full
"""

from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import sync_playwright


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("output")
    parser.add_argument("path", nargs="?", default="/")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args()
    handler = functools.partial(QuietHandler, directory=args.site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True,
                                has_touch=True, color_scheme="dark" if args.dark else "light")
        page.goto(f"http://127.0.0.1:{server.server_address[1]}{args.path}", wait_until="networkidle")
        page.screenshot(path=args.output, full_page=args.full)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
