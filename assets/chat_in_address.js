// The chat a person is looking at is the one in the address bar: it changes the
// moment a chat is tapped, while the page's state (the chat's messages, its id)
// arrives a moment later. Text typed or sent in that moment belongs to the chat
// in the address, never to the one the state still names.
export const chatInAddress = () =>
  Number((window.location.pathname.match(/\/chat\/(\d+)/) || [])[1]) || 0;
