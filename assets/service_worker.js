// The installed app opens without a network: this worker keeps the built page
// shell (the prerendered HTML pages, the hashed /assets/* modules and styles they
// load, the stylesheet, manifest and icons) in one cache per build.
//
// What it never stores: anything that belongs to the signed-in person. Reflex's
// websocket and uploads, the health and ping probes, the realtime socket and
// the signed file and avatar links go straight to the network, untouched, so
// another person signing in on the same device can read nothing of them here.
//
// A build is named by its React Router manifest (/assets/manifest-<hash>.js),
// whose hash changes whenever any module does. Pages are fetched network-first,
// so every online visit sees the current HTML; when it names another build,
// that build is cached in full and the old cache deleted.
//
// Served from the site root (/service_worker.js) so its scope is the whole app;
// the Caddyfile serves it "no-cache", so the browser checks it on every visit.

const CACHE_PREFIX = "chat-shell-";
const BUILD_KEY = "/__build__"; // written last: a cache without it is incomplete
const PAGES = ["/", "/signin", "/signup", "/404.html"];
const FALLBACK_PAGE = "/404.html"; // the single-page shell for routes like /chat/7
const STATIC_FILES = [
  "/theme.css",
  "/manifest.json",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon-maskable-192.png",
  "/icons/icon-maskable-512.png",
  "/icons/apple-touch-icon.png",
];
// Private or live: never answered from, nor written to, any cache.
// Responses here carry Vary (Accept-Encoding, and Origin for module scripts,
// which the page requests in CORS mode and the worker did not); the files are
// the same whatever those headers were, so lookups ignore Vary.
const MATCH = { ignoreVary: true };
const NEVER_CACHED = [/^\/_event/, /^\/_upload/, /^\/_health/, /^\/ping/, /^\/realtime/, /^\/files\//, /^\/avatars\//];
const BUILD_MANIFEST = /\/assets\/manifest-[\w-]+\.js/;
const ASSET_URL = /\/assets\/[\w.@~-]+\.(?:js|css|woff2?|ttf|svg|png|webp)/g;

let caching = null; // the build being cached, so concurrent visits share one run

function pagePath(pathname) {
  return pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
}

async function shellCaches() {
  return (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX));
}

async function cachedBuild() {
  for (const name of (await shellCaches()).reverse()) {
    const marker = await (await caches.open(name)).match(BUILD_KEY);
    if (marker) return { name, build: await marker.text() };
  }
  return null;
}

// A page as a plain response. A server may answer /signin with a redirect to
// /signin/, and the browser refuses a redirected response as the answer to a
// navigation, so the copy keeps only the body and headers.
async function pageCopy(path) {
  const response = await fetch(new Request(path, { cache: "no-cache" }));
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  const { status, statusText, headers } = response;
  return new Response(await response.blob(), { status, statusText, headers });
}

async function cacheBuild(build, shellHtml) {
  const name = CACHE_PREFIX + build.replace(/^.*manifest-|\.js$/g, "");
  const cache = await caches.open(name);
  const routes = await (await fetch(build)).text();
  const assets = new Set([build, ...(shellHtml.match(ASSET_URL) || []), ...(routes.match(ASSET_URL) || [])]);
  // Revalidate the pages: the HTTP cache may hold a shell of the old build.
  await cache.addAll([...STATIC_FILES.map((file) => new Request(file, { cache: "no-cache" })), ...assets]);
  for (const path of PAGES) await cache.put(path, await pageCopy(path));
  await cache.put(BUILD_KEY, new Response(build));
  for (const old of await shellCaches()) {
    if (old !== name) await caches.delete(old);
  }
}

// Cache the build a shell names, unless it is the one cached already.
function refreshFor(shellHtml) {
  const build = (shellHtml.match(BUILD_MANIFEST) || [])[0];
  if (!build) return Promise.resolve();
  if (caching && caching.build === build) return caching.done;
  const done = cachedBuild()
    .then((current) => (current && current.build === build ? null : cacheBuild(build, shellHtml)))
    .catch((error) => console.warn("offline shell not cached:", error))
    .finally(() => {
      if (caching && caching.done === done) caching = null;
    });
  caching = { build, done };
  return done;
}

async function currentBuildFromNetwork() {
  const response = await fetch(new Request("/", { cache: "no-cache" }));
  if (response.ok) await refreshFor(await response.text());
}

async function page(event) {
  const path = pagePath(new URL(event.request.url).pathname);
  try {
    const response = await fetch(event.request);
    if (response.ok && (response.headers.get("content-type") || "").includes("text/html")) {
      event.waitUntil(response.clone().text().then(refreshFor));
    }
    return response;
  } catch (offline) {
    const cached =
      (PAGES.includes(path) && (await caches.match(path, MATCH))) ||
      (await caches.match(FALLBACK_PAGE, MATCH));
    if (cached) return cached;
    throw offline;
  }
}

async function hashedAsset(request) {
  const cached = await caches.match(request, MATCH);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    // Only into the cache of the current build: a module of an older page
    // would otherwise outlive the deploy that removed it.
    const current = await cachedBuild();
    if (current) await (await caches.open(current.name)).put(request, response.clone());
  }
  return response;
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cached = await caches.match(request, { ...MATCH, ignoreSearch: true });
    if (cached) return cached;
    throw offline;
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(currentBuildFromNetwork().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER_CACHED.some((pattern) => pattern.test(url.pathname))) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(hashedAsset(request));
  } else if (STATIC_FILES.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});

// The page asks for this when someone signs out: drop every cached file, and
// every message notification still on screen (they quote messages), so the next
// person on this device starts from what the network gives them.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "sign-out") {
    caching = null;
    event.waitUntil(
      Promise.all([
        shellCaches().then((names) => Promise.all(names.map((name) => caches.delete(name)))),
        self.registration.getNotifications().then((shown) => shown.forEach((n) => n.close())),
      ]).then(() => event.source && event.source.postMessage({ type: "caches-cleared" })),
    );
  }
});

// A click on a message notification (chat_notifications.jsx shows them through
// this worker) brings the app forward on that chat: an open window is focused
// and told which chat to open; with none open, a new one opens on it.
self.addEventListener("notificationclick", (event) => {
  const chatId = event.notification.data && event.notification.data.chat_id;
  event.notification.close();
  if (!chatId) return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const target = windows.find((client) => client.focused) || windows[0];
      if (!target) {
        await self.clients.openWindow(`/chat/${chatId}`);
        return;
      }
      // Allowed only while the click is fresh; the chat opens either way.
      await target.focus().catch(() => undefined);
      target.postMessage({ type: "open-chat", chat_id: chatId });
    })(),
  );
});
