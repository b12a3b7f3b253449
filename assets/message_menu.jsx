// The menu of every message of the open chat, WhatsApp-style: a message's
// chevron (shown on hover with a mouse), a right click on its bubble, or a long
// press on a touch screen opens it for that message (one menu for them all:
// anchored_menu.jsx says why). What it offers comes from the message's element
// (`data-message-id`, `data-mine`, `data-can-edit`, `data-deleted`); the actions
// go to the server with the message's id, which checks each one. "Copy" reads
// the text from the bubble on screen, so it never travels back from the server.
import React, { useRef } from "react";
import { DropdownMenu } from "@radix-ui/themes";
import { AnchoredMenu, atPointer, useDocumentListeners, useMenuTarget } from "$/public/anchored_menu.jsx";

const LONG_PRESS_MS = 500;
const MOVE_TOLERANCE_PX = 10; // a finger that moves more is scrolling

function messageOf(element) {
  const item = element instanceof Element ? element.closest("[data-message-id]") : null;
  if (!item || item.dataset.deleted === "true") return null;
  return {
    id: Number(item.dataset.messageId),
    element: item,
    mine: item.dataset.mine === "true",
    canEdit: item.dataset.canEdit === "true",
  };
}

const bubbleMessage = (event) => {
  const bubble = event.target instanceof Element && event.target.closest(".wa-bubble");
  return bubble ? messageOf(bubble) : null;
};

function copyText(message) {
  const body = message.element.querySelector(".wa-body");
  if (body && navigator.clipboard) navigator.clipboard.writeText(body.textContent).catch(() => {});
}

export function MessageMenu({ reactions = [], participant, isGroup, onReact, onReply, onEdit, onInfo, onDelete }) {
  const [target, open, close] = useMenuTarget();
  const press = useRef({ timer: 0, x: 0, y: 0 });
  const cancelPress = () => {
    window.clearTimeout(press.current.timer);
    press.current.timer = 0;
  };

  useDocumentListeners(
    {
      click: (event) => {
        const chevron = event.target instanceof Element && event.target.closest(".wa-bubble-menu");
        const message = chevron && messageOf(chevron);
        if (message) open(message, chevron.getBoundingClientRect(), chevron);
      },
      contextmenu: (event) => {
        const message = bubbleMessage(event);
        if (!message) return;
        event.preventDefault();
        cancelPress();
        open(message, atPointer(event));
      },
      // Phones that send no contextmenu on a long press (iOS): the press itself.
      pointerdown: (event) => {
        cancelPress();
        const message = event.pointerType === "touch" ? bubbleMessage(event) : null;
        if (!message) return;
        const point = atPointer(event);
        press.current = {
          x: event.clientX,
          y: event.clientY,
          timer: window.setTimeout(() => open(message, point), LONG_PRESS_MS),
        };
      },
      pointermove: (event) => {
        const { timer, x, y } = press.current;
        if (timer && Math.hypot(event.clientX - x, event.clientY - y) > MOVE_TOLERANCE_PX) cancelPress();
      },
      pointerup: cancelPress,
      pointercancel: cancelPress,
    },
    cancelPress,
  );

  return (
    <AnchoredMenu target={target} onClose={close}>
      {(message) => {
        const act = (handler, ...args) => () => handler && handler(message.id, ...args);
        return (
          <>
            {participant && (
              <>
                <DropdownMenu.Sub>
                  <DropdownMenu.SubTrigger>React</DropdownMenu.SubTrigger>
                  <DropdownMenu.SubContent>
                    {reactions.map((emoji) => (
                      <DropdownMenu.Item
                        key={emoji}
                        aria-label={`React ${emoji}`}
                        style={{ fontSize: "20px" }}
                        onSelect={act(onReact, emoji)}
                      >
                        {emoji}
                      </DropdownMenu.Item>
                    ))}
                  </DropdownMenu.SubContent>
                </DropdownMenu.Sub>
                <DropdownMenu.Separator />
                <DropdownMenu.Item onSelect={act(onReply)}>Reply</DropdownMenu.Item>
              </>
            )}
            <DropdownMenu.Item onSelect={() => copyText(message)}>Copy</DropdownMenu.Item>
            {participant && message.canEdit && <DropdownMenu.Item onSelect={act(onEdit)}>Edit</DropdownMenu.Item>}
            {participant && message.mine && isGroup && (
              <DropdownMenu.Item onSelect={act(onInfo)}>Message info</DropdownMenu.Item>
            )}
            {participant && message.mine && (
              <DropdownMenu.Item color="red" onSelect={act(onDelete)}>
                Delete for everyone
              </DropdownMenu.Item>
            )}
          </>
        );
      }}
    </AnchoredMenu>
  );
}
