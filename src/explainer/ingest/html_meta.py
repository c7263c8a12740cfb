"""What a saved page says about its article: title, date, author, site name, language, URL.

Each field is read from the most deliberate source first: the publisher's JSON-LD, then Open
Graph / article meta tags, then the visible page (h1, <time>, a byline), then <title> and text.
"""

from __future__ import annotations

import html as html_entities
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from explainer.ingest.decode import strip_invisible
from explainer.text.dates import looks_like_date_line, parse_date

_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting",
    "scholarlyarticle", "techarticle", "report", "liveblogposting", "webpage", "posting",
    "discussionforumposting",
}  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|·•»:~]|::|-{1,2}|–|—)\s+")
_MAX_SITE_WORDS = 5


@dataclass
class PageMeta:
    title: str = ""
    date: datetime | None = None
    author: str = ""
    site_name: str = ""
    lang: str = ""
    url: str = ""  # canonical, absolute http(s)
    base_url: str = ""  # what relative links in the page resolve against
    description: str = ""
    # Every headline the page gives (h1, og:title, <title> less the site): the body may repeat any.
    headlines: tuple[str, ...] = ()


def read_meta(tree: html.HtmlElement) -> PageMeta:
    ld = list(_json_ld_articles(tree))
    meta = _meta_tags(tree)
    page = PageMeta()
    page.url = _canonical_url(tree, meta, ld)
    page.base_url = _base_url(tree, page.url)
    page.site_name = _first(
        meta.get("og:site_name"),
        *(_name_of(item.get("publisher")) for item in ld),
        meta.get("application-name"),
    )
    title_tag = next(iter(tree.iter("title")), None)
    title_text = _text(title_tag) if title_tag is not None else ""
    h1 = _main_h1(tree, title_text)
    title_less_site = strip_site_name(title_text, page.site_name) if title_tag is not None else ""
    page.title = _title(meta, ld, h1, title_less_site)
    page.headlines = tuple(
        h for h in (page.title, h1, meta.get("og:title", ""), title_less_site) if h
    )
    page.lang = _lang(tree, meta, ld)
    page.date = _date(tree, meta, ld, page.lang)
    page.author = _author(tree, meta, ld)
    page.description = _first(meta.get("og:description"), meta.get("description"))
    return page


