"""Salted digests and text masking shared with the player (static/core.js mirrors both exactly).

The player must tell right from wrong without an answer key in the package, so each option ships
only ``cyrb53(salt | item | option | 1-or-0)``: the player recomputes the "1" form for the chosen
option and compares. Feedback and rationale are XOR-masked so that they are not readable in the
page source. Both only stop casual reading: the code that checks an answer is in the package too.
"""

from __future__ import annotations

import base64

_M32 = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    """JavaScript's Math.imul on unsigned 32-bit values."""
    return (a * b) & _M32


def cyrb53(text: str, seed: int = 0) -> int:
    """The cyrb53 53-bit string hash over UTF-16 code units (as JavaScript's charCodeAt sees them)."""
    h1 = 0xDEADBEEF ^ seed
    h2 = 0x41C6CE57 ^ seed
    raw = text.encode("utf-16-le")
    for i in range(0, len(raw), 2):
        ch = raw[i] | (raw[i + 1] << 8)
        h1 = _imul(h1 ^ ch, 2654435761)
        h2 = _imul(h2 ^ ch, 1597334677)
    h1 = _imul(h1 ^ (h1 >> 16), 2246822507)
    h1 ^= _imul(h2 ^ (h2 >> 13), 3266489909)
    h2 = _imul(h2 ^ (h2 >> 16), 2246822507)
    h2 ^= _imul(h1 ^ (h1 >> 13), 3266489909)
    return 4294967296 * (2097151 & h2) + (h1 & _M32)


def b36(n: int) -> str:
    """``n.toString(36)`` for a non-negative integer."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def item_salt(course_id: str, version: str, item_id: str) -> str:
    """Deterministic per-item salt (rebuilds stay byte-identical; a new course version re-salts)."""
    return b36(cyrb53(f"{course_id}|{version}|{item_id}"))


def digest(salt: str, fact: str) -> str:
    """Digest of one fact about an item, e.g. ``'opt:a=1'`` (option a is a key)."""
    return b36(cyrb53(f"{salt}|{fact}"))


def _keystream(key: str, length: int) -> bytes:
    out = bytearray()
    block = 0
    while len(out) < length:
        out += (cyrb53(f"{key}#{block}") & _M32).to_bytes(4, "little")
        block += 1
    return bytes(out[:length])


def _xor(key: str, raw: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(raw, _keystream(key, len(raw)), strict=True))


def mask(key: str, text: str) -> str:
    """XOR the UTF-8 bytes of ``text`` with a keystream from ``key``; base64 so it is plain ASCII."""
    return base64.b64encode(_xor(key, text.encode("utf-8"))).decode("ascii")


def unmask(key: str, masked: str) -> str:
    """Inverse of :func:`mask` (used by tests)."""
    return _xor(key, base64.b64decode(masked)).decode("utf-8")
