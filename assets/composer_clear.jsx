// Empties the composer after a send, in the browser, without the server ever
// sending the text back. At submit time the form's client message id (the
// hidden `client_msg_id`, which also makes a retried send idempotent) is
// remembered with the text that went out; when the server reports that id as
// sent (`sentId`), the composer is emptied only while it still holds that
// text. The report can queue behind other events (a reconnection's catch-up),
// and by then the person may have typed the next message, which must stay.
// (Form data may carry CRLF line ends.)
import { useEffect, useRef } from "react";

const plain = (text) => text.replace(/\r\n/g, "\n");

export function ComposerClear({ composerId, sentId }) {
  const pending = useRef(new Map());

  useEffect(() => {
    const onSubmit = (event) => {
      const box = document.getElementById(composerId);
      if (!box || !box.form || event.target !== box.form) return;
      // Sent before the page learnt its first id (a send right after loading):
      // the server then uses the id it holds, and this entry stands for it.
      const id = box.form.elements.namedItem("client_msg_id");
      pending.current.set(id ? id.value : "", box.value);
    };
    document.addEventListener("submit", onSubmit, true);
    return () => document.removeEventListener("submit", onSubmit, true);
  }, [composerId]);

  useEffect(() => {
    if (!sentId) return;
    const key = pending.current.has(sentId) ? sentId : "";
    if (!pending.current.has(key)) return;
    const sent = pending.current.get(key);
    pending.current.delete(key);
    const box = document.getElementById(composerId);
    if (!box || plain(box.value) !== plain(sent)) return;
    box.value = "";
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }, [sentId, composerId]);

  return null;
}
