// Telling a person about new messages while the tab is in the background: Web
// Notifications, the unread count on the favicon, and the one-time prompt that
// asks for permission.
//
// The server decides *what* may be shown (a message from someone else, in a chat
// neither muted nor archived, with the preview the chat list already shows that
// member) and hands it over as a "notice"; the browser decides *whether* to show
// it, because only the browser knows, at that instant, that the tab is hidden
// and that notifications are allowed. Permission is asked only from a click on
// the prompt: browsers ignore or penalise requests made on load.
import React, { useEffect, useSyncExternalStore } from "react";

const DISMISSED_KEY = "chat_notifications_prompt_dismissed";
const OFF_KEY = "chat_notifications_off"; // turned off in the profile, though allowed
const BADGE_SIZE = 64; // drawn at 64 px; browsers scale the tab icon down

const store = {
  permission: readPermission(),
  dismissed: readDismissed(),
  off: readFlag(OFF_KEY),
  listeners: new Set(),
};

// Message ids already handled, so a page change (which remounts the component
// with the same notice) or a re-render never shows one twice.
const handled = new Set();
const open = new Map(); // tag -> the notification on screen for that chat
let started = false;
let onOpen = null;

function readPermission() {
  if (typeof window === "undefined" || !("Notification" in window)) return "unsupported";
  return window.Notification.permission;
}

function readFlag(key) {
  try {
    return typeof window !== "undefined" && window.localStorage.getItem(key) === "1";
  } catch {
    return false; // storage refused (private mode): nothing is remembered
  }
}

function writeFlag(key, value) {
  try {
    if (value) window.localStorage.setItem(key, "1");
    else window.localStorage.removeItem(key);
  } catch {
    // nothing to remember it in: it holds for this page's life
  }
}

function readDismissed() {
  return typeof window === "undefined" || readFlag(DISMISSED_KEY);
}

function changed() {
  store.permission = readPermission();
  store.listeners.forEach((listener) => listener());
}

function subscribe(listener) {
  store.listeners.add(listener);
  return () => store.listeners.delete(listener);
}

function askPermission() {
  if (!("Notification" in window)) return;
  // Called straight from the click handler, inside the user gesture.
  const asked = window.Notification.requestPermission(changed);
  if (asked && typeof asked.then === "function") asked.then(changed, changed);
}

function dismissPrompt() {
  writeFlag(DISMISSED_KEY, true);
  store.dismissed = true;
  changed();
}

function setOff(off) {
  writeFlag(OFF_KEY, off);
  store.off = off;
  changed();
}

function isHidden() {
  return document.visibilityState !== "visible";
}

// Where notifications are shown: through the service worker whenever one
// controls the page (production builds). Chrome on Android allows no other way,
// and the worker hears the click even when this page is gone. Development
// builds register no worker (pwa_support.jsx), so they show them from the page.
async function workerRegistration() {
  if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) return null;
  try {
    return await navigator.serviceWorker.ready;
  } catch {
    return null;
  }
}

function closeShown() {
  // Back in the tab: what the notifications said is on screen now.
  if (isHidden()) return;
  open.forEach((notification) => notification.close());
  open.clear();
  workerRegistration().then((registration) => {
    if (!registration) return;
    registration.getNotifications().then((shown) =>
      shown.filter((notification) => notification.tag.startsWith("chat-")).forEach((n) => n.close()),
    );
  });
}

function openChat(chatId) {
  if (onOpen) onOpen({ chat_id: chatId });
}

// The worker's notificationclick (service_worker.js) names the chat to open.
function onWorkerMessage(event) {
  if (event.data && event.data.type === "open-chat") openChat(event.data.chat_id);
}

function showFromPage(notice, tag, options) {
  let notification;
  try {
    notification = new window.Notification(notice.title, options);
  } catch (error) {
    console.warn("notification not shown:", error);
    return;
  }
  open.set(tag, notification);
  notification.onclick = (event) => {
    if (event && event.preventDefault) event.preventDefault();
    window.focus();
    notification.close();
    open.delete(tag);
    openChat(notice.chat_id);
  };
  notification.onclose = () => {
    if (open.get(tag) === notification) open.delete(tag);
  };
}

async function show(notice) {
  const tag = `chat-${notice.chat_id}`;
  const options = {
    body: notice.body,
    tag, // one per chat: a newer message replaces the older one
    renotify: true,
    icon: plainIcon(),
    data: { chat_id: notice.chat_id },
  };
  const registration = await workerRegistration();
  if (!registration) {
    showFromPage(notice, tag, options);
    return;
  }
  try {
    await registration.showNotification(notice.title, options);
  } catch (error) {
    console.warn("notification not shown:", error);
  }
}

function offer(notice) {
  if (!notice || !notice.id || handled.has(notice.id)) return;
  handled.add(notice.id);
  if (!isHidden() || store.off || readPermission() !== "granted") return;
  show(notice);
}

function iconLinks() {
  return Array.from(document.querySelectorAll('link[rel~="icon"]'));
}

function plainIcon() {
  const link = iconLinks()[0];
  return link ? link.dataset.plainHref || link.getAttribute("href") : undefined;
}

