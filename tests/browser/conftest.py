"""Browser tests: Playwright drives Debian's Chromium against a live server, axe-core checks
each page a journey passes.

- The browser is /usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it when it is
  missing). Playwright never downloads a browser of its own here; without Chromium these tests
  are skipped with a message saying how to install it.
- Every test here is marked `browser` (`pytest -m "not browser"` leaves them out) and runs on
  one xdist worker (group "browser"): one Chromium, one live server.
- A test that asks for `page` runs twice: at desktop width (1366x900) and at phone width
  (390x844, touch). `desktop_page` and `phone_page` are one page at one width.
- `sign_in(page, user)` puts a verified session (password and second factor) into the browser
  as a cookie, made the way the test client's `force_login` makes it in tests/conftest.py:
  fast, and what a journey needs. `sign_in_through_forms(page, user)` goes through the real
  login page and the second-factor page with a code from an authenticator made for the user.
- `assert_no_serious_axe_violations(page)` fails listing each critical or serious rule with
  where it fails; `assert_no_horizontal_overflow(page)` fails when the page is wider than the screen
  (document.documentElement.scrollWidth against the viewport's width) and names what sticks out.
"""

import os
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
HERE = Path(__file__).resolve().parent


SCREENS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    missing = not os.access(CHROMIUM, os.X_OK)
    skip = pytest.mark.skip(
        reason=f"No Chromium at {CHROMIUM}: `apt-get install chromium` to run the browser tests."
    )
    grouped = config.pluginmanager.hasplugin("xdist")
    browser = []
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        browser.append(item)
        item.add_marker(pytest.mark.browser)
        if grouped:
            item.add_marker(pytest.mark.xdist_group("browser"))
        if missing:
            item.add_marker(skip)
    # Playwright's event loop stays in the process once it has started, and Django then refuses
    # the ORM to every later test: in one process the browser tests run last (`dev.py test` runs
    # the whole suite's browser tests in a process of their own).
    chosen = set(browser)
    items[:] = [item for item in items if item not in chosen] + browser


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """A browser test's ORM calls run while Playwright's event loop lives in the same thread (in
    a greenlet): Django would refuse them as if they came from async code. Set for a module of
    browser tests (before each test's database is set up, until after it is flushed), never
    beyond: the variable must not reach another test (`check --deploy` refuses it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(django_db_setup, browser_type_launch_args):
    # The test database is made before Playwright starts its event loop.
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(params=list(SCREENS))
def screen(request):
    """The width of the test's page: "desktop" or "phone"."""
    return request.param


def _context(new_context, live_server, screen_name):
    context = new_context(base_url=live_server.url, locale="en-GB", **SCREENS[screen_name])
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(live_server, new_context, screen):
    return _context(new_context, live_server, screen)


@pytest.fixture
def desktop_page(live_server, new_context):
    return _context(new_context, live_server, "desktop").new_page()


@pytest.fixture
def phone_page(live_server, new_context):
    return _context(new_context, live_server, "phone").new_page()


# --- signing in ----------------------------------------------------------------------------


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, user): the browser holds a session that passed both sign-in steps."""
    from django.conf import settings
    from django.test import Client

    def sign_in_(page, user):
        client = Client()
        client.force_login(user)  # verified with a TOTP device too (tests/conftest.py)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return page

    return sign_in_


def current_code(device):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def sign_in_through_forms():
    """sign_in_through_forms(page, user, next="/admin/", check=None): the login page, then the
    second-factor page with a code from the user's authenticator; `check(page)` runs on each of
    the two pages before it is filled in (an axe check, say)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import PASSWORD

    def sign_in_(page, user, next="/admin/", check=None):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        page.goto(f"/admin/login/?next={next}")
        if check:
            check(page)
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/account/two-factor/**")
        if check:
            check(page)
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"**{next}")
        return page

    return sign_in_


# --- checks ----------------------------------------------------------------------------------

_axe = None


def axe_violations(page, impacts=("critical", "serious")):
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def assert_no_serious_axe_violations(page):
    """Fails listing each critical or serious axe-core rule the page breaks, with up to three of
    the elements it fails on."""
    violations = axe_violations(page)
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
            f"{violation['help']} — {'; '.join(targets)}"
        )
    assert not lines, f"axe on {page.url}:\n" + "\n".join(lines)


OVERFLOW_SCRIPT = """(width) => {
    const out = (e) => e.getBoundingClientRect().right > width + 1;
    const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
        + (typeof e.className === "string" && e.className.trim()
            ? "." + e.className.trim().split(/\\s+/).join(".") : "")
        + ` (${Math.round(e.getBoundingClientRect().right)}px)`;
    const culprits = [...document.body.querySelectorAll("*")]
        .filter((e) => out(e) && ![...e.children].some(out))
        .slice(0, 5)
        .map(name);
    return [document.documentElement.scrollWidth, culprits];
}"""


def assert_no_horizontal_overflow(page):
    """Fails when the page scrolls sideways, naming the widest elements that stick out."""
    # The screen's width, not window.innerWidth: a phone browser zooms out to show a page wider
    # than the screen, and innerWidth grows with it.
    width = page.viewport_size["width"]
    scroll_width, culprits = page.evaluate(OVERFLOW_SCRIPT, width)
    assert scroll_width <= width, (
        f"{page.url} scrolls sideways: {scroll_width}px wide on a {width}px screen; "
        f"sticking out: {', '.join(culprits)}"
    )
