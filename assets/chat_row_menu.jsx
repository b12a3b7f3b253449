// The options of every row of the chat list (pin, mute, archive), opened from a
// row's chevron for that chat (one menu for them all: anchored_menu.jsx says
// why). What it offers comes from the row's element (`data-chat-id`,
// `data-pinned`, `data-muted`, `data-archived`); `onFlag(chat_id, flag, value)`
// asks the server, which checks the change.
import React from "react";
import { DropdownMenu } from "@radix-ui/themes";
import { AnchoredMenu, useDocumentListeners, useMenuTarget } from "$/public/anchored_menu.jsx";

const FLAGS = [
  ["pinned", "Pin chat", "Unpin chat"],
  ["muted", "Mute notifications", "Unmute notifications"],
  ["archived", "Archive chat", "Unarchive chat"],
];

export function ChatRowMenu({ onFlag }) {
  const [target, open, close] = useMenuTarget();
  useDocumentListeners({
    click: (event) => {
      const button = event.target instanceof Element && event.target.closest(".wa-row-menu");
      const row = button && button.closest("[data-chat-id]");
      if (!row) return;
      const set = Object.fromEntries(FLAGS.map(([flag]) => [flag, row.dataset[flag] === "true"]));
      open({ id: Number(row.dataset.chatId), element: row, ...set }, button.getBoundingClientRect(), button);
    },
  });

  return (
    <AnchoredMenu target={target} onClose={close}>
      {(chat) =>
        FLAGS.map(([flag, on, off]) => (
          <DropdownMenu.Item key={flag} onSelect={() => onFlag && onFlag(chat.id, flag, !chat[flag])}>
            {chat[flag] ? off : on}
          </DropdownMenu.Item>
        ))
      }
    </AnchoredMenu>
  );
}
