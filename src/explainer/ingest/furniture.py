"""Page furniture: the lines a site puts around (and inside) an article that carry no article text.

One classifier serves text seeds and HTML seeds alike. Every rule looks at one whole block (a line
or a paragraph) and is anchored so that a real paragraph which merely *starts* like furniture
("Share prices fell...", "By Monday, the company...", "Copyright law...") is kept: rules want
the block to be short, to end the way furniture ends, or to name the thing it advertises.
"""

from __future__ import annotations

import re

from explainer.text.dates import looks_like_date_line

# Blocks longer than this are article text whatever they start with.
MAX_FURNITURE_WORDS = 40

_NAME = r"[A-Z][\w'’.-]*"
_NAMES = rf"{_NAME}(?:\s+(?:{_NAME}|de|da|van|von|der|al|bin|le|la|del|di))*"
_MONTHS_AND_DAYS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Today|Tonight|Then|Now|Law)\b"
)
_URL_OR_HANDLE = r"(?:https?://|www\.|@\w|\b[\w.+-]+@[\w-]+\.\w)"
_SOCIAL = (
    r"(?:twitter|facebook|instagram|linkedin|youtube|tiktok|threads|bluesky|telegram|whatsapp)"
)

# Each kind: a pattern that must match the whole block (case-insensitive unless it says so).
_RULES: dict[str, re.Pattern[str]] = {
    "share": re.compile(
        r"^(?:share|tweet|pin it|email|e-mail|print|save|copy link|whatsapp)"
        r"(?:\s+(?:this|the|on|via|to)\b.{0,40})?[:.!]?$"
        rf"|^(?:share|like|follow)\s+(?:us|this (?:article|story|page))\b.{{0,80}}$"
        rf"|^(?:share|follow)(?:\s+(?:on|via))?\s*:?\s*(?:{_SOCIAL}\W*)+$",
        re.IGNORECASE,
    ),
    "subscribe": re.compile(
        r"^(?:subscribe|sign up|register|join|get)\b.{0,160}\b(?:newsletters?|inbox|e-?mail "
        r"(?:alerts|updates)|daily (?:briefing|digest)|breaking news alerts|our app|the app|"
        r"mailing list|free trial|subscription)\b.{0,80}$"
        r"|^click here\b.{0,160}$"
        r"|^(?:download|get|install) (?:the|our) .{0,50}\bapps?\b.{0,60}$"
        r"|^(?:already a subscriber|subscribe now|subscribe today|become a member|"
        r"support (?:our|independent) journalism)\b.{0,160}$",
        re.IGNORECASE,
    ),
    "advertisement": re.compile(
        r"^(?:advertisement|advertising|sponsored(?: content| post)?|paid (?:content|post)|"
        r"anzeige|publicidad|publicité|pubblicità|реклама|광고|広告)"
        r"(?:\s*[-–—:|]?\s*(?:continue|scroll|story|article|reading|content)\b.{0,40})?[:.]?$"
        r"|^(?:story|article) continues (?:below|after)\b.{0,40}$"
        r"|^continue reading (?:below|the main story|after)\b.{0,40}$",
        re.IGNORECASE,
    ),
    "related": re.compile(
        r"^(?:read more|read also|also read|read next|see more|see also|more|related|"
        r"recommended|don'?t miss|most read|most popular|most viewed|trending(?: now)?|"
        r"you (?:may|might) also like|you may be interested in|more (?:from|on|in|about) .{1,40}|"
        r"more stories|more news|top stories|latest news|latest stories|further reading|"
        r"related (?:articles?|stories|news|coverage|content|links|posts?|topics|video)|"
        r"leggi anche|lesen sie (?:auch|mehr)|lire aussi|à lire aussi|lea también|leia também|"
        r"lees ook|czytaj także|читайте также|читайте еще|関連記事|관련기사)"
        r"\s*(?:(?:[:|»>›→]|\s[-–—]\s)\s*.{0,200})?$"
        # "More AP NBA: https://..." and other labelled links to elsewhere.
        r"|^[^:]{1,40}:\s*(?:https?://|www\.)\S+(?:\s*(?:,|and|&)\s*(?:https?://|www\.)\S+)*$",
        re.IGNORECASE,
    ),
    "copyright": re.compile(
        r"^.{0,20}(?:©|ⓒ|\(c\)\s*\d{4}|copyright\s*(?:©|ⓒ|\(c\)|\d{4}))"
        r"|^.{0,160}\b(?:all rights reserved|무단전재|転載禁止|版权所有)\b",
        re.IGNORECASE,
    ),
    "cookies": re.compile(
        r"^(?=.*\b(?:site|website|browser|browsing|experience|policy|privacy|consent|settings|"
        r"preferences|analytics|advertising|personali[sz]e)\b)"
        r".{0,200}\b(?:(?:we|this (?:web)?site|our (?:web)?site|the (?:web)?site) uses? cookies|"
        r"accept (?:all )?cookies|cookie (?:policy|settings|preferences|consent)|"
        r"by (?:continuing to (?:use|browse)|using) (?:this|our|the) (?:web)?site)\b",
        re.IGNORECASE,
    ),
    "comments": re.compile(
        r"^(?:\d+\s+)?comments?(?:\s*\(\d+\))?[:.]?$"
        r"|^(?:leave|post|add|view|show|read|see) (?:a |all |the )?(?:\d+ )?(?:comments?|replies)"
        r"\b.{0,40}$|^join the (?:conversation|discussion|debate)\b.{0,80}$",
        re.IGNORECASE,
    ),
    "photo credit": re.compile(
        r"^\(?(?:photo|photograph|image|picture|pic|foto|illustration)s?"
        r"(?:\s+(?:credit|courtesy))?\s*(?:[:|]|by\b).{0,120}$"
        r"|^\(?(?:credits?|courtesy(?: of)?)\s*:.{0,120}$"
        r"|^.{0,100}/\s*(?:getty images|afp|reuters|ap|shutterstock|istock|epa|alamy)\)?\.?$",
        re.IGNORECASE,
    ),
    "credit line": re.compile(
        r"^\(?(?:additional |writing and |editing and )?reporting by\b.{0,250}$"
        r"|^\(?(?:writing|editing|edited|written|compiled|words|graphics) by\b.{0,250}[^.]$",
        re.IGNORECASE,
    ),
    "bare link": re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE),
    "sign-off": re.compile(
        r"^\(?(?:reuters?|ap|afp|upi|dpa|ians|pti|xinhua)\)?\.?$", re.IGNORECASE
    ),
    # Names are capitalised, so this one is case-sensitive after "By".
    "byline": re.compile(
        rf"^(?:[Bb]y|BY)\s+(?!{_MONTHS_AND_DAYS}){_NAMES}"
        rf"(?:\s*(?:,|and|&)\s*{_NAMES})*(?:\s*[,|–—-]\s*(?:[^!?]{{0,60}}[^.!?\s])?)?(?<!\.)$"
    ),
    "contact": re.compile(
        rf"^(?i:reach|contact|email|e-mail|follow|write to|send tips to)\s+"
        rf"(?:(?:the|our)\s+)?(?:[Uu]s|[Mm]e|him|her|them|reporters?|writers?|authors?|"
        rf"{_NAMES}(?:'s|’s)?)\b.{{0,160}}(?:{_URL_OR_HANDLE}|\b(?i:{_SOCIAL})\b).{{0,120}}$"
    ),
}


