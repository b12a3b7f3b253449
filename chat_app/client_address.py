"""Who is on the other end: the client's address, as far as it can be trusted.

A request's peer is whoever opened the TCP connection. Behind Caddy that is
Caddy, and the person's address is in ``X-Forwarded-For``; but anyone can send
that header, so it counts only when the peer is one of ``TRUSTED_PROXIES``.
The list is then read from the right (each proxy appends the address it saw),
skipping our own proxies, and the first address they did not add is the
client. Anything unparsable falls back to the peer, never to a client's word.

It sits beside :mod:`chat_app.access_tokens` rather than in the services because the
realtime service, which never calls the services, needs it too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

from chat_app.settings import IPNetwork, get_settings

FORWARDED_FOR = "x-forwarded-for"
# IPv6 hosts get a whole /64 each, so one person's addresses count as one.
IPV6_PREFIX = 64

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(text: str) -> Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # "[v6]:port"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "v4:port"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, proxies: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in proxies)


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def client_address(
    peer: str, headers: Mapping[str, str], proxies: Iterable[IPNetwork] | None = None
) -> str:
    """The client's address ("" when even the peer is unknown)."""
    proxies = tuple(get_settings().trusted_proxies if proxies is None else proxies)
    current = _parse(peer)
    if current is None:
        return ""
    hops = [part for part in _header(headers, FORWARDED_FOR).split(",") if part.strip()]
    while _trusted(current, proxies) and hops:
        forwarded = _parse(hops.pop())
        if forwarded is None:
            break
        current = forwarded
    return str(current)


def address_key(address: str) -> str:
    """The bucket an address counts in: itself, or its /64 for IPv6; "?" when unknown."""
    parsed = _parse(address)
    if parsed is None:
        return "?"
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)
