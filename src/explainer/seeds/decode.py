"""Bytes from a seed file -> text: detect the encoding, drop a BOM, normalise line ends."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes


class SeedError(Exception):
    """A seed that cannot be turned into an article. The message names the problem."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode seed bytes. UTF-8 first (most seeds), then a declared charset, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return normalise_text(data[len(bom) :].decode(encoding, errors="replace"))
    has_nul = b"\x00" in data[:4096]
    if has_nul and not _looks_utf16(data):
        raise SeedError("binary data, not text")
    if not has_nul:
        try:
            return normalise_text(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    if declared:
        try:
            return normalise_text(data.decode(declared))
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is None:
        raise SeedError("binary data or an unknown text encoding")
    return normalise_text(str(best))


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return sample.count(b"\x00") * 3 > len(sample) and len(sample) % 2 == 0


def normalise_text(text: str) -> str:
    """CRLF/CR -> LF, NFC, and no control characters other than tab and newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
