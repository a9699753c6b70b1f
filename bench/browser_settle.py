"""Click-to-settled time of one action in a Streamlit page, measured inside the browser.

Definitions (all clocks are `performance.timeOrigin + performance.now()`, in ms, read in the page):

- **Start**: the first `keydown` or `mousedown` (or the events the action names) after the bench
  armed the clock: the moment the author presses the key or the button. Listeners sit in the
  capture phase of the window, so no handler of the app runs before the clock starts. For a click
  inside a component's iframe (the causal graph) the listener sits in that iframe, which is served
  from the same origin and shares the same time origin arithmetic.
- **Settled**: the first moment from which all of these hold, and keep holding for `QUIET_MS`:
  1. a script run has *started* since the clock started (Streamlit's frontend sets
     `data-test-script-state` on `[data-testid=stApp]` to `running` while the server runs the script,
     and back to `notRunning` when the run's last message arrived; a run that ends in `st.rerun()` or
     `st.switch_page()` is followed by the next one, so the quiet period catches it). A run short
     enough that React draws `running` and `notRunning` in one pass never shows `running`: a message
     from the server after the input (counted by `WATCH_SOCKET`, installed before the page loads)
     is then the evidence that a run happened;
  2. the script state is `notRunning` now, so that run has finished (it is also what hides the
     running-man icon of `[data-testid=stStatusWidget]`, which then fades out over 200 ms; the fade
     is not counted);
  3. the action's own visible change is in the DOM (a JS predicate: the page's URL and heading after
     Next, the echoed value in the baseline app, ...).
  The quiet period itself is not part of the figure: settled is the moment the state began.
Every DOM mutation re-checks the conditions (a MutationObserver on the whole document), so the
moment is exact to the mutation, not to a polling interval.
"""

from __future__ import annotations

import json
import math

from playwright.sync_api import Frame, Page

QUIET_MS = 300  # a second run (st.rerun, a page switch, a debounced save) would start well within this
TIMEOUT_MS = 30_000

# Installed before any page script (Playwright's init script): counts and times the server's
# messages, which arrive whatever React draws. The browser tests use it too (tests/e2e).
WATCH_SOCKET = """(() => {
    window.__benchMessages = 0;
    window.__benchLastMessage = 0;
    const Socket = window.WebSocket;
    window.WebSocket = class extends Socket {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', () => {
                window.__benchMessages++;
                window.__benchLastMessage = performance.now();
                const bench = window.__bench;
                if (bench && bench.t0 !== null) bench.log.push(['message', bench.now() - bench.t0]);
                bench?.evaluate();
            });
        }
    };
})()"""

_INSTALL = """() => {
    if (window.__bench) return;
    // Looked up each time: Streamlit can mount a new stApp element, and an observer of the old one
    // would never see another run (a sample then timed out with the page long settled).
    const app = () => document.querySelector('[data-testid=stApp]');
    const stateNow = () => app()?.getAttribute('data-test-script-state');
    const bench = window.__bench = {starts: 0, t0: null, settledAt: null, armedStarts: 0, check: null};
    bench.log = [];  // [script state, ms since the input] while a sample runs
    bench.now = () => performance.timeOrigin + performance.now();
    bench.start = () => {
        if (bench.t0 === null) {
            bench.t0 = bench.now(); bench.armedStarts = bench.starts;
            bench.armedMessages = window.__benchMessages ?? 0;
        }
    };
    bench.evaluate = () => {
        if (!bench.check) return;
        // Cheap conditions first: the action's own check runs only once the page is quiet.
        const ran = bench.starts > bench.armedStarts || (window.__benchMessages ?? 0) > bench.armedMessages;
        const ok = bench.t0 !== null && ran
            && stateNow() === 'notRunning' && bench.check();
        if (!ok) bench.settledAt = null;
        else if (bench.settledAt === null) bench.settledAt = bench.now();
    };
    new MutationObserver(all => {
        const records = all.filter(r => r.target === app());
        const state = stateNow();
        // Each record holds the value before its change; the value after it is the next record's
        // before (the last one's is the current state). A run that starts and ends between two
        // callbacks is then still counted.
        records.forEach((r, i) => {
            const after = i + 1 < records.length ? records[i + 1].oldValue : state;
            if (r.oldValue !== 'running' && after === 'running') bench.starts++;
        });
        if (bench.t0 !== null) bench.log.push([state, bench.now() - bench.t0]);
        bench.evaluate();
    }).observe(document.documentElement,
        {subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
    new MutationObserver(() => bench.evaluate()).observe(document.documentElement,
        {subtree: true, childList: true, attributes: true, characterData: true});
}"""

_ARM = """([check, events]) => {
    const bench = window.__bench;
    bench.t0 = null; bench.settledAt = null; bench.armedStarts = bench.starts; bench.log = [];
    bench.armedMessages = window.__benchMessages ?? 0;
    bench.check = new Function('return (' + check + ');');
    for (const type of events) window.addEventListener(type, bench.start, {capture: true, once: true});
}"""

# In a same-origin iframe: start the parent page's clock.
_ARM_FRAME = """(events) => {
    const start = () => window.parent.__bench.start();
    for (const type of events) window.addEventListener(type, start, {capture: true, once: true});
}"""

