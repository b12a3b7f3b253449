// Esc closes the dialog in front, every time.
//
// Radix hands an Esc to the layer it registered last. A dialog opened from a
// menu that is still closing (a message's menu, the account menu) can end up
// registered behind that menu, and the Esc then went to the closing menu and
// the dialog stayed open. So while a dialog is open, an Esc is taken here, at
// the window (before Radix's listeners on the document see it), and it presses
// the dialog's own close control, marked data-closes-dialog: the same path as
// a click on it. An open menu or popover keeps the key: it closes first.
import { useEffect } from "react";

const OPEN_DIALOGS = '[role="dialog"][data-state="open"], [role="alertdialog"][data-state="open"]';
const OPEN_POPUPS = '[role="menu"][data-state="open"], [data-radix-popper-content-wrapper] [data-state="open"]';

// A menu or popover is open: an Esc is its to take, whatever else listens.
export function popupOpen() {
  return document.querySelector(OPEN_POPUPS) !== null;
}

function onKeyDown(event) {
  if (event.key !== "Escape" || event.isComposing || popupOpen()) return;
  const dialogs = document.querySelectorAll(OPEN_DIALOGS);
  const front = dialogs[dialogs.length - 1]; // portals stack in the order they opened
  const close = front && front.querySelector("[data-closes-dialog]");
  if (!close) return;
  event.preventDefault();
  event.stopPropagation();
  close.click();
}

export function DialogEscape() {
  useEffect(() => {
    window.addEventListener("keydown", onKeyDown, true);
    return () => window.removeEventListener("keydown", onKeyDown, true);
  }, []);
  return null;
}
