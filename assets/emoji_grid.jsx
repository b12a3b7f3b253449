// The emoji buttons (see emoji_picker.jsx). A pick goes in at the caret of the
// composer's uncontrolled textarea, as typing would, and the input event lets the
// form and the typing indicator see it.
import React from "react";

function insertAt(targetId, text) {
  const box = document.getElementById(targetId);
  if (!box) return;
  const start = box.selectionStart ?? box.value.length;
  const end = box.selectionEnd ?? start;
  box.value = box.value.slice(0, start) + text + box.value.slice(end);
  box.selectionStart = box.selectionEnd = start + text.length;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  box.focus();
}

export default function EmojiGridButtons({ emojis, targetId }) {
  return (
    <div className="wa-emoji-grid">
      {emojis.map((emoji) => (
        <button
          key={emoji}
          type="button"
          aria-label={emoji}
          onClick={() => insertAt(targetId, emoji)}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}
