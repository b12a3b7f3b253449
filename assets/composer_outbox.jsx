// Sending from the composer, WhatsApp-style. Enter (or the send button) empties
// the composer at once, in the browser, and the message shows straight away as
// a pending bubble with a clock; it goes to the server (`onSend({chat_id, body,
// client_msg_id})`) under a client id made here, so keys typed right after
// Enter belong to the next message and a retry can never store it twice (the
// server keeps the first message sent under an id).
//
// The server answers through `reports` (the last few, each with its own id): "stored"
// (the bubble gives way to the stored message, with its tick, in the same
// render), "refused" (it broke a rule: the text goes back into the empty
// composer, the reason shows under it) or "held" (sending too fast, or the
// message before it is not stored yet: it stays pending and goes again after
// `retry_ms`). Messages not answered, because the
// connection was down, are sent again under the same id once it is back. The
// outbox lives at module level, so leaving a chat on a phone keeps its
// messages going, and the tab's sessionStorage keeps them over a reload. Text is
// only ever rendered as text, never run as code.
import React, { useEffect, useLayoutEffect, useReducer, useRef } from "react";
import { chatInAddress } from "$/public/chat_in_address.js";

const RESEND_AFTER_MS = 5000; // unanswered this long: send it again (same id)

const outbox = {
  items: [],
  seen: new Set(),
  listeners: new Set(),
  send: null,
  timer: 0,
  who: "", // the signed-in session whose messages may go
};

// Kept in the tab's sessionStorage too, under the signed-in session, so a reload
// while messages wait (offline) sends them then, under the same ids; a session
// never sends another's.
const STORED_KEY = "chat_outbox";

const owner = (token) => {
  let hash = 0;
  for (const ch of token || "") hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return String(hash);
};

function remember() {
  try {
    const items = outbox.items.map(({ id, chatId, body, time, who }) => ({
      id,
      chatId,
      body,
      time,
      who,
    }));
    window.sessionStorage.setItem(STORED_KEY, JSON.stringify(items));
  } catch {
    // Storage full or off: the outbox still works for this page.
  }
}

function recall(who) {
  outbox.who = who;
  if (outbox.items.length) return;
  try {
    const items = JSON.parse(window.sessionStorage.getItem(STORED_KEY) || "[]");
    outbox.items = items.filter((item) => item.who === who).map((item) => ({ ...item, sentAt: 0 }));
  } catch {
    outbox.items = [];
  }
  remember();
}

const changed = () => {
  remember();
  outbox.listeners.forEach((listener) => listener());
};

const newId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");

const clock = (date) =>
  String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");

// The message of the same chat written just before this one and not answered
// yet: the server stores this one only after it (a burst that meets the send
// limit could otherwise be stored out of order).
function earlierOf(item) {
  let earlier = null;
  for (const other of outbox.items) {
    if (other === item) break;
    if (other.chatId === item.chatId && other.who === item.who) earlier = other;
  }
  return earlier ? earlier.id : null;
}

function transmit(item) {
  item.sentAt = Date.now();
  item.inFlight = true;
  if (outbox.send) {
    outbox.send({ chat_id: item.chatId, body: item.body, client_msg_id: item.id, after: earlierOf(item) });
  }
}

// Send again what got no answer, and what waited for the send limit. Once a
// message of a chat was held, that chat's messages go one at a time, oldest
// first, each after the one before it is stored, so they keep their order.
// `now` sends every unanswered one at once (the network is back).
function pump(now = false) {
  const gated = new Set();
  const time = Date.now();
  for (const item of outbox.items) {
    if (item.who !== outbox.who || gated.has(item.chatId)) continue;
    const unanswered = item.inFlight && (now || time - item.sentAt >= RESEND_AFTER_MS);
    const due = item.held ? !item.inFlight && time >= item.heldUntil : !item.inFlight;
    if ((unanswered || due) && navigator.onLine) transmit(item);
    if (item.held) gated.add(item.chatId);
  }
}

function tick() {
  pump();
  outbox.timer = outbox.items.length ? window.setTimeout(tick, 1000) : 0;
}

