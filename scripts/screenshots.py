"""Take README screenshots from the real pages, with demo data, in headless Chromium.

Usage: make screenshots   (writes docs/screenshots/*.png)

Starts its own server on a throw-away SQLite database so it never touches
your data, loads the demo data, logs in as the demo users and captures each
page at desktop and phone width.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "silta-demo-2026"
CHROMIUM = os.environ.get("SILTA_CHROMIUM", "/usr/bin/chromium")

# (file name, demo user, path, phone?)
SHOTS = [
    ("login", None, "/login/", False),
    ("home-sales", "sam", "/", False),
    ("log-conversation", "sam", "/crm/log/", False),
    ("log-conversation-phone", "sam", "/crm/log/", True),
    ("conversations", "sam", "/crm/conversations/", False),
    ("pipeline", "sam", "/crm/pipeline/", False),
    ("account", "sam", "/crm/accounts/1/", False),
    ("insight-feed", "mark", "/alignment/feed/", False),
    ("themes", "mark", "/alignment/themes/", False),
    ("live-now", "sam", "/alignment/live/", False),
    ("feedback-round-phone", "frank", "/feedback/", True),
    ("feedback-actions", "maria", "/feedback/actions/", False),
    ("campaigns", "mark", "/alignment/campaigns/", False),
    ("import", "maria", "/transfer/", False),
    ("dashboard", "maria", "/kpis/", False),
    ("assessment", "maria", "/kpis/assessment/", False),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server at {url} did not come up")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    var_dir = tempfile.mkdtemp(prefix="silta-shots-")
    env = {**os.environ, "SILTA_VAR_DIR": var_dir, "DJANGO_ENV": "development"}
    env.pop("DATABASE_URL", None)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/health/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for name, username, path, phone in SHOTS:
                viewport = (
                    {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
                )
                context = browser.new_context(base_url=base, viewport=viewport, locale="en-GB")
                page = context.new_page()
                if username:
                    page.goto("/login/")
                    page.get_by_label("Username").fill(username)
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Log in").click()
                    page.wait_for_url(lambda url: "/login/" not in url)
                response = page.goto(path)
                if response is None or response.status != 200:
                    print(f"skip {name}: {path} answered {response and response.status}")
                    context.close()
                    continue
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=not phone)
                print(f"wrote docs/screenshots/{name}.png")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
