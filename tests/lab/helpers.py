"""One-call steps for the lab's browser tests: watching the tab, driving the phone simulator
the way a newcomer does (tap a button, answer the sheet, read the result line), and reading
what the side panels and the timeline show afterwards.

Every step clicks what a person clicks and waits with Playwright's own waiting (selectors and
``expect``), never with a sleep. After anything that talks to a server the lab refreshes its
panels; ``Lab.settle`` waits for that refresh, using the lab's test hooks on its root element
(``data-refreshing``, ``data-refresh-count``).
"""

import re

import requests
from playwright.sync_api import expect
from sqlalchemy import select

from tests.support import (
    LOCAL,
    MINIPROGRAM_APPID,
    MINIPROGRAM_SECRET,
    OFFICIAL_ACCOUNT_SECRET,
    UNBOUND_SECRET,
)
from webapp.accounts.models import Identity
from webapp.extensions import db
from webapp.sandbox.models import AccessToken, SessionKey, WebToken

PERSONAS = ("xiaoming", "lihua", "amy", "risky")
SCOPES = (
    "scope.userLocation",
    "scope.camera",
    "scope.writePhotosAlbum",
    "scope.record",
    "scope.address",
    "scope.userLocationBackground",
    "scope.addPhoneContact",
)
APP_SECRETS = (MINIPROGRAM_SECRET, OFFICIAL_ACCOUNT_SECRET, UNBOUND_SECRET)


# Watching a tab ----------------------------------------------------------------------------

# The avatar picker hands the upload a blob: URL, which never leaves the page.
LAB_LOCAL = LOCAL + ("blob:",)


def error_answer(response):
    """The lab's error flows (the 401 retry, a blocked persona, the pitfalls, a refused state in
    the web-view) fetch 4xx and 5xx answers on purpose."""
    return response.status >= 400


def agree_privacy(server_url, appid=MINIPROGRAM_APPID, personas=PERSONAS):
    """Record that each of ``personas`` tapped 同意 on the mini-program's privacy guide before.
    The agreement is WeChat's record (the sandbox's database), so it is made the way the phone
    makes it: the agreePrivacyAuthorization button's device call."""
    for persona in personas:
        response = requests.post(
            f"{server_url}/sandbox/device/agree-privacy",
            json={"appid": appid, "user": persona},
            timeout=10,
        )
        assert response.json()["errMsg"] == "agreePrivacyAuthorization:ok", response.text


# The lab page ------------------------------------------------------------------------------


# Lab.until's wait, in the page: resolve once the condition holds, fail after UNTIL_MS.
UNTIL_MS = 10_000
UNTIL = """([args, timeout]) => new Promise((resolve, reject) => {
  const holds = CONDITION;
  const observer = new MutationObserver(() => holds(args) && done());
  const timer = setTimeout(() => {
    observer.disconnect();
    reject(new Error(`not true within ${timeout} ms: ${holds}, given ${JSON.stringify(args)}`));
  }, timeout);
  const done = () => { observer.disconnect(); clearTimeout(timer); resolve(); };
  const everything = { subtree: true, childList: true, attributes: true, characterData: true };
  observer.observe(document, everything);
  if (holds(args)) done();
})"""


def _css(action, **data):
    attributes = "".join(
        f'[data-{name.replace("_", "-")}="{value}"]' for name, value in data.items()
    )
    return f'[data-action="{action}"]{attributes}'


