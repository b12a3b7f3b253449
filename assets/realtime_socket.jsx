// The browser's end of the realtime service (chat_app/realtime): one websocket per
// tab that authenticates with the first frame, resumes from the last event it
// applied, reconnects with exponential backoff and jitter, and hands every event
// to a Reflex event handler, which re-reads the affected slice from the database.
//
// The socket lives at module level, not in the component, so moving between the
// chat list and a chat (two pages, so an unmount and a mount) keeps it open and
// loses nothing. Typing signals go straight from the composer to the socket,
// without a round trip through the backend.
import React, { useEffect, useSyncExternalStore } from "react";
import env from "$/env.json";
import { useBannerRoom } from "$/public/banner_room.js";

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 30000;
const BANNER_DELAY_MS = 1500; // a quick reconnect should not flash the banner
const UNMOUNT_GRACE_MS = 3000; // a page change remounts the component
const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOWN_FOR_MS = 5000; // the issue asks "about 5 s without a signal"
const ACK_EVERY_EVENTS = 100;
const ACK_AFTER_MS = 2000; // the service allows 1,000 outstanding: acks need not be eager
const AUTH_FAILED = 4401;

function socketUrl() {
  const configured = env.REALTIME_URL || "/realtime";
  if (configured.startsWith("/")) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${window.location.host}${configured}`;
  }
  return configured.replace(/^http/, "ws");
}

const link = {
  socket: null,
  token: "",
  lastEventId: null, // the newest event id applied; null until the first "ready"
  handlers: {},
  attempt: 0,
  reconnectTimer: null,
  bannerTimer: null,
  closeTimer: null,
  ackTimer: null,
  ackedId: 0,
  unacked: 0,
  typingTimers: new Map(),
  typingSentAt: new Map(),
  mounted: 0,
  down: false,
  listeners: new Set(),
};

function setDown(value) {
  if (link.down === value) return;
  link.down = value;
  link.listeners.forEach((listener) => listener());
}

function call(name, payload) {
  const handler = link.handlers[name];
  if (handler) handler(payload);
}

function send(frame) {
  if (link.socket && link.socket.readyState === WebSocket.OPEN) {
    link.socket.send(JSON.stringify(frame));
  }
}

function flushAck() {
  clearTimeout(link.ackTimer);
  link.ackTimer = null;
  if (link.lastEventId !== null && link.lastEventId > link.ackedId) {
    send({ type: "ack", last_event_id: link.lastEventId });
    link.ackedId = link.lastEventId;
  }
  link.unacked = 0;
}

function noteApplied(id) {
  link.lastEventId = id;
  link.unacked += 1;
  if (link.unacked >= ACK_EVERY_EVENTS) flushAck();
  else if (!link.ackTimer) link.ackTimer = setTimeout(flushAck, ACK_AFTER_MS);
}

function typingKey(data) {
  return `${data.chat_id}:${data.user_id}`;
}

function stopTyping(key, data) {
  clearTimeout(link.typingTimers.get(key));
  link.typingTimers.delete(key);
  call("onTypingStopped", { chat_id: data.chat_id, user_id: data.user_id });
}

function onTyping(data) {
  const key = typingKey(data);
  clearTimeout(link.typingTimers.get(key));
  link.typingTimers.set(key, setTimeout(() => stopTyping(key, data), TYPING_SHOWN_FOR_MS));
}

function onFrame(text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    return;
  }
  if (frame.type === "ready") {
    link.attempt = 0;
    clearTimeout(link.bannerTimer);
    setDown(false);
    if (link.lastEventId === null) {
      // Nothing to resume from: whatever the page loaded may predate the socket.
      link.lastEventId = frame.last_event_id;
      link.ackedId = frame.last_event_id;
      call("onResync", { reason: "connected", last_event_id: frame.last_event_id });
    } else {
      send({ type: "resume", last_event_id: link.lastEventId });
    }
  } else if (frame.type === "event") {
    if (frame.id !== null && frame.id !== undefined) {
      if (link.lastEventId !== null && frame.id <= link.lastEventId) return; // seen already
      noteApplied(frame.id);
    }
    if (frame.kind === "typing") {
      onTyping(frame.data);
    } else if (frame.kind === "message.created") {
      const key = typingKey({ chat_id: frame.data.chat_id, user_id: frame.data.sender_id });
      if (link.typingTimers.has(key)) {
        clearTimeout(link.typingTimers.get(key));
        link.typingTimers.delete(key);
      }
    }
    call("onEvent", frame);
  } else if (frame.type === "resync") {
    link.lastEventId = frame.last_event_id;
    link.ackedId = frame.last_event_id;
    call("onResync", { reason: frame.reason, last_event_id: frame.last_event_id });
  } else if (frame.type === "error") {
    console.warn("realtime:", frame.code, frame.reason);
  }
}

function scheduleReconnect() {
  clearTimeout(link.reconnectTimer);
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** link.attempt);
  const delay = ceiling / 2 + Math.random() * (ceiling / 2); // jitter spreads a herd
  link.attempt += 1;
  link.reconnectTimer = setTimeout(connect, delay);
}

function connect() {
  clearTimeout(link.reconnectTimer);
  link.reconnectTimer = null;
  if (!link.token || link.socket) return;
  let socket;
  try {
    socket = new WebSocket(socketUrl());
  } catch {
    scheduleReconnect();
    return;
  }
  link.socket = socket;
  const token = link.token;
  clearTimeout(link.bannerTimer);
  link.bannerTimer = setTimeout(() => setDown(true), BANNER_DELAY_MS);
  socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token }));
  socket.onmessage = (message) => {
    if (link.socket === socket) onFrame(message.data);
  };
  socket.onclose = (closed) => {
    if (link.socket !== socket) return;
    link.socket = null;
    clearTimeout(link.ackTimer);
    link.ackTimer = null;
    if (!link.token) return;
    if (closed.code === AUTH_FAILED) {
      // The token expired or was refused: the page re-checks the session.
      call("onAuthFailed", { reason: closed.reason });
      return;
    }
    setDown(true);
    scheduleReconnect();
  };
}

function disconnect() {
  clearTimeout(link.reconnectTimer);
  clearTimeout(link.bannerTimer);
  clearTimeout(link.ackTimer);
  link.ackTimer = null;
  const socket = link.socket;
  link.socket = null;
  if (socket) socket.close(1000, "signed out or left");
  setDown(false);
}

function adoptToken(token) {
  // A new person (or none) must never resume the previous person's stream.
  if (token !== link.token) {
    disconnect();
    link.token = token || "";
    link.lastEventId = null;
    link.ackedId = 0;
    link.attempt = 0;
    link.typingTimers.forEach((timer) => clearTimeout(timer));
    link.typingTimers.clear();
  }
}

// The composer marks itself with data-typing-chat; keystrokes there send a
// throttled "typing" straight to the socket.
function onInput(event) {
  const target = event.target;
  if (!target || !target.getAttribute) return;
  const chatId = Number(target.getAttribute("data-typing-chat"));
  if (!chatId || !target.value) return;
  const now = Date.now();
  if (now - (link.typingSentAt.get(chatId) || 0) < TYPING_SEND_EVERY_MS) return;
  link.typingSentAt.set(chatId, now);
  send({ type: "typing", chat_id: chatId });
}

function onVisibility() {
  call("onVisibility", { visible: document.visibilityState === "visible" });
}

function onOnline() {
  // The network came back: try now rather than at the end of a long backoff.
  if (!link.socket && link.token) {
    link.attempt = 0;
    connect();
  }
}

function subscribe(listener) {
  link.listeners.add(listener);
  return () => link.listeners.delete(listener);
}

export function RealtimeSocket({
  token,
  onEvent,
  onResync,
  onTypingStopped,
  onVisibility: onVisibilityChange,
  onAuthFailed,
  label = "Connecting…",
}) {
  link.handlers = { onEvent, onResync, onTypingStopped, onVisibility: onVisibilityChange, onAuthFailed };

  useEffect(() => {
    link.mounted += 1;
    clearTimeout(link.closeTimer);
    if (link.mounted === 1) {
      document.addEventListener("input", onInput, true);
      document.addEventListener("visibilitychange", onVisibility);
      window.addEventListener("online", onOnline);
    }
    onVisibility();
    return () => {
      link.mounted -= 1;
      if (link.mounted === 0) {
        document.removeEventListener("input", onInput, true);
        document.removeEventListener("visibilitychange", onVisibility);
        window.removeEventListener("online", onOnline);
        link.closeTimer = setTimeout(() => {
          if (link.mounted === 0) adoptToken("");
        }, UNMOUNT_GRACE_MS);
      }
    };
  }, []);

  useEffect(() => {
    adoptToken(token);
    connect();
  }, [token]);

  const down = useSyncExternalStore(subscribe, () => link.down, () => false);
  useBannerRoom("realtime", down && Boolean(token));
  if (!down || !token) return null;
  return (
    <div className="wa-realtime-banner" role="status" aria-live="polite">
      <span className="wa-realtime-spinner" aria-hidden="true" />
      {label}
    </div>
  );
}
