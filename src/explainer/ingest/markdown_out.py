"""An enriched Article -> a Pelican Markdown file (metadata header, blank line, body)."""

from __future__ import annotations

from explainer.ingest.author_names import author_name
from explainer.model import Article, Tags, iso_date
from explainer.text.markdown_text import escape_markdown


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _safe_plain(value: str) -> str:
    # Pelican prints titles unescaped: keep seed text from becoming markup.
    return _one_line(value).replace("<", "&lt;").replace(">", "&gt;")


def _list(values: list[str]) -> str:
    return ", ".join(_one_line(v).replace(",", " ") for v in values)


def focus_names(tags: Tags) -> list[str]:
    """The salient countries and minerals: what the `Focus:` metadata line lists."""
    return [t.name for t in [*tags.countries, *tags.minerals] if t.salient]


def render_markdown(article: Article, slug: str) -> str:
    seed, tags = article.seed, article.tags
    fields: list[tuple[str, str]] = [("Title", _safe_plain(seed.title))]
    date = iso_date(seed.date)
    if date:
        fields.append(("Date", date))
        if seed.meta.get("date_source"):
            fields.append(("Date-Source", _safe_plain(seed.meta["date_source"])))
    fields.append(("Slug", slug))
    if article.summary:
        fields.append(("Summary", escape_markdown(_one_line(article.summary))))
    fields.append(("Countries", _list([c.name for c in tags.countries])))
    fields.append(("Minerals", _list([m.name for m in tags.minerals])))
    fields.append(("Focus", _list(focus_names(tags))))
    fields.append(("Organisations", _list(tags.organisations)))
    if tags.plain_tags:
        fields.append(("Tags", _list(tags.plain_tags)))
    if seed.meta.get("author"):
        fields.append(("Author", _safe_plain(author_name(seed.meta["author"]))))
    if article.lang:
        fields.append(("Lang", _safe_plain(article.lang)))
    fields.append(("Source", _safe_plain(seed.source)))
    header = "\n".join(f"{key}: {value}".rstrip() for key, value in fields)
    return f"{header}\n\n{seed.body.strip()}\n"
