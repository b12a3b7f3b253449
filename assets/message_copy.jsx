// "Copy" in a message's menu, done in the browser: the menu item names its
// message (`data-copy-message` = the message's element id) and the text is read
// from that message's body on screen, so it never travels back from the server.
import { useEffect } from "react";

export function MessageCopy() {
  useEffect(() => {
    const onClick = (event) => {
      const item = event.target instanceof Element && event.target.closest("[data-copy-message]");
      if (!item) return;
      const message = document.getElementById(item.getAttribute("data-copy-message"));
      const body = message && message.querySelector(".wa-body");
      if (body && navigator.clipboard) {
        navigator.clipboard.writeText(body.textContent).catch(() => {});
      }
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);

  return null;
}
