// The conversation's scrolling area. The browser owns scrolling, so this small
// component does what a server round trip cannot do well: keep the view still
// when older messages are prepended, follow new messages while at the bottom,
// report reaching the top (load older) and leaving/returning to the bottom
// (mark read, "jump to latest"), and scroll to a quoted original. A reader at
// the bottom stays at the bottom when the rows there grow.
//
// It also decides what the message list's polite live region may read out:
// messages appended while the chat is open. Opening a chat, or loading older
// history, puts many rows in at once that nobody asked to hear one by one, so
// the commit that brings them turns the region off before the browser updates
// its accessibility tree (a layout effect runs in the same task), and it comes
// back on once assistive technology has taken the rows in. Set on the element,
// not through React, so turning it back on re-renders nothing.
import React, { useEffect, useLayoutEffect, useRef } from "react";

const TOP_THRESHOLD_PX = 120;
const BOTTOM_THRESHOLD_PX = 80;
const QUIET_MS = 500; // after a bulk change, before new messages are read out again

export function MessageScroller({
  children,
  scrollKey,
  firstId,
  lastId,
  scrollToId,
  onReachTop,
  onBottomChange,
  ...rest
}) {
  const ref = useRef(null);
  const atBottom = useRef(true);
  const previous = useRef({ firstId, lastId, height: 0, top: 0 });
  const topRequested = useRef(false);

  // The chat and rows last put on screen, and whether reaching them was a bulk
  // change: another chat, or rows added above. (Kept across a repeated run of
  // the effect, as React's strict mode does, so that run decides the same.)
  const shown = useRef({ scrollKey: null, firstId: null, lastId: null, bulk: false });
  useLayoutEffect(() => {
    const before = shown.current;
    if (before.scrollKey !== scrollKey || before.firstId !== firstId || before.lastId !== lastId) {
      const bulk =
        before.scrollKey !== scrollKey || (firstId !== before.firstId && lastId === before.lastId);
      shown.current = { scrollKey, firstId, lastId, bulk };
    }
    const list = ref.current && ref.current.querySelector('[role="list"][aria-live]');
    if (!shown.current.bulk || !list) return undefined;
    list.setAttribute("aria-live", "off");
    const timer = setTimeout(() => list.setAttribute("aria-live", "polite"), QUIET_MS);
    return () => {
      clearTimeout(timer);
      list.setAttribute("aria-live", "polite");
    };
  }, [scrollKey, firstId, lastId]);

  // A newly opened chat (or "jump to latest"): the unread divider, else the bottom.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const divider = el.querySelector("[data-unread-divider='true']");
    if (divider && scrollKey && !String(scrollKey).endsWith(":latest")) {
      divider.scrollIntoView({ block: "center" });
    } else {
      el.scrollTop = el.scrollHeight;
    }
    atBottom.current = true;
  }, [scrollKey]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = previous.current;
    if (before.firstId && firstId !== before.firstId && lastId === before.lastId) {
      // Older messages were prepended: keep what the reader was looking at in place.
      el.scrollTop = before.top + (el.scrollHeight - before.height);
      topRequested.current = false;
    } else if (atBottom.current && (lastId !== before.lastId || el.scrollHeight > before.height)) {
      // A new message, or the rows at the bottom grew (a reaction chip under the
      // last message, an edit that made it longer): a reader at the bottom stays
      // there, so nothing new ends up hidden under the composer.
      el.scrollTop = el.scrollHeight;
    }
    previous.current = { firstId, lastId, height: el.scrollHeight, top: el.scrollTop };
  });

  useEffect(() => {
    if (!scrollToId) return;
    const id = String(scrollToId).split(":")[0];
    const target = document.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    target.classList.add("wa-flash");
    const timer = setTimeout(() => target.classList.remove("wa-flash"), 1600);
    return () => clearTimeout(timer);
  }, [scrollToId]);

  const handleScroll = () => {
    const el = ref.current;
    if (!el) return;
    previous.current.top = el.scrollTop;
    previous.current.height = el.scrollHeight;
    if (el.scrollTop < TOP_THRESHOLD_PX && !topRequested.current && onReachTop) {
      topRequested.current = true;
      onReachTop();
      setTimeout(() => (topRequested.current = false), 1500);
    }
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_THRESHOLD_PX;
    if (bottom !== atBottom.current) {
      atBottom.current = bottom;
      if (onBottomChange) onBottomChange(bottom);
    }
  };

  return (
    <div ref={ref} onScroll={handleScroll} {...rest}>
      {children}
    </div>
  );
}
