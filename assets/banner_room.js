// The connection notices ("Offline — reconnecting…", "Connecting…") are a strip
// at the top; the page gives up the strip's height while one shows, so the
// notice covers nothing. Each notice marks the root element while it is shown
// (theme.css makes the room and shows only the offline one when both are up).
// A class set here, not a `body:has(...)` rule: such a rule made the browser
// re-check the whole page on every change to it, a good part of a slow phone's
// work in opening a chat.
import { useLayoutEffect } from "react";

export function useBannerRoom(kind, shown) {
  useLayoutEffect(() => {
    if (!shown) return undefined;
    const marker = `wa-banner-${kind}`;
    document.documentElement.classList.add(marker);
    return () => document.documentElement.classList.remove(marker);
  }, [kind, shown]);
}