function themeColour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

let badgeGeneration = 0;

function drawBadge(count) {
  const links = iconLinks();
  links.forEach((link) => {
    if (!link.dataset.plainHref) link.dataset.plainHref = link.getAttribute("href");
  });
  const generation = ++badgeGeneration;
  if (count <= 0 || links.length === 0) {
    links.forEach((link) => {
      link.setAttribute("href", link.dataset.plainHref);
      delete link.dataset.unread;
    });
    return;
  }
  const image = new Image();
  image.onload = () => {
    if (generation !== badgeGeneration) return; // a newer count got here first
    const canvas = document.createElement("canvas");
    canvas.width = BADGE_SIZE;
    canvas.height = BADGE_SIZE;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0, BADGE_SIZE, BADGE_SIZE);
    const radius = BADGE_SIZE * 0.3;
    const centre = BADGE_SIZE - radius;
    context.beginPath();
    context.arc(centre, radius, radius, 0, 2 * Math.PI);
    context.fillStyle = themeColour("--wa-danger");
    context.fill();
    context.fillStyle = themeColour("--wa-on-accent");
    context.font = `bold ${Math.round(radius * 1.3)}px sans-serif`;
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(count > 9 ? "9+" : String(count), centre, radius + 1);
    const badged = canvas.toDataURL("image/png");
    links.forEach((link) => {
      link.setAttribute("href", badged);
      link.dataset.unread = String(count);
    });
  };
  image.src = links[0].dataset.plainHref;
}

// Invisible: keeps the favicon badge in step with the unread count and shows a
// notification for each notice that arrives while the tab is hidden.
export function ChatNotifier({ unread = 0, notice = null, onOpen: openChat }) {
  onOpen = openChat;

  useEffect(() => {
    if (!started) {
      // Whatever notice the state holds when the page first loads is old news.
      started = true;
      if (notice && notice.id) handled.add(notice.id);
    }
    document.addEventListener("visibilitychange", closeShown);
    const worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;
    if (worker) worker.addEventListener("message", onWorkerMessage);
    return () => {
      document.removeEventListener("visibilitychange", closeShown);
      if (worker) worker.removeEventListener("message", onWorkerMessage);
    };
  }, []);

  useEffect(() => {
    offer(notice);
  }, [notice && notice.id]);

  useEffect(() => {
    drawBadge(unread);
  }, [unread]);

  useEffect(() => () => drawBadge(0), []);

  return null;
}

// Shows its children (the prompt's look, built in Python) only while the
// browser has not been asked yet and the person has not dismissed it. Clicks on
// an element marked data-notifications="enable" ask for permission there and
// then, inside the gesture; data-notifications="dismiss" hides it for good.
export function NotificationPrompt({ children }) {
  const permission = useSyncExternalStore(subscribe, () => store.permission, () => "unsupported");
  const dismissed = useSyncExternalStore(subscribe, () => store.dismissed, () => true);
  if (permission !== "default" || dismissed) return null;
  const onClick = (event) => {
    const target = event.target.closest("[data-notifications]");
    if (!target) return;
    const action = target.getAttribute("data-notifications");
    if (action === "enable") askPermission();
    else if (action === "dismiss") dismissPrompt();
  };
  // display: contents keeps the wrapper out of the layout; clicks still bubble to it.
  return (
    <div style={{ display: "contents" }} onClick={onClick}>
      {children}
    </div>
  );
}

const SETTING_NOTES = {
  unsupported: "This browser cannot show notifications.",
  denied: "Blocked for this site: allow notifications in the browser's site settings.",
  default: "Off. Turning them on asks the browser for permission.",
};

// The switch in the profile: turns notifications on (asking the browser the first
// time, inside the click) or off for this browser without revoking the permission.
export function NotificationSetting() {
  const permission = useSyncExternalStore(subscribe, () => store.permission, () => "unsupported");
  const off = useSyncExternalStore(subscribe, () => store.off, () => false);
  const on = permission === "granted" && !off;
  const blocked = permission === "unsupported" || permission === "denied";
  const onChange = (event) => {
    if (permission === "default") {
      setOff(false);
      askPermission();
    } else if (permission === "granted") {
      setOff(!event.target.checked);
    }
  };
  const note =
    SETTING_NOTES[permission] ||
    (on ? "Shown while this tab is in the background." : "Off for this browser.");
  return (
    <label
      style={{
        display: "flex",
        alignItems: "center",
        gap: "var(--wa-space-3)",
        minHeight: "44px",
        cursor: blocked ? "default" : "pointer",
        color: "var(--wa-text)",
      }}
    >
      <input
        type="checkbox"
        role="switch"
        checked={on}
        disabled={blocked}
        onChange={onChange}
        aria-describedby="notification-setting-note"
        style={{ width: "20px", height: "20px", accentColor: "var(--wa-accent-strong)" }}
      />
      <span style={{ display: "flex", flexDirection: "column" }}>
        <span>Message notifications</span>
        <span
          id="notification-setting-note"
          style={{ fontSize: "14px", color: "var(--wa-text-secondary)" }}
        >
          {note}
        </span>
      </span>
    </label>
  );
}
