// Keeps each chat's draft, WhatsApp-style: what is typed in a chat's composer is
// saved for that chat (`onKeep({chat_id, body})`, the server stores it per person
// and chat) when typing pauses, at least every few seconds while it goes on, and
// at once when the composer loses focus, the chat changes, the page hides or the
// conversation closes. So a keystroke costs no event, and switching chats never
// loses what was typed.
//
// The draft of the chat being opened arrives as state (`draft`, with `draftKey`
// new on each load of a chat) and is put into the composer here: text a person
// wrote reaches the page only as a prop, never as a script. A load of the chat
// already on screen (a reload after a member change), or the first load of a
// page someone has already typed in, leaves what is being typed.
import { useEffect, useRef } from "react";

const QUIET_MS = 600; // save once typing pauses this long
const AT_MOST_MS = 4000; // and at least this often while it goes on

const fitHeight = (box) => {
  box.style.height = "auto";
  box.style.height = box.scrollHeight + "px";
};

export function ComposerDraft({ composerId, chatId, draft, draftKey, onKeep }) {
  const chat = useRef(chatId);
  chat.current = chatId;
  const keep = useRef(onKeep);
  keep.current = onKeep;
  const unsaved = useRef(null); // {chat_id, body} typed and not yet saved
  const quiet = useRef(0);
  const atMost = useRef(0);
  const shown = useRef(null); // {key, chat} of the draft last put in the composer
  const typed = useRef(false); // typed since then

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
      typed.current = true;
      // Typed before the chat finished loading: the chat in the address.
      const chatId = chat.current || Number((location.pathname.match(/\/chat\/(\d+)/) || [])[1]);
      if (!chatId) return;
      unsaved.current = { chat_id: chatId, body: box.value };
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

  useEffect(() => {
    if (!draftKey) return;
    const last = shown.current;
    if (last && last.key === draftKey) return;
    save();
    shown.current = { key: draftKey, chat: chatId };
    // Text typed in the chat on screen (or before the page's first chat loaded) stays.
    if (typed.current && (!last || !last.chat || last.chat === chatId)) return;
    typed.current = false;
    const box = document.getElementById(composerId);
    if (!box) return;
    box.value = draft || "";
    fitHeight(box);
  }, [draftKey, chatId, draft, composerId]);

  return null;
}
