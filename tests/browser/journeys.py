"""Browser journeys: a person's way through the real screens, in Chromium.

A journey is a test in tests/browser/ that asks for the `journey` fixture
(tests/browser/conftest.py). It gets a fresh browser context on the pytest-django
live server, watched for problems: any console error (a Content-Security-Policy
violation is reported there too), any uncaught script error and any HTTP 500
fails the journey at its next step or at its end. Every `step()` saves a
full-page screenshot as var/test-artefacts/journeys/<test>/NN-<name>.png
(settings.VAR_DIR; CI keeps them in var/ci-artefacts/).

A further journey is about thirty lines:

    @pytest.mark.browser
    def test_a_counsellor_records_an_incident(journey, personas, make_case):
        case = make_case(actor=personas.counsellor_a)
        page = journey.login(personas.counsellor_a)          # password + second factor
        page.goto(journey.url("counselling:case_detail", case.pk))
        journey.step("case-page")                             # 01-case-page.png
        page.get_by_role("button", name="Record an incident").click()
        journey.fill({"date": "2026-03-01", "type": "Physical assault"})  # by label
        journey.submit("Save the incident")                   # clicks, waits for the page
        journey.step("incident-saved")
        expect(page.locator("#incidents")).to_contain_text("Physical assault")

- `journey.login(user, language="ko")` signs in through /accounts/login/ and
  the second-factor page (a confirmed authenticator is made for staff who need
  one, and its current code typed in); the interface language is the browser's
  Accept-Language.
- `journey.fill({label: value})` fills inputs and textareas, picks options of
  selects, ticks checkboxes (True/False) by their visible label (a required
  field's asterisk left out); within a container with `within=`.
- `journey.submit(name)` clicks the button named `name` and waits until the
  next page has loaded.
- `journey.step(name)` checks that nothing went wrong so far and saves the
  screenshot; `journey.canvases_drawn()` waits until every <canvas> on the page
  has been drawn on and says how many there are (`every=False`: one of them).
- `journey.allow("status of 404")` forgets the console's note about an error
  page the journey means to reach (a refused record answers 404).
- Django's ORM may be used in the test between steps (DJANGO_ALLOW_ASYNC_UNSAFE
  is set for the browser tests only: Playwright's sync API keeps an event loop).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import Browser, BrowserContext, Page

from tests.factories import PASSWORD

TIMEOUT_MS = 15_000

# Whether every (or some) canvas on the page has at least one non-transparent pixel.
_CANVASES_DRAWN = """(test) => Array.from(document.querySelectorAll('canvas'))[test]((canvas) => {
  if (!canvas.width || !canvas.height) return false;
  const context = canvas.getContext('2d');
  if (!context) return canvas.toDataURL().length > 2000;
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) return true; }
  return false;
})"""


def _label(text: str) -> re.Pattern:
    """A field's label as shown, with or without the required field's asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}(\s*\*)?\s*$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"


@dataclass
class Journey:
    browser: Browser
    base_url: str
    folder: Path
    context: BrowserContext | None = None
    page: Page | None = None
    problems: list[str] = field(default_factory=list)
    reported: int = 0
    steps: int = 0

    # --- The browser ---------------------------------------------------------------------

    def open(self, *, language: str = "ko") -> Page:
        """A new browser context (no cookies) and its page, watched for problems."""
        self.close()
        self.context = self.browser.new_context(
            base_url=self.base_url,
            locale="ko-KR" if language == "ko" else "en-GB",
            extra_http_headers={"Accept-Language": language},
            viewport={"width": 1280, "height": 900},
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        page = self.context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self._on_response)
        self.page = page
        return page

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context = self.page = None

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status} from {response.url}")

    def url(self, name: str, *args) -> str:
        return reverse(name, args=args)

    # --- Signing in ----------------------------------------------------------------------

    def login(self, user, *, language: str = "ko", password: str = PASSWORD) -> Page:
        """Sign in as `user` through the login page (and the second factor)."""
        device = _authenticator(user) if user.needs_two_factor else None
        page = self.open(language=language)
        page.goto(self.url("accounts:login"))
        page.locator("input[name=username]").fill(user.email)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) button[type=submit]").click()
        if user.needs_two_factor:
            page.wait_for_url(re.compile(r"/accounts/two-factor/"))
            page.locator("input[name=token]").fill(_current_code(device))
            with page.expect_navigation():
                page.locator("form:has(input[name=token]) button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert "/accounts/login/" not in page.url, f"{user.email} could not sign in"
        assert "/accounts/two-factor/" not in page.url, f"{user.email}: second factor refused"
        return page

    # --- Forms -----------------------------------------------------------------------------

    def fill(self, values: dict, *, within=None) -> None:
        """Fill each field found by its label: text, dates, selects, checkboxes."""
        scope = within if within is not None else self.page
        for label, value in values.items():
            target = scope.get_by_label(_label(label))
            if target.count() > 1:
                target = target.first
            tag = target.evaluate("(node) => node.tagName.toLowerCase()")
            kind = target.get_attribute("type") or ""
            if isinstance(value, bool) or kind in ("checkbox", "radio"):
                target.set_checked(bool(value))
            elif tag == "select":
                target.select_option(label=value)
            else:
                target.fill(str(value))

    def submit(self, name: str, *, within=None) -> Page:
        """Click the button named `name` and wait for the page it leads to."""
        scope = within if within is not None else self.page
        with self.page.expect_navigation():
            scope.get_by_role("button", name=name, exact=True).click()
        self.page.wait_for_load_state("networkidle")
        return self.page

    # --- Checks and pictures ---------------------------------------------------------------

    def assert_clean(self) -> None:
        """Fail on the problems not reported yet (console errors, CSP, 500s)."""
        fresh = self.problems[self.reported :]
        self.reported = len(self.problems)
        assert not fresh, "the browser saw problems:\n" + "\n".join(fresh)

    def allow(self, text: str) -> int:
        """Forget the problems not reported yet that contain `text` (the console's
        note about an error page the journey means to reach); how many there were."""
        fresh = self.problems[self.reported :]
        kept = [problem for problem in fresh if text not in problem]
        self.problems[self.reported :] = kept
        return len(fresh) - len(kept)

    def step(self, name: str) -> Path:
        """Check that nothing went wrong so far, and save a full-page screenshot."""
        self.page.wait_for_load_state("networkidle")
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.steps:02d}-{_slug(name)}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.assert_clean()
        return path

    def canvases_drawn(self, *, every: bool = True) -> int:
        """Wait until every <canvas> on the page shows something (or one of them,
        for a drawing made of layers, like the network graph's); how many there are."""
        count = self.page.locator("canvas").count()
        if count:
            test = "every" if every else "some"
            self.page.wait_for_function(_CANVASES_DRAWN, arg=test, timeout=TIMEOUT_MS)
        return count


def _authenticator(user):
    """A confirmed authenticator for `user`, as if she had enrolled her phone."""
    from ngo.accounts.models import AuthenticatorDevice

    device, _ = AuthenticatorDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    return device


def _current_code(device) -> str:
    """The authenticator's code of this moment. The device forgets which code it
    last accepted, so signing in twice within one 30-second step works."""
    type(device).objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
