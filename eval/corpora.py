"""The two dev corpora as one list of pages, their sites and folds, and the page-metadata reference.

* `load_pages()` reads ../shared/corpus/aeb-dev (whole-body gold) and webpages-dev (keep/drop
  snippets) into `Page` records: id, corpus, site, the HTML bytes and the gold.
* `fold_of(site)`: 5 folds by site (registered domain), fixed by a hash, so a model trained on four
  folds never saw any page of the site it is tested on.
* `reference(html)`: what the page's own metadata says its headline and publication date are
  (JSON-LD headline / og:title / twitter:title / the main <h1>, and JSON-LD datePublished /
  article:published_time and the other published-time tags / <time itemprop=datePublished>).
  Dates are the day as the page writes it (its local day), never converted to UTC.
* `title_right(predicted, references)`: both sides are normalised (entities decoded, NFKC,
  case-folded, punctuation and quotes dropped, spaces collapsed), and each is taken whole and
  less its first or last segment, split at the separators sites use to add their name or a
  section ("Headline | Site", "Site - Headline", "Opinion: Headline", " · ", " » ", " :: ").
  The title is right when one of these equals one of the reference's, or when one contains the
  other and the shorter has at least half the longer's words and at least two words (a
  breadcrumb, "Home > News > Headline", holds the headline but is not it). The
  references are the JSON-LD headline, og:title and twitter:title, or the main <h1> when the
  page gives none of those (then <title>). A page with no reference headline is not counted.
* `date_right(predicted, reference)`: the predicted day is within one day of the reference day
  (pages whose metadata gives no date are not counted).
"""

from __future__ import annotations

import gzip
import hashlib
import html as html_lib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
FOLDS = 5
FOLD_KEY = "explainer-extract-folds-v1"


def shared_dir() -> Path:
    """../shared next to the repository (the lead's checkout) or next to the worktrees' folder."""
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (candidate / "corpus").is_dir():
            return candidate
    return ROOT.parent / "shared"


CORPUS_DIR = shared_dir() / "corpus"


@dataclass
class Page:
    id: str
    corpus: str  # "aeb" or "webpages"
    url: str
    site: str
    path: Path  # the .html.gz file
    body: str = ""  # aeb: the gold article body
    keep: list[str] = field(default_factory=list)  # webpages: snippets a body must hold
    drop: list[str] = field(default_factory=list)  # ...and must not

    @property
    def fold(self) -> int:
        return fold_of(self.site)

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


def load_pages(corpora: tuple[str, ...] = ("aeb", "webpages")) -> list[Page]:
    pages: list[Page] = []
    if "aeb" in corpora:
        folder = CORPUS_DIR / "aeb-dev"
        truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, gold in sorted(truth.items()):
            url = gold.get("url", "")
            pages.append(
                Page(page_id, "aeb", url, site_of(url), folder / "html" / f"{page_id}.html.gz",
                     body=gold.get("articleBody", ""))
            )  # fmt: skip
    if "webpages" in corpora:
        folder = CORPUS_DIR / "webpages-dev"
        snippets = json.loads((folder / "snippets.json").read_text(encoding="utf-8"))
        for page_id, gold in sorted(snippets.items()):
            url = (gold.get("url") or "").strip()
            # no URL: the source file's name starts with the host ("Solarserver.de.topic.html")
            host = re.match(r"[\w.-]+?\.(?:[a-z]{2,3})(?=\.)", gold.get("source_file", ""), re.I)
            site = site_of(url) or site_of("http://" + (host[0] if host else page_id))
            pages.append(
                Page(page_id, "webpages", url, site, folder / "html" / f"{page_id}.html.gz",
                     keep=list(gold.get("with", [])), drop=list(gold.get("without", [])))
            )  # fmt: skip
    return pages


_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go"}


def site_of(url: str) -> str:
    """The registered domain of a URL (an archived page's own site, not the archive's)."""
    url = url.strip()
    archived = re.match(r"https?://web\.archive\.org/web/[^/]+/(.+)", url)
    if archived:
        inner = archived.group(1)
        url = inner if "://" in inner else "http://" + inner
    host = (urlsplit(url).hostname or "").lower()
    labels = [part for part in host.split(".") if part and part != "www"]
    if not labels:
        return ""
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def fold_of(site: str) -> int:
    return int(hashlib.sha256(f"{FOLD_KEY}|{site}".encode()).hexdigest(), 16) % FOLDS


# -- the reference: the page's own metadata --------------------------------------------------------
@dataclass
class Reference:
    titles: list[str]
    date: date | None


_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "article:published", "datepublished",
    "publishdate", "pubdate", "publish-date", "publish_date", "dc.date.issued", "dc.date",
    "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date", "date",
    "article.published", "og:published_time", "published_time", "release_date",
)  # fmt: skip
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def reference(data: bytes) -> Reference:
    from explainer.ingest.decode import decode_html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", decode_html(data))
    parser = lxml_html.HTMLParser(encoding="utf-8")  # decoded: its own charset no longer applies
    tree = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        for attribute in ("property", "name", "itemprop"):
            for key in (element.get(attribute) or "").lower().split():
                if content and content.strip():
                    meta.setdefault(key, content.strip())
    ld = list(_json_ld(tree))
    titles: list[str] = []
    for item in ld:
        titles.append(_ld_string(item.get("headline")))
    titles += [meta.get("og:title", ""), meta.get("twitter:title", "")]
    h1s = main_h1s(tree)
    if h1s and not any(t.strip() for t in titles):
        titles.append(" ".join(h1s[0].text_content().split()))
    titles = [_clean(t) for t in titles if t and _clean(t)]
    if not titles:
        title_tag = next(iter(tree.iter("title")), None)
        if title_tag is not None and _clean(title_tag.text_content()):
            titles.append(_clean(title_tag.text_content()))
    dates = [_ld_string(item.get("datePublished")) for item in ld]
    dates += [meta.get(key, "") for key in _DATE_KEYS]
    dates += [
        el.get("datetime", "") for el in tree.xpath('//time[@itemprop="datePublished" or @pubdate]')
    ]
    dates = [d.strip() for d in dates if d and _day(d)]
    # the publisher's local day: a date written with its own offset beats the same one in UTC
    local = [d for d in dates if re.search(r"[+-]\d\d:?\d\d$", d) and not d.endswith(
        ("+00:00", "+0000", "-00:00"))]  # fmt: skip
    first = dates[0] if dates else ""
    if first and re.search(r"(?:Z|[+-]00:?00)$", first) and local:
        first = local[0]
    day = _day(first) if first else None
    return Reference(list(dict.fromkeys(titles)), day)