_SETTLED_FOR = f"""() => {{
    const bench = window.__bench;
    bench.evaluate();
    return bench.settledAt !== null && bench.now() - bench.settledAt >= {QUIET_MS};
}}"""

EVENTS = ("keydown", "mousedown")


class NotSettled(Exception):
    """The action did not settle (no run, an unexpected page); the message says what was seen."""


def install(page: Page) -> None:
    """Watch the page's script runs; call after every navigation that reloads the page (idempotent)."""
    page.wait_for_selector("[data-testid=stApp]")
    page.evaluate(_INSTALL)


def arm(
    page: Page, check: str = "true", frame: Frame | None = None, events: tuple[str, ...] = EVENTS
) -> None:
    """Start listening for the action's first input; `check` is a JS expression for its visible change."""
    install(page)
    page.evaluate(_ARM, [check, list(events if frame is None else ())])
    if frame is not None:
        frame.evaluate(_ARM_FRAME, list(events))


def settled_ms(page: Page, timeout_ms: float = TIMEOUT_MS) -> float:
    """Wait for the armed action to settle; return milliseconds from its first input to settled."""
    try:
        page.wait_for_function(_SETTLED_FOR, timeout=timeout_ms)
    except Exception as error:  # Playwright's TimeoutError, or the page went away
        state = page.evaluate(
            "() => { const b = window.__bench; const app = document.querySelector('[data-testid=stApp]');"
            " return b ? {started: b.t0 !== null, runs_started: b.starts - b.armedStarts,"
            " check: !!(b.check && b.check()), state: app && app.getAttribute('data-test-script-state'),"
            " url: location.pathname} : null; }"
        )
        raise NotSettled(f"not settled within {timeout_ms / 1000:g} s: {json.dumps(state)}") from error
    return page.evaluate("() => window.__bench.settledAt - window.__bench.t0")


def phases(page: Page) -> tuple[float, float, float]:
    """The settled sample in three parts, ms: input to the first run's start (the frontend's own
    delay, e.g. the data editor's 150 ms debounce, and the request), the runs (server script time
    and the deltas drawn as they arrive), last run's end to settled (drawing left after the run).
    A run that never showed `running` starts at the server's first message and ends at its last."""
    log, total = page.evaluate("() => [window.__bench.log, window.__bench.settledAt - window.__bench.t0]")
    log = [(state, t) for state, t in log if t <= total]
    messages = [t for state, t in log if state == "message"]
    # A run too short to show `running` is timed by the server's messages: the first and the last.
    starts = [t for state, t in log if state == "running"] or messages[:1]
    ends = [t for state, t in log if state == "notRunning"] or messages[-1:]
    if not starts or not ends:
        return (math.nan, math.nan, math.nan)
    return (starts[0], ends[-1] - starts[0], total - ends[-1])


def runs_started(page: Page) -> int:
    """Script runs (whole page or fragment) that started between the input and settled: one is the
    least an action costs; a second is an on_change followed by st.rerun, or a fragment widening."""
    return page.evaluate("() => window.__bench.starts - window.__bench.armedStarts")


def js_text_visible(text: str) -> str:
    """A check: the page's text contains `text` (textContent: reading it forces no layout)."""
    return f"document.body.textContent.includes({json.dumps(text)})"


def js_heading_at(path_end: str, heading: str) -> str:
    """A check: the URL path ends with `path_end` and an h1 reads `heading`."""
    return (
        f"location.pathname.endsWith({json.dumps(path_end)}) && [...document.querySelectorAll('h1')]"
        f".some(h => h.textContent.trim() === {json.dumps(heading)})"
    )


class Wire:
    """The websocket frames of one tab, timed by the browser's network stack (Chrome DevTools Protocol).

    They split a sample's runs between the server and the browser: from the first message the tab
    sent after the input (the rerun request) to the last one it received (the run's last delta and
    its end) is the server's script time plus the loopback; the rest of the sample is the browser's
    (drawing, the frontend's own delays). Frames arrive whatever the page's main thread is doing.
    """

    def __init__(self, page: Page):
        self.frames: list[tuple[str, float, int]] = []  # (sent | received, seconds, payload characters)
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        for kind in ("Sent", "Received"):
            session.on(
                f"Network.webSocketFrame{kind}",
                lambda event, kind=kind: self.frames.append(
                    (kind.lower(), event["timestamp"], len(event["response"]["payloadData"]))
                ),
            )

    def clear(self) -> None:
        self.frames.clear()

    def server_ms_and_kb(self) -> tuple[float, float]:
        """Milliseconds from the first frame sent to the last received, and the KB received, since `clear`."""
        sent = [t for kind, t, _ in self.frames if kind == "sent"]
        received = [(t, n) for kind, t, n in self.frames if kind == "received" and sent and t >= sent[0]]
        if not received:
            return (math.nan, math.nan)
        # Binary frames come base64-encoded: 4 characters carry 3 bytes.
        return ((received[-1][0] - sent[0]) * 1000, sum(n for _, n in received) * 3 / 4 / 1024)