class Lab:
    """The lab page in one tab: the phone on the left, the panels on the right, the timeline
    below. Methods do one thing a person does and wait until the lab has shown its effect."""

    def __init__(self, page, watch=None):
        self.page, self.watch = page, watch
        self.root = page.get_by_test_id("lab")
        self.screen = page.get_by_test_id("phone-screen")
        self.frame = page.frame_locator('[data-testid="webview-frame"]')
        self._mark = None
        self._seen_steps = 0

    # opening --------------------------------------------------------------------------

    def open(self, logged_in=True):
        """Open /lab/; with ``logged_in`` wait for the automatic login (privacy agreed before)."""
        self.page.goto("/lab/")
        if logged_in:
            self.until(
                "() => /^已登录 · 用户 #\\d+$/.test("
                "document.querySelector('[data-testid=\"login-state\"]')?.textContent ?? '')"
            )
            expect(self.login_state).to_have_text(re.compile(r"^已登录 · 用户 #\d+$"))
            # A fresh phone logs in: the last step is the token going into storage.
            expect(
                self.page.get_by_test_id("timeline").locator(
                    '.step[data-endpoint="phone:setStorageSync"]'
                )
            ).to_have_count(1)
        self.idle()
        return self

    # tapping and waiting --------------------------------------------------------------

    def idle(self):
        """Wait until no panel refresh is running or scheduled."""
        self._wait_for_panels("refreshing === 'false'")

    def mark(self):
        """Remember how many refreshes the panels have had, so ``settle`` waits for a new one."""
        self.idle()
        self._mark = self.root.get_attribute("data-refresh-count")

    def settle(self):
        """Wait until the panels have refreshed since the last ``mark`` (or tap) and are idle:
        then the storage panel, the inspector and the timeline show what the action did."""
        if self._mark is not None:
            self._wait_for_panels("refreshCount !== mark", mark=self._mark)
        self.idle()
        self._mark = None

    def _wait_for_panels(self, condition, mark=None):
        """Wait for a condition on the lab root's test hooks (see ``until``)."""
        self.until(
            "([mark]) => { const { refreshing, refreshCount } = "
            "document.querySelector('[data-testid=\"lab\"]').dataset; "
            f"return {condition}; }}",
            mark,
        )

    def until(self, script, *args):
        """Wait until ``script``, a JavaScript function of ``[args]``, returns true: checked now
        and after every change to the page's DOM, which is where all of these conditions look.
        The steps of a lab test take a few hundred milliseconds each, and expect() backs off to
        checking every half second after a quarter of one; checking at every frame instead
        keeps Chromium drawing frames all along. So the hot waits come here first, and the
        expect() that follows still checks and words any failure."""
        self.page.evaluate(UNTIL.replace("CONDITION", script), [list(args), UNTIL_MS])

    def locate(self, action, **data):
        return self.page.locator(_css(action, **data))

    def tap(self, action, **data):
        """Click the visible element with this data-action (after the panels are idle)."""
        self.mark()
        self.locate(action, **data).filter(visible=True).click()

    def tab(self, name):
        """Switch the mini-program's tab bar to ``name`` and wait until its page shows."""
        self.tap("tab", tab=name)
        self.until(
            "([name]) => document.querySelector('[data-testid=\"phone-screen\"]')"
            ".dataset.currentPage === name",
            name,
        )
        expect(self.screen).to_have_attribute("data-current-page", name)
        expect(self.page.locator(f'[data-page="{name}"]')).to_be_visible()

    def expect_page(self, name):
        expect(self.screen).to_have_attribute("data-current-page", name)

    # the result line of a page -------------------------------------------------------

    def result(self, page_name):
        return self.page.locator(f'[data-page="{page_name}"] [data-testid="page-result"]')

    def expect_result(self, page_name, text, state="ok"):
        """Wait for the page's result line (``text``: a string it contains, or a regex) and
        its state, then for the panels' refresh."""
        line = self.result(page_name)
        if isinstance(text, str):
            self.until(
                "([page, text, state]) => { const line = document.querySelector("
                '`[data-page="${page}"] [data-testid="page-result"]`); '
                "return !!line && line.textContent.includes(text) "
                "&& line.dataset.state === state; }",
                page_name,
                text,
                state,
            )
            expect(line).to_contain_text(text)
        else:
            expect(line).to_have_text(text)
        expect(line).to_have_attribute("data-state", state)
        self.settle()
        return line.text_content()

    # overlays ------------------------------------------------------------------------

    def answer_sheet(self, decision, asks=None):
        """The half-screen consent sheet: check what it asks, tap 允许 (allow) or 拒绝 (deny)."""
        sheet = self.page.get_by_test_id("phone-sheet")
        self.until("() => !!document.querySelector('[data-testid=\"phone-sheet\"]')")
        expect(sheet).to_be_visible()
        if asks:
            expect(sheet.get_by_test_id("sheet-asks")).to_contain_text(asks)
        self.tap(f"sheet-{decision}")
        self.until("() => !document.querySelector('[data-testid=\"phone-sheet\"]')")
        expect(sheet).to_have_count(0)

    def answer_privacy_popup(self, agree, asked_by=None):
        """The mini-program's privacy popup, opened when WeChat asked (a privacy API was
        called): check which API asked, tap 同意 or 拒绝. The API's own call came before the
        popup, so this does not start a new wait for the panels (see ``settle``)."""
        popup = self.page.get_by_test_id("privacy-popup")
        expect(popup).to_be_visible()
        if asked_by:
            expect(self.page.get_by_test_id("privacy-referrer")).to_contain_text(asked_by)
        self.locate("privacy-agree" if agree else "privacy-disagree").click()
        expect(popup).to_be_hidden()

    def confirm_modal(self, content):
        modal = self.page.get_by_test_id("phone-modal")
        expect(modal).to_contain_text(content)
        self.tap("modal-confirm")
        expect(modal).to_have_count(0)

    # the login page ------------------------------------------------------------------

    @property
    def login_state(self):
        return self.page.get_by_test_id("login-state")

    # who holds the phone -------------------------------------------------------------

    def switch_persona(self, persona):
        self.tap("persona", persona=persona)
        expect(self.root).to_have_attribute("data-persona", persona)
        expect(self.locate("persona", persona=persona)).to_have_attribute("aria-pressed", "true")

    # 清缓存 ---------------------------------------------------------------------------

    def clear(self, what):
        """Open 清缓存, pick an item, wait for the note that says what was cleared."""
        menu = self.page.get_by_test_id("clear-menu")
        self.mark()
        menu.locator("summary").click()
        expect(menu).to_have_attribute("open", "")
        menu.locator(f'[data-clear="{what}"]').click()
        note = self.page.get_by_test_id("reset-note")
        expect(note).to_have_attribute("data-clear", what)
        expect(note).not_to_have_text("正在清除…")
        expect(menu).not_to_have_attribute("open", "")
        self.settle()
        return note.text_content()

    # the side panels -----------------------------------------------------------------

    def storage(self):
        """{key: value as the storage panel shows it}."""
        self.idle()
        rows = self.page.get_by_test_id("storage-row")
        return dict(
            rows.evaluate_all(
                "rows => rows.map(row => [row.dataset.key, "
                "row.querySelector('[data-testid=\"storage-value\"]').textContent])"
            )
        )

    def token(self):
        """The bearer token the phone keeps (read from localStorage, as the page stores it)."""
        persona = self.root.get_attribute("data-persona")
        raw = self.page.evaluate(
            "(key) => localStorage.getItem(key)", f"wxstorage:{MINIPROGRAM_APPID}:{persona}:token"
        )
        return raw and raw.strip('"')

    def edit_storage(self, key, value):
        """The storage panel's 编辑 → type → 保存, as in DevTools' Storage panel."""
        row = self.page.locator(f'[data-testid="storage-row"][data-key="{key}"]')
        row.locator('[data-action="storage-edit"]').click()
        field = row.get_by_test_id("storage-input")
        expect(field).to_be_focused()
        field.fill(value)
        row.locator('[data-action="storage-save"]').click()
        expect(self.page.get_by_test_id("storage-input")).to_have_count(0)
        expect(row.get_by_test_id("storage-value")).to_have_text(value)

    def panel(self, name):
        """One of the inspector's server-rendered panels."""
        return self.page.locator(f'[data-testid="inspector"] [data-panel="{name}"]')

    @property
    def session_key_state(self):
        return self.panel("session-key").get_by_test_id("session-key-state")

    # the timeline --------------------------------------------------------------------

    def steps(self):
        """[(endpoint, status)] of every exchange the lab's timeline shows, oldest first. A row
        that stands for a run of identical reads (×N, ``data-count``) counts N times."""
        self.idle()
        steps = self.page.get_by_test_id("timeline").locator(".step")
        # One read for all of them: the timeline of a long test has a hundred steps.
        pairs = steps.evaluate_all(
            "all => all.flatMap(s => Array(Number(s.dataset.count)).fill("
            "[s.dataset.endpoint, s.dataset.status]))"
        )
        return [tuple(pair) for pair in pairs]

    def outcomes(self, endpoint):
        """The outcomes (errcode, errMsg, our code) recorded for ``endpoint``'s steps, as the
        recorder wrote them ("errcode 40029 invalid code", "code 40900 ..."); the timeline
        shows each labelled and explained."""
        self.idle()
        steps = self.page.get_by_test_id("timeline").locator(f'.step[data-endpoint="{endpoint}"]')
        return [
            step.locator(".step-outcome").get_attribute("data-outcome")
            if step.locator(".step-outcome").count()
            else None
            for step in steps.all()
        ]

    def new_steps(self):
        """The steps added since the last call (or since the page opened)."""
        steps = self.steps()
        fresh, self._seen_steps = steps[self._seen_steps :], len(steps)
        return fresh

    def skip_steps(self):
        self._seen_steps = len(self.steps())

    def step_count(self, endpoint):
        """How many ``endpoint`` steps the timeline shows now."""
        self.idle()
        return self._steps_of(endpoint).count()

    def expect_step_count(self, endpoint, count):
        """Wait until the timeline shows ``count`` steps of ``endpoint``: the end of a chain of
        calls (a launch: privacy, checkSession, login, storage) that the panels may refresh in
        the middle of."""
        expect(self._steps_of(endpoint)).to_have_count(count)
        self.idle()  # the timeline shows it: the panels have refreshed since
        self._mark = None

    def _steps_of(self, endpoint):
        return self.page.get_by_test_id("timeline").locator(f'.step[data-endpoint="{endpoint}"]')

    # pitfalls ------------------------------------------------------------------------

    def run_pitfall(self, pitfall, status="done"):
        """Click 重现 on a pitfall card; wait until it finished; return its result lines as
        [(text, state)]."""
        box = self.page.get_by_test_id("pitfall-box")
        self.mark()
        self.page.locator(
            f'[data-testid="pitfall-card"][data-pitfall-id="{pitfall}"] [data-action="run-pitfall"]'
        ).click()
        expect(box).to_have_attribute("data-pitfall", pitfall)
        expect(box).to_have_attribute("data-status", status, timeout=20_000)
        expect(self.locate("run-pitfall").first).to_be_enabled()
        self.settle()
        return self.pitfall_lines()

    def pitfall_lines(self):
        """The pitfall box's result list, as [(text, data-state or None)]."""
        items = (
            self.page.get_by_test_id("pitfall-box").get_by_test_id("pitfall-result").locator("li")
        )
        return [(item.text_content(), item.get_attribute("data-state")) for item in items.all()]