function watch() {
  if (!outbox.timer) outbox.timer = window.setTimeout(tick, 1000);
}

function applyReports(reports, composerId) {
  for (const report of reports || []) {
    if (outbox.seen.has(report.id)) continue;
    outbox.seen.add(report.id);
    const item = outbox.items.find((i) => i.id === report.client_id);
    if (!item) continue;
    if (report.outcome === "held") {
      item.held = true;
      item.inFlight = false;
      item.heldUntil = Date.now() + report.retry_ms;
      continue;
    }
    outbox.items = outbox.items.filter((i) => i !== item);
    remember();
    if (item.held) queueMicrotask(() => pump()); // the next one of that chat may go
    if (report.outcome === "refused") {
      queueMicrotask(() => {
        const box = document.getElementById(composerId);
        if (!box || box.value) return;
        box.value = item.body;
        box.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
  }
}

function PendingBubble({ item }) {
  return (
    <div role="listitem" className="wa-item wa-run-start" data-pending="true">
      <div className="wa-msg wa-msg-own">
        <div className="wa-bubble wa-own wa-tail">
          <p className="wa-body">{item.body}</p>
          <div className="wa-meta" style={{ display: "flex", alignItems: "center", gap: "4px" }}>
            <span style={{ fontSize: "12px" }}>{item.time}</span>
            <svg
              role="img"
              aria-label="Pending"
              width="14"
              height="14"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            >
              <circle cx="12" cy="12" r="10" />
              <polyline points="12 6 12 12 16 14" />
            </svg>
          </div>
        </div>
      </div>
    </div>
  );
}

export function ComposerOutbox({ composerId, chatId, token, reports, onSend }) {
  const [, rerender] = useReducer((n) => n + 1, 0);
  const chat = useRef(chatId);
  chat.current = chatId;
  outbox.send = onSend;

  // Answers are taken in as they render, so a stored message never shows twice.
  applyReports(reports, composerId);

  const who = owner(token);
  const whoRef = useRef(who);
  whoRef.current = who;

  useEffect(() => {
    if (!token) return;
    recall(who);
    watch();
    rerender();
  }, [who, token]);

  useEffect(() => {
    outbox.listeners.add(rerender);
    const onSubmit = (event) => {
      const box = document.getElementById(composerId);
      if (!box || !box.form || event.target !== box.form) return;
      event.preventDefault();
      const body = box.value;
      // Sent while the chat just tapped is still loading: that chat, not the last one.
      const opened = chatInAddress() || chat.current;
      if (!body.trim() || !opened) return;
      const time = clock(new Date());
      const item = { id: newId(), chatId: opened, body, time, who: whoRef.current, sentAt: 0 };
      box.value = "";
      box.dispatchEvent(new Event("input", { bubbles: true }));
      outbox.items = [...outbox.items, item];
      // Behind a held message of this chat it waits its turn; otherwise it goes now.
      if (!outbox.items.some((i) => i.held && i.chatId === item.chatId)) transmit(item);
      watch();
      changed();
    };
    const onOnline = () => pump(true);
    document.addEventListener("submit", onSubmit, true);
    window.addEventListener("online", onOnline);
    // The server can work again after Redis or the database was out of reach
    // (pwa_support.jsx): what waited goes now, not at its next retry.
    window.addEventListener("chat-app-available", onOnline);
    return () => {
      outbox.listeners.delete(rerender);
      document.removeEventListener("submit", onSubmit, true);
      window.removeEventListener("online", onOnline);
      window.removeEventListener("chat-app-available", onOnline);
    };
  }, [composerId]);

  const shown = outbox.items.filter((item) => item.chatId === chatId && item.who === who);
  const end = useRef(null);
  useLayoutEffect(() => {
    if (!shown.length || !end.current) return;
    const scroller = end.current.closest(".wa-messages");
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }, [shown.length]);

  return (
    <>
      {shown.map((item) => (
        <PendingBubble key={item.id} item={item} />
      ))}
      <span ref={end} aria-hidden="true" />
    </>
  );
}
