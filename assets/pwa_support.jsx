// The installed app's side of the page: it registers the service worker
// (assets/service_worker.js), empties its caches when someone signs out, and
// shows "Offline — reconnecting…" while the browser has no network or the
// page cannot reach its backend.
//
// Mounted once around every page (an app wrap), so the sign-in screen opened
// offline says why nothing answers. The realtime link's own "Connecting…"
// notice (realtime_socket.jsx) steps aside while this one shows (theme.css),
// so a cut network shows one notice, not two.
import React, { useEffect, useRef, useState, useSyncExternalStore } from "react";

const WORKER_URL = "/service_worker.js";
const CACHE_PREFIX = "chat-shell-"; // the worker's, see service_worker.js
const BANNER_DELAY_MS = 1500; // a backend reconnect that succeeds at once shows nothing

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

export function PwaSupport({ token = "", backendDown = false, label = "Offline — reconnecting…", children }) {
  useEffect(registerWorker, []);

  // Signing out (here or in another tab, which empties the shared token) clears the caches.
  const previousToken = useRef(token);
  useEffect(() => {
    if (previousToken.current && !token) clearCachedShell();
    previousToken.current = token;
  }, [token]);

  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
  const [unreachable, setUnreachable] = useState(false);
  useEffect(() => {
    if (!backendDown) {
      setUnreachable(false);
      return undefined;
    }
    const timer = setTimeout(() => setUnreachable(true), BANNER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [backendDown]);

  return (
    <>
      {(!online || unreachable) && (
        <div className="wa-offline-banner" role="status" aria-live="polite">
          <span className="wa-realtime-spinner" aria-hidden="true" />
          {label}
        </div>
      )}
      {children}
      <LoadingScreen />
    </>
  );
}
