"""`Split: seed-name` in a story's article: the author says a merged seed is another story.

What the author wrote wins: a `Split:` line (one or more seed file names, comma-separated, as
the article's `Reported-By` lines end or as its `Source` says) takes those seeds out of the
story on the next `explainer ingest`, as `explainer ingest --split SEED` does. Ingestion then
removes the line again: when it was the only edit, the article is ingestion's own once more
and is written again without the seeds split off (and, when the text shown was one of them,
with the next fullest version's text); when the author edited more, the article stays as
written.
"""

from __future__ import annotations

from explainer.text.front_matter import META_LINE, split_front_matter

SPLIT = "Split"


def split_requests(article: str) -> list[str]:
    """The seed names the article's `Split:` lines ask to split off, in order."""
    header, _ = split_front_matter(article)
    names: list[str] = []
    for line in header:
        match = META_LINE.match(line)
        if match and match.group("key").lower() == SPLIT.lower():
            names.extend(n.strip() for n in match.group("value").split(",") if n.strip())
    return list(dict.fromkeys(names))


def without_split_lines(article: str) -> str:
    """The article with its `Split:` lines taken out (nothing else changed)."""
    header, _ = split_front_matter(article)
    drop = {
        line
        for line in header
        if (match := META_LINE.match(line)) and match.group("key").lower() == SPLIT.lower()
    }
    if not drop:
        return article
    lines = article.split("\n")
    end = next((n for n, line in enumerate(lines) if not line.strip()), len(lines))
    return "\n".join([line for line in lines[:end] if line not in drop] + lines[end:])
