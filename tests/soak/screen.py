"""What is on a person's screen, read in one go from the page.

Each message the soak sends ends in its own tag (``#17``), so a page can be
read without trusting anything the app labels: rows by their message id, text
by its tag, and when each tag first appeared (a MutationObserver installed
before the app's code runs) to measure Enter → the other person's screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Page

TAG = re.compile(r"#(\d+)\s*$")


def tag_of(text: str) -> int | None:
    """The soak's tag at the end of a message's text (``#00017`` → 17)."""
    found = TAG.search(text)
    return int(found.group(1)) if found else None


# Installed in every page before the app: when a stored (not pending) message
# with a tag first shows, and when Enter sent one from the composer (both by the
# machine's one clock, shared by every page).
TIMING_SCRIPT = r"""
(() => {
  const seen = {};
  const enters = {};
  window.__soakSeen = seen;
  window.__soakEnter = enters;
  const tagOf = (text) => {
    const found = /#(\d+)\s*$/.exec(text || "");
    return found ? found[1] : null;
  };
  let queued = false;
  const scan = () => {
    queued = false;
    const now = Date.now();
    for (const body of document.querySelectorAll(".wa-body")) {
      if (body.closest("[data-pending]")) continue;
      const tag = tagOf(body.textContent);
      if (tag && !(tag in seen)) seen[tag] = now;
    }
  };
  new MutationObserver(() => {
    if (!queued) { queued = true; queueMicrotask(scan); }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener("keydown", (event) => {
    const box = event.target;
    if (event.key !== "Enter" || event.shiftKey || !box || !box.getAttribute) return;
    if (box.getAttribute("aria-label") !== "Type a message") return;
    const tag = tagOf(box.value);
    if (tag && !(tag in enters)) enters[tag] = Date.now();
  }, true);
})();
"""

# The conversation as shown: every message row (id, text, deleted, pending,
# reaction chips, tick), the composer, and any message text a control covers.
READ_SCREEN = r"""() => {
  const list = document.querySelector('[role=list][aria-label=Messages]');
  const composer = document.querySelector('textarea[aria-label="Type a message"]');
  const open = [...document.querySelectorAll('[role=dialog],[role=alertdialog],[role=menu]')]
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => el.getAttribute('role') + ' ' +
      (el.getAttribute('aria-label') || el.textContent.slice(0, 40)));
  const result = {
    path: location.pathname, composer: composer ? composer.value : null, open,
    rows: [], covered: [], jump: !!document.querySelector('[aria-label="Jump to latest"]'),
  };
  if (!list) return result;
  let scroller = list.parentElement;
  while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) {
    scroller = scroller.parentElement;
  }
  const view = (scroller || list).getBoundingClientRect();
  // "Jump to latest" floats over the list while it is scrolled away from the
  // newest message, as WhatsApp's does: what passes under it scrolls on, so it
  // is not a control that hides text.
  const controls = [...document.querySelectorAll(
    'button, a, input, textarea, [role=button], [role=menuitem], [role=status], [role=alert]'
  )].filter((el) => el.getAttribute('aria-label') !== 'Jump to latest').filter((el) => {
    const style = getComputedStyle(el);
    return style.display !== 'none' && style.visibility !== 'hidden' && style.opacity !== '0';
  });
  for (const item of list.querySelectorAll('[role=listitem]')) {
    const body = item.querySelector('.wa-body');
    if (!body) continue;
    const tick = item.querySelector(
      '[aria-label=Sent],[aria-label=Delivered],[aria-label=Read],[aria-label=Pending]'
    );
    const text = body.textContent.trim();
    result.rows.push({
      id: item.id && item.id.startsWith('msg-') ? Number(item.id.slice(4)) : null,
      text,
      deleted: body.classList.contains('wa-deleted'),
      pending: item.hasAttribute('data-pending') || !!item.querySelector('[data-pending]'),
      reactions: [...item.querySelectorAll('.wa-reactions button')]
        .map((b) => b.getAttribute('aria-label')).sort(),
      tick: tick ? tick.getAttribute('aria-label') : null,
    });
    const range = document.createRange();
    range.selectNodeContents(body);
    const glyphs = [...range.getClientRects()].filter((g) => g.width > 0 &&
      g.top >= view.top && g.bottom <= view.bottom && g.left >= view.left && g.right <= view.right);
    for (const control of controls) {
      if (body.contains(control)) continue;
      for (const box of control.getClientRects()) {
        if (box.width === 0 || box.height === 0) continue;
        if (glyphs.some((g) => box.left < g.right - 1 && g.left + 1 < box.right &&
                               box.top < g.bottom - 1 && g.top + 1 < box.bottom)) {
          result.covered.push(text + ' under ' + (control.getAttribute('aria-label') ||
            control.getAttribute('role') || control.tagName));
        }
      }
    }
  }
  return result;
}"""


@dataclass
class Row:
    id: int | None
    text: str
    deleted: bool
    pending: bool
    reactions: list[str]
    tick: str | None

    @property
    def tag(self) -> int | None:
        return tag_of(self.text)


@dataclass
class Screen:
    path: str
    composer: str | None
    open: list[str]
    rows: list[Row]
    covered: list[str]
    jump: bool
    stored: list[Row] = field(init=False)
    pending: list[Row] = field(init=False)

    def __post_init__(self) -> None:
        self.stored = [row for row in self.rows if not row.pending]
        self.pending = [row for row in self.rows if row.pending]


def read_screen(page: Page) -> Screen:
    raw = page.evaluate(READ_SCREEN)
    rows = [Row(**row) for row in raw.pop("rows")]
    return Screen(rows=rows, **raw)


def harvest_timings(page: Page) -> tuple[dict[int, float], dict[int, float]]:
    """(first seen, Enter pressed) per tag, in ms since the epoch, so far in this page."""
    seen, enters = page.evaluate("[window.__soakSeen || {}, window.__soakEnter || {}]")
    return (
        {int(tag): float(at) for tag, at in seen.items()},
        {int(tag): float(at) for tag, at in enters.items()},
    )