def main_h1s(tree) -> list:
    """The page's main `<h1>` elements: the article's, else the main element's, else all."""
    return tree.xpath("//article//h1") or tree.xpath("//main//h1") or tree.xpath("//h1")


def _json_ld(tree):
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if item.get("headline") or item.get("datePublished"):
                    yield item
                for key in ("@graph", "mainEntity"):
                    if isinstance(item.get(key), (list, dict)):
                        stack.append(item[key])


def _ld_string(value) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or ""
    return value if isinstance(value, str) else ""


def _clean(text: str) -> str:
    for _ in range(2):  # pages double-escape: "&amp;#8216;"
        text = html_lib.unescape(text)
    return " ".join(text.split())


def _day(value: str) -> date | None:
    """The calendar day a metadata date gives, as written (its own local day)."""
    value = (value or "").strip()
    if not value:
        return None
    match = _ISO_DAY.search(value)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        from dateutil import parser

        return parser.parse(value, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None


# -- agreement ------------------------------------------------------------------------------------
_SEPARATORS = re.compile(r"\s+(?:[|·•~]|::|-{1,2}|–|—)\s+|\s*\|\s*")
_BREADCRUMB = re.compile(r"\s(?:>>?|»|›|→)\s")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", _clean(text)).casefold()
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


def _pieces(text: str) -> set[str]:
    """The whole text, and the text less a site name or section at either end."""
    text = _clean(text)
    pieces = {_norm(text)}
    for separator in (_SEPARATORS, re.compile(r":\s+")):
        parts = separator.split(text)
        if len(parts) >= 2:
            pieces |= {_norm(" ".join(parts[1:])), _norm(" ".join(parts[:-1]))}
    return {p for p in pieces if p}


def title_right(predicted: str | None, references: list[str]) -> bool:
    if not predicted:
        return False
    mine = _pieces(predicted)
    for ref in references:
        for a in mine:
            for b in _pieces(ref):
                if a == b:
                    return True
                if _BREADCRUMB.search(predicted):
                    continue  # "Home > News > Headline" is a breadcrumb, not the headline
                short, long_ = sorted((a, b), key=len)
                n_short, n_long = len(short.split()), len(long_.split())
                if n_short >= 2 and 2 * n_short >= n_long and f" {short} " in f" {long_} ":
                    return True
    return False


def date_right(predicted: str | None, ref: date | None) -> bool:
    if ref is None or not predicted:
        return False
    match = _ISO_DAY.match(predicted)
    if not match:
        return False
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return abs((day - ref).days) <= 1


# -- body metrics ---------------------------------------------------------------------------------
def fold_text(text: str) -> str:
    """Whitespace- and case-folded, as trafilatura's evaluation compares snippets."""
    return " ".join(text.split()).casefold()


def snippet_counts(text: str, keep: list[str], drop: list[str]) -> tuple[int, int, int]:
    """(true positives, false negatives, false positives) of one page's snippets in `text`."""
    folded = fold_text(text)
    tp = sum(fold_text(s) in folded for s in keep)
    fp = sum(fold_text(s) in folded for s in drop)
    return tp, len(keep) - tp, fp


def snippet_scores(counts: list[tuple[int, int, int]]) -> dict[str, float]:
    tp = sum(c[0] for c in counts)
    fn = sum(c[1] for c in counts)
    fp = sum(c[2] for c in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


# The code that makes a page's crawler text: a cached text made by an older version of it is
# stale (a cache keyed on the page alone kept soft hyphens and zero-width spaces after the
# decoder learnt to drop them, and moved the text figures).
_TEXT_CODE = (
    ROOT / "eval" / "page_text.py",
    ROOT / "src" / "explainer" / "ingest" / "decode.py",
    ROOT / "src" / "explainer" / "ingest" / "html_text.py",
)


def _text_code_key() -> str:
    digest = hashlib.sha256()
    for path in _TEXT_CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def text_versions(pages: list[Page], with_title: bool = True) -> dict[str, str]:
    """Each page's crawler text (page_text.crawler_text: with its `<title>` line, or without it
    as a select-all copy gives it), cached in .cache/page-text/ under the page's bytes, the
    variant and the code that makes the text (_TEXT_CODE)."""
    from page_text import crawler_text

    cache = ROOT / ".cache" / "page-text"
    code = _text_code_key() + ("" if with_title else "-notitle")
    texts = {}
    for page in pages:
        data = page.html()
        key = hashlib.sha256(data).hexdigest()[:16] + "-" + code
        path = cache / page.corpus / f"{page.id[:32]}-{key}.txt"
        if path.exists():
            texts[page.id] = path.read_text(encoding="utf-8")
            continue
        text = crawler_text(data, with_title=with_title)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        texts[page.id] = text
    return texts