# -- sources -------------------------------------------------------------------------------------
def _json_ld_articles(tree: html.HtmlElement) -> Iterator[dict]:
    """Article-like JSON-LD objects, most specific (NewsArticle...) before generic WebPage."""
    found: list[tuple[int, dict]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        for item in _json_ld_objects(data):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            names = {str(t).lower() for t in types if t}
            if names & _ARTICLE_TYPES:
                found.append((1 if names == {"webpage"} else 0, item))
    for _, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def _json_ld_objects(data: object) -> Iterator[dict]:
    """Every object of a JSON-LD document, its @graph, mainEntity and item lists included."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            for key in ("@graph", "mainEntity", "itemListElement"):
                if isinstance(item.get(key), (list, dict)):
                    stack.append(item[key])


def _meta_tags(tree: html.HtmlElement) -> dict[str, str]:
    """Meta tag values by lower-cased property/name/itemprop (first one wins)."""
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            # itemprop="datePublished dateCreated" names two properties.
            for key in (element.get(attribute) or "").lower().split():
                values.setdefault(key, unescape(content))
    return values


def unescape(text: str) -> str:
    """Entities decoded, spaces collapsed. Pages escape twice ("&amp;#8216;" in a meta tag) and
    JSON-LD strings carry entities as written ("&#8216;The Medium&#8217;"), so decode until
    nothing changes (at most three rounds)."""
    for _ in range(3):
        decoded = html_entities.unescape(text)
        if decoded == text:
            break
        text = decoded
    # "&#1;" decodes to a control character, which no feed or page may carry
    return " ".join(strip_invisible(_CONTROL.sub(" ", text)).split())


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _text(element: etree._Element) -> str:
    return unescape("".join(element.itertext()))


def _string(value: object) -> str:
    if isinstance(value, str):
        return unescape(value)
    if isinstance(value, list) and value:
        return _string(value[0])
    if isinstance(value, dict):
        return _string(value.get("@value") or value.get("name"))
    return ""


def _name_of(value: object) -> str:
    if isinstance(value, dict):
        return _string(value.get("name"))
    return _string(value)


def _first(*values: str | None) -> str:
    for value in values:
        if value and value.strip():
            return unescape(value)
    return ""


# -- fields --------------------------------------------------------------------------------------
def _title(meta: dict, ld: list[dict], h1: str, title_less_site: str) -> str:
    return _first(
        *(_string(item.get("headline")) for item in ld),
        meta.get("og:title"),
        meta.get("twitter:title"),
        h1,
        title_less_site,
    )


_SITE_MARK = re.compile(r"logo|site[-_]?(?:title|name)|brand|masthead", re.IGNORECASE)


def _main_h1(tree: html.HtmlElement, title_tag: str = "") -> str:
    """The article's <h1>: inside <article>/<main> first; one that <title> repeats wins; a
    site-name <h1> (logo, masthead, a link home) never counts."""
    found: list[str] = []
    for path in ("//article//h1", "//main//h1", "//h1"):
        for element in tree.xpath(path):
            marks = f"{element.get('id', '')} {element.get('class', '')}"
            text = _text(element)
            in_link = any(a.tag == "a" for a in element.iterancestors()) or any(
                a.get("href") in ("/", "./", "#") for a in element.iter("a")
            )
            if text and not in_link and not _SITE_MARK.search(marks) and text not in found:
                found.append(text)
    in_title = [t for t in found if _norm(t) and _norm(t) in _norm(title_tag)]
    return (in_title or found or [""])[0]


def strip_site_name(title: str, site_name: str = "") -> str:
    """ "Lithium prices fall | Mining Weekly" -> "Lithium prices fall" (also "Site - Title")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title.strip()
    site = _norm(site_name)
    if site:
        if _norm(parts[-1]) == site or (site in _norm(parts[-1]) and len(parts[-1]) < 60):
            return _join_title(title, parts[:-1])
        if _norm(parts[0]) == site:
            return _join_title(title, parts[1:])
    # Unknown site name: the shortest end segment is the site when it is clearly short.
    last, first = parts[-1], parts[0]
    if len(last.split()) <= _MAX_SITE_WORDS and len(last) < len(" ".join(parts[:-1])):
        return _join_title(title, parts[:-1])
    if len(first.split()) <= 2 and len(first) < len(" ".join(parts[1:])) / 2:
        return _join_title(title, parts[1:])
    return title.strip()


def _join_title(original: str, parts: list[str]) -> str:
    """Re-join kept segments with the separators they had ("Q&A: lithium | Site" keeps ": ")."""
    start = original.find(parts[0])
    end_part = parts[-1]
    end = original.rfind(end_part) + len(end_part)
    return original[start:end].strip() if start >= 0 and end > start else " ".join(parts)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.casefold()).split())


def _date(
    tree: html.HtmlElement, meta: dict, ld: list[dict], language: str = ""
) -> datetime | None:
    candidates: list[str] = [_string(item.get("datePublished")) for item in ld]
    candidates += [
        meta.get(key, "")
        for key in (
            "article:published_time", "og:article:published_time", "article:published",
            "datepublished",
            "article.published", "publishdate", "pubdate", "publish-date", "date",
            "dc.date.issued", "dc.date", "dcterms.date", "sailthru.date", "parsely-pub-date",
        )
    ]  # fmt: skip
    times = tree.xpath("//time[@datetime]")
    candidates += [el.get("datetime", "") for el in times if _is_published(el)]
    candidates += [el.get("datetime", "") for el in times]
    candidates += [_string(item.get("dateCreated")) for item in ld]
    # Parsed one by one, as far as needed: most pages settle on their first date.
    parsed = (d for d in (parse_date(v, language) for v in candidates if v) if d is not None)
    first = next(parsed, None)
    if first is None:
        return _date_in_text(tree, language)
    return local_date(first, parsed, lambda: _date_in_text(tree, language))


