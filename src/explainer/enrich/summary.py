"""Extractive summary: the article's lead, one or two whole sentences, about 300 characters."""

from __future__ import annotations

from explainer.text.markdown_text import markdown_paragraphs
from explainer.text.sentences import split_sentences

MAX_CHARS = 300
_MIN_CHARS = 40  # shorter "sentences" are usually captions, bylines or fragments
_LEAD_PARAGRAPHS = 3


def summarise(body_markdown: str, lang: str | None = None, max_chars: int = MAX_CHARS) -> str:
    """One or two whole sentences from the start of the article, in its own language
    (`lang`: "fr", "de"...); never cut mid-sentence."""
    sentences = [
        s
        for p in markdown_paragraphs(body_markdown)[:_LEAD_PARAGRAPHS]
        for s in split_sentences(p, lang)
    ]
    if not sentences:
        return ""
    usable = [i for i, s in enumerate(sentences) if _is_usable(s)]
    if not usable:
        return sentences[0]
    fitting = [i for i in usable if len(sentences[i]) <= max_chars]
    if not fitting:
        # Every lead sentence is long: a whole long sentence beats a cut one.
        return min((sentences[i] for i in usable[:3]), key=len)
    first = fitting[0]
    summary = sentences[first]
    if first + 1 < len(sentences) and _is_usable(sentences[first + 1]):
        joined = f"{summary} {sentences[first + 1]}"
        if len(joined) <= max_chars:
            summary = joined
    return summary


def _is_usable(sentence: str) -> bool:
    return len(sentence) >= _MIN_CHARS and not sentence.endswith(("?", ":"))
