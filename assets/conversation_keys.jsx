// Keyboard shortcuts of an open conversation, as on WhatsApp Web:
// - Esc on the one-pane (phone) layout goes back to the chat list, the way the
//   header's back arrow does. An Esc that closed a dialog, menu or popover is
//   left alone: dialog_escape.jsx takes an Esc meant for a dialog at the window
//   before anything else, and Radix marks the Esc it used for a menu or popover
//   with preventDefault in the capture phase, before this bubble-phase listener.
// - Up arrow in the empty composer starts editing my last message.
// It also keeps focus inside an open message dialog (edit, message info). One
// opened from a message's menu appears while that menu is still closing, and
// the menu then hands focus back to its button behind the dialog.
import { useEffect, useRef } from "react";
import { popupOpen } from "./dialog_escape.jsx";

const ONE_PANE_QUERY = "(max-width: 767px)";

export function ConversationKeys({ composerId, backId, dialogIds, onEditLast }) {
  const editLast = useRef(onEditLast);
  editLast.current = onEditLast;
  const dialogs = useRef(dialogIds);
  dialogs.current = dialogIds;

  useEffect(() => {
    const onKeyDown = (event) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      // An open menu or popover (the emoji picker) closes on Esc; even when Radix
      // has not yet taken the key for it, that Esc must not also leave the chat.
      if (event.key === "Escape" && window.matchMedia(ONE_PANE_QUERY).matches && !popupOpen()) {
        const back = document.getElementById(backId);
        if (back) {
          event.preventDefault();
          back.click();
        }
      } else if (
        event.key === "ArrowUp" &&
        event.target.id === composerId &&
        event.target.value === "" &&
        editLast.current
      ) {
        event.preventDefault();
        editLast.current();
      }
    };
    const onFocusIn = (event) => {
      for (const id of dialogs.current || []) {
        const dialog = document.getElementById(id);
        const open = dialog && dialog.getAttribute("data-state") === "open";
        if (open && !dialog.contains(event.target)) {
          const first = dialog.querySelector("textarea, input, button");
          if (first) first.focus();
          return;
        }
      }
    };
    window.addEventListener("keydown", onKeyDown);
    document.addEventListener("focusin", onFocusIn);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("focusin", onFocusIn);
    };
  }, [composerId, backId]);

  return null;
}
