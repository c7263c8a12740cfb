"""Bytes from a seed file -> text: detect the encoding, drop a BOM, normalise line ends."""

from __future__ import annotations

import codecs
import re
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
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise SeedError("binary data or an unknown text encoding")
    return normalise_text(str(_most_plausible(matches, best)))


# Single-byte text decodes cleanly in several code pages (é is é in cp1252 and cp1257 alike; only
# the rarer letters differ), so the detector's first pick by "chaos" alone is close to a coin toss
# between them. Among the candidates that read about as cleanly, take the one whose letters best
# fit a language (coherence), and on a tie Windows-1252: the most common of them, and what
# browsers assume for an undeclared Western page.
# Seeds come from the web, so an encoding the web uses (the WHATWG Encoding Standard's list) is
# far likelier than a DOS, HP or IBM code page that happens to read the same bytes a little more
# "coherently" (Latin-1 "José" is "JosÚ" in hp_roman8): those count only when no web encoding
# reads the text about as cleanly.
_CLEAN_ENOUGH = 0.1
_WEB_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "cp866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6",
        "iso-8859-7", "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15",
        "iso-8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250",
        "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk",
        "gb18030", "big5", "euc-jp", "iso-2022-jp", "shift_jis", "euc-kr", "utf-16-le",
        "utf-16-be",
    )
)  # fmt: skip


def _is_web_encoding(name: str) -> bool:
    try:
        return codecs.lookup(name).name in _WEB_ENCODINGS
    except LookupError:
        return False


def _most_plausible(matches, best):
    close = [m for m in matches if m.chaos <= best.chaos + _CLEAN_ENOUGH]
    web = [m for m in close if _is_web_encoding(m.encoding)]
    return max(
        web or close or [best],
        key=lambda m: (round(m.coherence, 3), m.encoding == "cp1252", -m.chaos),
    )


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return sample.count(b"\x00") * 3 > len(sample) and len(sample) % 2 == 0


# Unicode categories Cc (C0 and C1 controls) and Cs (lone surrogates), except tab and newline.
_CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"


# Invisible hints to a renderer, not text: soft hyphen, zero-width space, word joiner, and a BOM
# inside the text. Kept, they split words for every reader after ingestion ("Ko\u00adbalt" is
# not "Kobalt" to the tagger, the summary or search). Joiners (U+200C/D) carry meaning in
# emoji and several scripts and stay.
# (A regular expression: str.translate with a table maps every character in Python, 20 times
# slower on a 200 kB page.)
_INVISIBLE_CHARACTERS = "\u00ad\u200b\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
# Both kinds in one pass over the page: two passes were most of the time spent decoding it.
_NOT_TEXT = re.compile(f"[{_CONTROL_CHARACTERS}{_INVISIBLE_CHARACTERS}]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def normalise_text(text: str) -> str:
    """CRLF/CR -> LF, NFC, no control characters other than tab and newline, and no invisible
    formatting characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return _NOT_TEXT.sub("", text)


# The HTML standard's prescan looks for a declaration in the first 1024 bytes; pages in the wild
# put it later (after long <head> comments or scripts), so look a little further.
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:+-]+)""")
# WHATWG Encoding: labels that browsers read as a superset encoding.
_BROWSER_ALIASES = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "l1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "iso-8859-9": "windows-1254",
    "iso-8859-11": "windows-874",
    "tis-620": "windows-874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "euc-kr",
    "x-sjis": "shift_jis",
}


def declared_html_charset(data: bytes) -> str | None:
    """The encoding a page declares (<meta charset>, http-equiv Content-Type, XML declaration).

    A declared UTF-16/32 is read as UTF-8, as browsers do: a page whose bytes were really UTF-16
    starts with a BOM, which wins before this is asked.
    """
    head = data[:_PRESCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_DECLARATION.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").strip().lower()
    label = _BROWSER_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def decode_html(data: bytes) -> str:
    """Decode a saved page: BOM, then valid UTF-8, then its declared charset, then detection.

    Valid UTF-8 beats the declaration because pages often keep a stale "iso-8859-1" after being
    re-saved as UTF-8, and non-ASCII text that happens to be valid UTF-8 is almost never anything
    else.
    """
    return decode_text(data, declared=declared_html_charset(data))
