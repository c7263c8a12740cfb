"""Several seeds of one story -> one article: which version's text, which tags, which dates.

Each seed of a story is kept as a version record in the ingest manifest: the metadata fields
its own article would have had (as written, so writing them again changes no byte), its word
count, date, outlet, URL and the SHA-256 of its body. The article is made from the records and
one body, so a later seed of the story never needs the earlier seeds read again.

- Text: the fullest version's (most words; versions within 5% of the most count as equally
  full, and of those the earliest-dated wins, then the seed name).
- Date: the earliest version's date; `Modified`: the latest version's, when later (a seed
  dated only by its file's modification time counts only when no version states a date).
- Tags (Countries, Minerals, Focus, Organisations, Tags): the union of what the versions agree
  on. A name agrees when the text shown (the chosen version) has it, or when at least two
  versions have it: one outlet's "related stories" box or a tag read from one outlet's extra
  paragraph does not tag the story, what two outlets report does.
- Sources: the chosen version's is `Source`; every other seed is a `Reported-By` line
  (`outlet | URL | date | seed file`), shown on the page as "Also reported by".
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from explainer.model import Article, iso_date
from explainer.text.front_matter import META_LINE, split_front_matter

REPORTED_BY = "Reported-By"
MODIFIED = "Modified"
# Versions within this share of the longest count as equally full.
_EQUALLY_FULL = 0.05
_AGREED_LISTS = ("Countries", "Minerals", "Focus", "Organisations", "Tags")
_MIN_AGREEING = 2


def body_digest(body: str) -> str:
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


def header_fields(markdown: str) -> tuple[list[list[str]], str]:
    """([key, value] in order, body) of a Markdown article as markdown_out writes it."""
    header, body = split_front_matter(markdown)
    fields = []
    for line in header:
        match = META_LINE.match(line)
        if match:
            fields.append([match.group("key"), match.group("value").strip()])
    return fields, body


def version_record(article: Article, rendered: str, seed_name: str) -> dict:
    """What a story needs to know of one of its seeds (stored in the ingest manifest)."""
    seed = article.seed
    fields, _ = header_fields(rendered)
    url = seed.meta.get("url") or (seed.source if _is_http(seed.source) else "")
    outlet = seed.meta.get("site_name") or (urlsplit(url).hostname or "" if url else "")
    return {
        "fields": fields,
        "words": len(seed.body.split()),
        "date": iso_date(seed.date),
        **({"date_from_file": True} if seed.meta.get("date_source") else {}),
        "outlet": _one_line(outlet or seed_name),
        "url": _one_line(url),
        "body_sha256": body_digest(seed.body),
    }


def record_from_article_file(markdown: str, seed_name: str) -> dict:
    """The version record of a story's first seed, read back from the article ingestion wrote
    for it alone (the seed itself is not read again)."""
    fields, body = header_fields(markdown)
    values = dict(fields)
    source = values.get("Source", "")
    url = source if _is_http(source) else ""
    return {
        "fields": fields,
        "words": len(body.split()),
        "date": values.get("Date"),
        **({"date_from_file": True} if values.get("Date-Source") else {}),
        "outlet": (urlsplit(url).hostname or seed_name) if url else seed_name,
        "url": url,
        "body_sha256": body_digest(body),
    }


def choose_text(versions: dict[str, dict]) -> str:
    """The seed whose text the article shows: the fullest, then the earliest-dated."""
    most = max(v["words"] for v in versions.values())
    full = [k for k, v in versions.items() if v["words"] >= most * (1 - _EQUALLY_FULL)]
    return min(full, key=lambda k: (_sortable(versions[k]["date"]), k))


def render_story(versions: dict[str, dict], body: str, slug: str) -> str:
    """The article for a story of several seeds, with the chosen version's body."""
    chosen = choose_text(versions)
    fields = [list(f) for f in versions[chosen]["fields"]]
    _set(fields, "Slug", slug)
    # A seed with no date of its own is dated from its file: that says nothing about when
    # the story was published or updated while another version gives a date.
    stated = [v for v in versions.values() if v["date"] and not v.get("date_from_file")]
    dated = sorted((v["date"] for v in stated or versions.values() if v["date"]), key=_sortable)
    if dated:
        if _set(fields, "Date", dated[0]) != dated[0]:
            fields = [f for f in fields if f[0] != "Date-Source"]
        if _sortable(dated[-1]) > _sortable(dated[0]):
            _insert_after(fields, "Date", [MODIFIED, dated[-1]])
    for key in _AGREED_LISTS:
        merged = _agreed(versions, chosen, key)
        if merged or any(f[0] == key for f in fields):
            if not any(f[0] == key for f in fields):
                _insert_after(fields, "Organisations", [key, ""])
            _set(fields, key, ", ".join(merged))
    others = sorted((k for k in versions if k != chosen), key=lambda k: (
        _sortable(versions[k]["date"]), k))  # fmt: skip
    for key in others:
        v = versions[key]
        fields.append([REPORTED_BY, " | ".join([v["outlet"], v["url"], v["date"] or "", key])])
    header = "\n".join(f"{k}: {v}".rstrip() for k, v in fields)
    return f"{header}\n\n{body.strip()}\n"


def _agreed(versions: dict[str, dict], chosen: str, key: str) -> list[str]:
    def names(record: dict) -> list[str]:
        value = next((v for k, v in record["fields"] if k == key), "")
        return [n.strip() for n in value.split(",") if n.strip()]

    shown = names(versions[chosen])
    counts: dict[str, int] = {}
    for seed in sorted(versions):
        for name in dict.fromkeys(names(versions[seed])):
            counts[name] = counts.get(name, 0) + 1
    extra = [n for n, c in counts.items() if c >= _MIN_AGREEING and n not in shown]
    return shown + extra


def _set(fields: list[list[str]], key: str, value: str) -> str | None:
    """Set a field's value; returns the value it had (None when it was absent, then added)."""
    for field in fields:
        if field[0] == key:
            old, field[1] = field[1], value
            return old
    fields.append([key, value])
    return None


def _insert_after(fields: list[list[str]], after: str, field: list[str]) -> None:
    for index, (key, _) in enumerate(fields):
        if key == after:
            fields.insert(index + 1, field)
            return
    fields.append(field)


def _sortable(value: str | None) -> tuple:
    """Dates of any shape (a day, a naive or aware time) in one order; None last."""
    if not value:
        return (1, "")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            return (1, value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return (0, parsed.isoformat())


def _is_http(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _one_line(value: str) -> str:
    return " ".join(value.replace("|", "/").split()).replace("<", "&lt;").replace(">", "&gt;")