def furniture_kind(block: str) -> str | None:
    """Which kind of furniture a block is (a line or a paragraph of plain text), or None."""
    text = " ".join(block.split())
    if not text or len(text.split()) > MAX_FURNITURE_WORDS:
        return None
    for kind, pattern in _RULES.items():
        if pattern.match(text):
            return kind
    if looks_like_date_line(text):
        return "dateline"
    return None


# Furniture written as prose: a hard-wrapped line of it may run on to the next line.
PROSE_KINDS = frozenset(
    {"subscribe", "copyright", "cookies", "photo credit", "credit line", "contact"}
)


def is_furniture(block: str) -> bool:
    return furniture_kind(block) is not None


# A heading that introduces a list of other articles: the short lines after it go with it.
_LIST_HEADING = re.compile(
    r"^(?:read more|read also|also read|more|related|recommended|don'?t miss|most read|"
    r"most popular|trending(?: now)?|you (?:may|might) also like|more stories|more news|"
    r"top stories|latest news|latest stories|further reading|see also|"
    r"related (?:articles?|stories|news|coverage|content|links|posts?|topics))\s*[:.]?$",
    re.IGNORECASE,
)


def is_list_heading(block: str) -> bool:
    """A bare "Related" / "Read more" heading (its list of headlines follows it)."""
    return bool(_LIST_HEADING.match(" ".join(block.split())))
