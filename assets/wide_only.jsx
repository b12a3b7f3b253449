// What only a two-pane screen shows (the chat list beside an open chat) is not
// rendered at all on a phone, where it would be hidden anyway: on a slow phone
// mounting it was a good part of opening a chat. The breakpoint is theme.css's
// (768 px); turning a tablet or widening a window mounts it then.
import React, { useSyncExternalStore } from "react";

const WIDE = "(min-width: 768px)";

function subscribe(listener) {
  const query = window.matchMedia(WIDE);
  query.addEventListener("change", listener);
  return () => query.removeEventListener("change", listener);
}

export function WideOnly({ children }) {
  const wide = useSyncExternalStore(
    subscribe,
    () => window.matchMedia(WIDE).matches,
    () => false,
  );
  return wide ? <>{children}</> : null;
}