def choose_source(page, name):
    """The first sheet of chooseAvatar: 用微信头像, 从相册选择 or 拍照."""
    sources = page.get_by_test_id("avatar-source")
    expect(sources.locator('[data-action="avatar-source"]')).to_have_text(
        ["用微信头像", "从相册选择", "拍照"]
    )
    sources.locator('[data-action="avatar-source"]', has_text=name).click()
    expect(sources).to_have_count(0)


# Reading results ---------------------------------------------------------------------------


def assert_lines(lines, expected):
    """Each (pattern, state) of ``expected`` matches one of ``lines`` ((text, state) pairs), in
    order; a pattern is a regex searched in the text."""
    remaining = iter(lines)
    for pattern, state in expected:
        assert any(re.search(pattern, text) and found == state for text, found in remaining), (
            pattern,
            state,
            lines,
        )


def contains_in_order(steps, expected):
    """Whether ``expected`` (endpoint or (endpoint, status) items) occurs in ``steps`` in order."""
    remaining = iter(steps)
    for want in expected:
        if not any(step == want or step[0] == want for step in remaining):
            return False
    return True


def assert_steps(steps, expected):
    assert contains_in_order(steps, expected), (expected, steps)


# The database ------------------------------------------------------------------------------


def session_keys(app):
    """The session_key the developer server keeps in each mini-program Identity row, and every
    session_key the sandbox WeChat ever issued."""
    with app.app_context():
        kept = db.session.scalars(
            select(Identity.session_key).where(
                Identity.appid == MINIPROGRAM_APPID, Identity.session_key.is_not(None)
            )
        ).all()
        issued = db.session.scalars(select(SessionKey.value)).all()
        return set(kept), set(issued)


def wechat_tokens(app):
    """Every server access_token and web-authorization token the sandbox issued."""
    with app.app_context():
        server = db.session.scalars(select(AccessToken.token)).all()
        web = db.session.execute(select(WebToken.access_token, WebToken.refresh_token)).all()
        return set(server) | {value for row in web for value in row}
