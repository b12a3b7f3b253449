// The installed app's side of the page: it registers the service worker
// (assets/service_worker.js), empties its caches when someone signs out, and
// shows one connection notice: "Offline — reconnecting…" while the browser has
// no network, "Connecting…" while it has but the app cannot work: Reflex's own
// socket (/_event) is not connected, or the server said Redis or the database
// is out of reach (chat_app/state/outage.py calls chatAppUnavailable()).
//
// Mounted once around every page (an app wrap), so the sign-in screen opened
// offline says why nothing answers. The realtime link's own "Connecting…"
// notice (realtime_socket.jsx) steps aside while this one shows (theme.css),
// so a cut network shows one notice, not two.
import React, { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Socket } from "socket.io-client";
import env from "$/env.json";
import { getBackendURL } from "$/utils/state";
import { useBannerRoom } from "$/public/banner_room.js";

const WORKER_URL = "/service_worker.js";
const CACHE_PREFIX = "chat-shell-"; // the worker's, see service_worker.js
const BANNER_DELAY_MS = 1500; // a backend reconnect that succeeds at once shows nothing
const HEALTH_EVERY_MS = 2000; // while the server says it cannot work, ask /_health this often
const HEALTH_TIMEOUT_MS = 3000;

// Only a production build registers the worker. The development server serves
// modules that change on every save (Vite's hot reload); a worker caching them
// would show stale code, so there any worker an earlier build left is removed.
// import.meta.env.PROD is replaced by Vite at build time: true in `reflex run
// --env prod` and `reflex export`, false under `reflex run`.
function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  if (import.meta.env.PROD) {
    navigator.serviceWorker
      .register(WORKER_URL, { scope: "/" })
      .catch((error) => console.warn("service worker not registered:", error));
  } else {
    navigator.serviceWorker
      .getRegistrations()
      .then((registrations) => registrations.forEach((registration) => registration.unregister()));
  }
}

async function clearCachedShell() {
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "sign-out" });
  }
  if (!("caches" in window)) return;
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX)).map((name) => caches.delete(name)));
}

// The app's connection: Reflex's socket.io socket on /_event, and whether the
// server can work (Redis and the database in reach). Reflex keeps its socket
// to itself, so it is found where socket.io connects it: every socket.io
// socket passes through Socket.prototype.connect, and Reflex's is the one on
// the /_event path.
const app = {
  socket: null,
  connected: true, // until a socket is seen, Reflex's own connect errors speak
  unavailable: false,
  healthTimer: 0,
  listeners: new Set(),
};

function changed() {
  app.listeners.forEach((listener) => listener());
}

function setConnected(value) {
  if (app.connected === value) return;
  app.connected = value;
  changed();
}

function adopt(socket) {
  if (app.socket === socket) return;
  app.socket = socket;
  socket.on("connect", () => setConnected(true));
  socket.on("disconnect", () => setConnected(false));
  socket.on("connect_error", () => setConnected(false));
  setConnected(socket.connected);
}

const socketConnect = Socket.prototype.connect;
Socket.prototype.connect = function connect(...args) {
  const path = (this.io && this.io.opts && this.io.opts.path) || "";
  if (path.replace(/\/+$/, "").endsWith("/_event")) adopt(this);
  return socketConnect.apply(this, args);
};

// The network is back. A connection try begun while offline may wait on a
// websocket that never answers until socket.io's connect timeout (20 s), and
// Reflex starts no other meanwhile: drop that try and start a fresh one now.
function nudgeSocket() {
  const socket = app.socket;
  if (!socket || socket.connected) return;
  socket.disconnect();
  socket.wait_connect = false; // Reflex's mark of a try in progress
  if (typeof socket.reconnect === "function") socket.reconnect();
  else socketConnect.call(socket);
}

// While the server says it cannot work, ask /_health (each check bounded in
// time there) until it says it can; then the composer's outbox sends what waited.
async function checkHealth() {
  app.healthTimer = 0;
  let healthy = false;
  try {
    const answer = await fetch(getBackendURL(env.HEALTH), {
      cache: "no-store",
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    healthy = answer.ok;
  } catch {
    healthy = false;
  }
  if (healthy) {
    app.unavailable = false;
    changed();
    window.dispatchEvent(new Event("chat-app-available"));
  } else {
    app.healthTimer = window.setTimeout(checkHealth, HEALTH_EVERY_MS);
  }
}

if (typeof window !== "undefined") {
  window.chatAppUnavailable = () => {
    if (!app.unavailable) {
      app.unavailable = true;
      changed();
    }
    if (!app.healthTimer) app.healthTimer = window.setTimeout(checkHealth, HEALTH_EVERY_MS);
  };
  window.addEventListener("online", nudgeSocket);
}

function subscribeApp(listener) {
  app.listeners.add(listener);
  return () => app.listeners.delete(listener);
}

function subscribeOnline(listener) {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

// The loading screen a phone shows while the code of a page is still on its
// way: the HTML of a signed-in page or a chat link (/chat/7) has nothing of its
// own to show before then. Rendered after the page, always the same markup (so
// it hydrates as it was exported); every page marks its root with "wa-page",
// and theme.css hides this screen as soon as such a root comes before it.
function LoadingScreen() {
  return (
    <div className="wa-splash" role="status">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M2.992 16.342a2 2 0 0 1 .094 1.167l-1.065 3.29a1 1 0 0 0 1.236 1.168l3.413-.998a2 2 0 0 1 1.099.092 10 10 0 1 0-4.777-4.719" />
      </svg>
      <p className="wa-splash-name">Chat</p>
      <p className="wa-splash-note">Loading your chats…</p>
      <div className="wa-splash-bar" aria-hidden="true" />
    </div>
  );
}

export function PwaSupport({
  token = "",
  backendDown = false,
  label = "Offline — reconnecting…",
  connectingLabel = "Connecting…",
  children,
}) {
  useEffect(registerWorker, []);

  // Signing out (here or in another tab, which empties the shared token) clears the caches.
  const previousToken = useRef(token);
  useEffect(() => {
    if (previousToken.current && !token) clearCachedShell();
    previousToken.current = token;
  }, [token]);

  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
  const connected = useSyncExternalStore(subscribeApp, () => app.connected, () => true);
  const unavailable = useSyncExternalStore(subscribeApp, () => app.unavailable, () => false);
  const down = backendDown || !connected || unavailable;
  const [unreachable, setUnreachable] = useState(false);
  useEffect(() => {
    if (!down) {
      setUnreachable(false);
      return undefined;
    }
    const timer = setTimeout(() => setUnreachable(true), BANNER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [down]);

  const showBanner = !online || unreachable;
  useBannerRoom("offline", showBanner);

  return (
    <>
      {showBanner && (
        <div className="wa-offline-banner" role="status" aria-live="polite">
          <span className="wa-realtime-spinner" aria-hidden="true" />
          {online ? connectingLabel : label}
        </div>
      )}
      {children}
      <LoadingScreen />
    </>
  );
}