def local_date(first: datetime, others: Iterable[datetime], visible) -> datetime:
    """The publisher's own date, not the UTC one: when the first date is given in UTC, the same
    moment written with the publisher's offset among the others wins, else the date the page
    shows when it is within a day of it (late-evening stories are a day ahead in UTC)."""
    offset = first.utcoffset()
    if offset is None or offset.total_seconds() != 0:
        return first
    for other in others:
        other_offset = other.utcoffset()
        local = other_offset is not None and other_offset.total_seconds() != 0
        if local and abs((other - first).total_seconds()) <= 60:
            return other
    shown = visible()
    if shown is not None and abs((shown.date() - first.date()).days) == 1:
        return shown
    return first


def _is_published(element: etree._Element) -> bool:
    marks = " ".join((element.get(a) or "") for a in ("itemprop", "class", "pubdate", "id")).lower()
    return "published" in marks or "pubdate" in marks or element.get("pubdate") is not None


def _date_in_text(tree: html.HtmlElement, language: str = "") -> datetime | None:
    """The first short text that is a date (and nothing else) in the page body."""
    body = tree.find(".//body")
    if body is None:
        return None
    for text in body.itertext():
        line = " ".join(text.split())
        if 6 <= len(line) <= 60 and looks_like_date_line(line):
            parent = text.getparent() if hasattr(text, "getparent") else None
            if parent is not None and parent.tag in ("script", "style"):
                continue
            parsed = parse_date(line, language)
            if parsed is not None:
                return parsed
    return None


def _author(tree: html.HtmlElement, meta: dict, ld: list[dict]) -> str:
    for item in ld:
        authors = item.get("author")
        authors = authors if isinstance(authors, list) else [authors]
        names = [_clean_author(_name_of(a)) for a in authors]
        names = [n for n in names if n and not _is_url(n)]
        if names:
            return ", ".join(dict.fromkeys(names))
    for key in ("author", "article:author", "og:article:author", "dc.creator", "byl",
                "sailthru.author", "parsely-author"):  # fmt: skip
        value = _clean_author(meta.get(key, ""))
        if value and not _is_url(value):
            return value
    for path in ('//*[@rel="author"]', '//*[@itemprop="author"]',
                 '//*[contains(concat(" ", normalize-space(@class), " "), " byline ")]',
                 '//*[contains(@class, "author-name")]'):  # fmt: skip
        for element in tree.xpath(path):
            name = _clean_author(_text(element))
            if name and len(name) <= 80 and len(name.split()) <= 8:
                return name
    return ""


def _clean_author(name: str) -> str:
    """ "By JANE SMITH, Associated Press" -> "JANE SMITH, Associated Press"."""
    return re.sub(r"^by\s+", "", " ".join(name.split()), flags=re.IGNORECASE)


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "//", "/"))


def _lang(tree: html.HtmlElement, meta: dict, ld: list[dict]) -> str:
    root = tree.getroottree().getroot()
    value = _first(
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        root.get("xml:lang"),
        meta.get("content-language"),
        meta.get("og:locale"),
        *(_string(item.get("inLanguage")) for item in ld),
    )
    return normalise_lang(value)


def normalise_lang(value: str) -> str:
    """ "en_GB" / "EN-gb" -> "en-GB"; anything that is not a language tag -> ""."""
    value = value.split(",")[0].strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
        return ""
    primary, *rest = value.split("-")
    rest = [part.upper() if len(part) == 2 else part for part in rest]
    return "-".join([primary.lower(), *rest])


def _canonical_url(tree: html.HtmlElement, meta: dict, ld: list[dict]) -> str:
    og_url = meta.get("og:url", "")
    ld_urls: list[str] = []
    for item in ld:
        ld_urls.append(_string(item.get("url")))
        entity = item.get("mainEntityOfPage")
        ld_urls.append(_string(entity.get("@id")) if isinstance(entity, dict) else _string(entity))
    canonical = [
        link.get("href", "")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    absolute_hint = next((u for u in [og_url, *ld_urls] if _is_http(u)), "")
    for value in [*canonical, og_url, *ld_urls]:
        value = (value or "").strip()
        if not value:
            continue
        if not _is_http(value) and absolute_hint:
            value = urljoin(absolute_hint, value)
        if _is_http(value):
            return value
    return ""


def _base_url(tree: html.HtmlElement, canonical: str) -> str:
    base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    if base:
        resolved = urljoin(canonical, base.strip()) if canonical else base.strip()
        if _is_http(resolved):
            return resolved
    return canonical


def _is_http(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)
