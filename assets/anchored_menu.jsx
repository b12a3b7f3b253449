// One Radix menu for many things of a kind on the page (every message of a chat,
// every row of the chat list), opened for one of them at a time, beside the
// button that opened it or where the pointer is.
//
// Instead of a menu root mounted in each of them: each root is a dozen React
// components, and once mounted it rendered what it wraps a second time, so a
// long chat or a long list paid for its menus on every load. `useMenuTarget`
// keeps which thing the menu is for; `AnchoredMenu` places the menu there, with
// the items `children(target)` gives for it, and, once it closes, puts focus
// back on the button that opened it.
import React, { useEffect, useState } from "react";
import { DropdownMenu } from "@radix-ui/themes";

const NOWHERE = { left: 0, top: 0, width: 0, height: 0 };

// A pointer's position, for a menu opened by a right click or a long press.
export const atPointer = (event) => ({ left: event.clientX, top: event.clientY, width: 0, height: 0 });

// [target, open(thing, rect, button?), close]: the thing (its element under
// `element`) is dropped once that element leaves the page.
export function useMenuTarget() {
  const [target, setTarget] = useState(null);
  const open = (thing, rect, button = null) =>
    setTarget({ ...thing, at: { left: rect.left, top: rect.top, width: rect.width, height: rect.height }, button });
  const shown = target && target.element.isConnected ? target : null;
  return [shown, open, () => setTarget(null)];
}

export function AnchoredMenu({ target, onClose, children }) {
  const button = target && target.button;
  useEffect(() => {
    if (!button) return undefined;
    button.setAttribute("aria-expanded", "true");
    return () => button.setAttribute("aria-expanded", "false");
  }, [button]);

  return (
    <DropdownMenu.Root open={Boolean(target)} onOpenChange={(open) => open || onClose()}>
      <DropdownMenu.Trigger>
        <span aria-hidden="true" style={{ position: "fixed", pointerEvents: "none", ...(target ? target.at : NOWHERE) }} />
      </DropdownMenu.Trigger>
      {target && (
        <DropdownMenu.Content
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            if (button && button.isConnected) button.focus();
          }}
        >
          {children(target)}
        </DropdownMenu.Content>
      )}
    </DropdownMenu.Root>
  );
}

// Document listeners for as long as a component is mounted.
export function useDocumentListeners(listeners, onRemove) {
  useEffect(() => {
    Object.entries(listeners).forEach(([type, listener]) => document.addEventListener(type, listener));
    return () => {
      if (onRemove) onRemove();
      Object.entries(listeners).forEach(([type, listener]) => document.removeEventListener(type, listener));
    };
  }, []);
}
