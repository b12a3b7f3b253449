// The composer's emoji grid, loaded only when the picker first opens: the popover
// mounts its content on opening, and React.lazy fetches the grid's own chunk then,
// so the first load of a chat carries none of it.
import React, { Suspense, lazy } from "react";

const Grid = lazy(() => import("./emoji_grid.jsx"));

export function EmojiGrid(props) {
  return (
    <Suspense fallback={<div className="wa-emoji-grid" aria-busy="true" />}>
      <Grid {...props} />
    </Suspense>
  );
}
