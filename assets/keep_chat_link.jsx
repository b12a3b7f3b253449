// The link between sign-in and sign-up keeps the chat a link brought the person
// here for (``?chat=7``, a whole number only), so signing in or up goes on to it.
//
// Read from the address in the browser, so the link names the chat as soon as
// the page runs: from the server's state it arrived a round trip after the
// first paint, and a quick tap on "Create an account" lost the chat. The first
// render matches the page rendered ahead (no query); the effect adds it.
import React, { forwardRef, useEffect, useState } from "react";
import { Link, useLocation } from "react-router";

function queryNamingChat(search) {
  const chat = new URLSearchParams(search).get("chat") || "";
  return /^\d{1,18}$/.test(chat) && Number(chat) > 0 ? `?chat=${chat}` : "";
}

export const KeepChatLink = forwardRef(function KeepChatLink({ to, ...rest }, ref) {
  const { search } = useLocation();
  const [query, setQuery] = useState("");
  useEffect(() => setQuery(queryNamingChat(search)), [search]);
  return <Link ref={ref} to={to + query} {...rest} />;
});
