// Keeps each chat's draft, WhatsApp-style: what is typed in a chat's composer is
// saved for that chat (`onKeep({chat_id, body})`, the server stores it per person
// and chat) when typing pauses, at least every few seconds while it goes on, and
// at once when the composer loses focus, the chat changes, the page hides or the
// conversation closes. So a keystroke costs no event, and switching chats never
// loses what was typed.
//
// The chat typed in is the one in the address (it changes the moment a chat is
// tapped; the page's state follows a moment later). On that change the
// composer at once shows what this tab last knew of the new chat's draft, so
// keys typed while the chat loads land in the right chat, on top of the right
// text. The stored draft then arrives as state (`draft`, with `draftKey` new on
// each load of a chat): it fills the composer unless the person has typed in
// that chat since it opened, whose text stays (with the stored draft in place of
// what the tab showed, where the two differ). Text typed before the stored draft
// arrived is saved with what the tab showed then (`typed_over`), so the server
// makes the same swap when the person leaves before it arrives. Text a person
// wrote reaches the page only as a prop, never as a script.
import { useEffect, useRef } from "react";
import { useLocation } from "react-router";
import { chatInAddress } from "$/public/chat_in_address.js";

const QUIET_MS = 600; // save once typing pauses this long
const AT_MOST_MS = 4000; // and at least this often while it goes on

const fitHeight = (box) => {
  box.style.height = "auto";
  box.style.height = box.scrollHeight + "px";
};

// What this tab last knew of each chat's draft (typed here, or loaded).
const known = new Map();

export function ComposerDraft({ composerId, chatId, draft, draftKey, onKeep }) {
  const { pathname } = useLocation();
  const chat = useRef(chatId);
  chat.current = chatId;
  const inAddress = useRef(-1); // the chat in the address last seen (-1: none yet)
  const keep = useRef(onKeep);
  keep.current = onKeep;
  const unsaved = useRef(null); // {chat_id, body} typed and not yet saved
  const quiet = useRef(0);
  const atMost = useRef(0);
  const shown = useRef(null); // {key, chat} of the draft last put in the composer
  const typedIn = useRef(0); // the chat typed in since it was opened (its text stays)
  // The chat opened and the text the tab put in its composer then, until the
  // chat's stored draft arrives and settles it.
  const opened = useRef(null);

  const save = () => {
    window.clearTimeout(quiet.current);
    window.clearTimeout(atMost.current);
    quiet.current = atMost.current = 0;
    if (unsaved.current) {
      keep.current(unsaved.current);
      unsaved.current = null;
    }
  };

  useEffect(() => {
    const onInput = (event) => {
      const box = event.target;
      if (!box || box.id !== composerId) return;
      const chatId = chatInAddress() || chat.current;
      if (!chatId) return;
      typedIn.current = chatId;
      known.set(chatId, box.value);
      unsaved.current = { chat_id: chatId, body: box.value };
      // The chat's stored draft has not arrived yet: the server puts it in place
      // of what the tab showed, should the person leave before it arrives.
      const first = opened.current;
      if (first && first.chat === chatId) unsaved.current.typed_over = first.text;
      window.clearTimeout(quiet.current);
      quiet.current = window.setTimeout(save, QUIET_MS);
      if (!atMost.current) atMost.current = window.setTimeout(save, AT_MOST_MS);
    };
    const onFocusOut = (event) => {
      if (event.target && event.target.id === composerId) save();
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") save();
    };
    document.addEventListener("input", onInput, true);
    document.addEventListener("focusout", onFocusOut, true);
    document.addEventListener("visibilitychange", onVisibility);
    // Before the page's own handler closes the socket on the way out.
    window.addEventListener("pagehide", save, true);
    return () => {
      document.removeEventListener("input", onInput, true);
      document.removeEventListener("focusout", onFocusOut, true);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", save, true);
      save();
    };
  }, [composerId]);

  // A chat opened (or another tapped): the last one's text is saved, and the
  // new one's, as far as this tab knows it, shown at once.
  useEffect(() => {
    const now = chatInAddress();
    if (now === inAddress.current) return;
    inAddress.current = now;
    save();
    typedIn.current = 0;
    opened.current = now ? { chat: now, text: known.get(now) || "" } : null;
    const box = document.getElementById(composerId);
    if (!box || !now) return;
    box.value = opened.current.text;
    fitHeight(box);
  }, [pathname, composerId]);

  useEffect(() => {
    if (!draftKey) return;
    const last = shown.current;
    if (last && last.key === draftKey) return;
    save();
    shown.current = { key: draftKey, chat: chatId };
    const stored = draft || "";
    const box = document.getElementById(composerId);
    const onScreen = chatInAddress();
    if (onScreen && onScreen !== chatId) {
      // Loaded for a chat already left (another was tapped meanwhile).
      known.set(chatId, stored);
      return;
    }
    if (!box) return;
    const first = opened.current && opened.current.chat === chatId ? opened.current : null;
    opened.current = null;
    if (typedIn.current !== chatId) {
      box.value = stored;
    } else if (first && stored !== first.text && box.value.startsWith(first.text)) {
      // Typed before the stored draft arrived, on top of what the tab knew:
      // the stored draft takes that place, what was typed stays after it.
      box.value = stored + box.value.slice(first.text.length);
      unsaved.current = { chat_id: chatId, body: box.value };
    } // else typed in this chat since it opened: that text stays.
    known.set(chatId, box.value);
    fitHeight(box);
  }, [draftKey, chatId, draft, composerId]);

  return null;
}
