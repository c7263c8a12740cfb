"""The glossary: terms and definitions from a TOML file, and linking a term's first use in HTML.

The file (by default `content/glossary.toml`) holds one `[[term]]` table per entry:

    [[term]]
    name = "Rare earth elements"
    aliases = ["rare earths", "rare-earth elements", "REEs"]
    definition = '''Seventeen metals ...'''   # Markdown

`link_first_uses()` links the first use of each term in an article's HTML to its entry. It never
touches headings, existing links, code or preformatted text; forms written in capitals
("G20", "UNIDO", "REO") match only in capitals, other forms in any case, with spaces and hyphens
interchangeable ("rare earth" = "rare-earth").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html import escape, unescape
from pathlib import Path

import markdown

from explainer.text.slugs import make_slug

SKIP_INSIDE = {
    "a", "code", "pre", "kbd", "samp", "script", "style", "abbr", "dfn", "button", "label",
    "h1", "h2", "h3", "h4", "h5", "h6", "svg", "math", "textarea", "title",
}  # fmt: skip


class GlossaryError(ValueError):
    """The glossary file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Term:
    slug: str
    name: str
    aliases: tuple[str, ...]
    definition: str  # HTML

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def other_names(self) -> tuple[str, ...]:
        """The aliases worth showing a reader: no mere singular/plural of a form already shown."""
        shown = [_key(self.name).rstrip("s")]
        names = []
        for alias in self.aliases:
            stem = _key(alias).rstrip("s")
            if stem not in shown:
                shown.append(stem)
                names.append(alias)
        return tuple(names)


def load_glossary(path: Path | str) -> tuple[Term, ...]:
    """Terms sorted by name; an empty glossary when the file does not exist."""
    path = Path(path)
    if not path.exists():
        return ()
    return _load(path.resolve(), path.stat().st_mtime_ns)


@cache
def _load(path: Path, _mtime: int) -> tuple[Term, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise GlossaryError(f"{path}: not valid TOML: {error}") from None
    entries = data.get("term", [])
    if not isinstance(entries, list):
        raise GlossaryError(f"{path}: expected [[term]] tables")
    terms: list[Term] = []
    seen_slugs: set[str] = set()
    seen_forms: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: term {number}"
        name = str(entry.get("name", "")).strip()
        definition = str(entry.get("definition", "")).strip()
        if not name or not definition:
            raise GlossaryError(f"{where}: every term needs a name and a definition")
        where = f"{path}: term {name!r}"
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise GlossaryError(f"{where}: aliases must be a list of strings")
        slug = str(entry.get("slug") or make_slug(name))
        if slug in seen_slugs:
            raise GlossaryError(f"{where}: slug {slug!r} is used twice")
        seen_slugs.add(slug)
        for form in (name, *aliases):
            key = _key(form)
            if key in seen_forms and seen_forms[key] != slug:
                raise GlossaryError(f"{where}: {form!r} is also a form of {seen_forms[key]!r}")
            seen_forms[key] = slug
        html = markdown.markdown(definition, extensions=["smarty"], output_format="html")
        terms.append(Term(slug, name, tuple(a.strip() for a in aliases if a.strip()), html))
    return tuple(sorted(terms, key=lambda t: t.name.casefold()))


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _key(form: str) -> str:
    """Case- and separator-insensitive key ("Rare-earth" == "rare earth")."""
    return " ".join(re.split(r"[\s\u00a0\-‐‑–]+", form.replace("’", "'").casefold().strip()))


def _pattern(form: str) -> str:
    words = [re.escape(w).replace("'", "['’]") for w in re.split(r"[\s\-]+", form.strip())]
    return r"(?<!\w)" + r"[\s\u00a0\-‐‑]+".join(words) + r"(?!\w)"


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Matcher:
    exact: re.Pattern | None  # acronyms, case-sensitive
    folded: re.Pattern | None  # everything else
    exact_terms: dict[str, Term]
    folded_terms: dict[str, Term]
    # Where a match can start: a form's first word (its first \w+ run; lower case for the
    # folded forms). None: a form starts with something else, so any position may match.
    exact_starts: frozenset[str] | None
    folded_starts: frozenset[str] | None
    # The same patterns cut down to the forms that begin with each start (see _by_start)
    exact_by_start: dict[str, re.Pattern] = field(default_factory=dict)
    folded_by_start: dict[str, re.Pattern] = field(default_factory=dict)

    @property
    def starts_at_words(self) -> bool:
        """Every form begins with a letter or digit (so a match starts where a word does)."""
        return self.exact_starts is not None and self.folded_starts is not None

    def find(self, text: str, start: int, skip: set[str]):
        """The earliest (then longest) match at or after `start` whose term is not in skip."""
        return self.pick(self.scan(text, start), start, skip)

    def scan(self, text: str, start: int = 0) -> tuple[list, list]:
        """Every match in `text` from `start` (each position's, as `search` steps through
        it), with its term, for the case-sensitive and the other forms."""
        found = []
        for pattern, lookup, key, starts, by_start, fold in (
            (self.exact, self.exact_terms, lambda s: s, self.exact_starts, self.exact_by_start,
             False),
            (self.folded, self.folded_terms, _key, self.folded_starts, self.folded_by_start,
             True),
        ):  # fmt: skip
            if pattern is None:
                found.append([])
                continue
            found.append(
                [(m, lookup.get(key(m.group(0))))
                 for m in self._matches(pattern, text, start, starts, by_start, fold)]
            )  # fmt: skip
        return found[0], found[1]

    @staticmethod
    def pick(scans, start: int, skip: set[str]):
        """Of the scanned matches at or after `start`, the earliest (then longest) whose term
        is not in skip: (match, term), or None."""
        best = None
        for found in scans:
            for match, term in found:
                if match.start() < start or term is None or term.slug in skip:
                    continue
                candidate = (match.start(), -(match.end() - match.start()), match, term)
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
                break
        return (best[2], best[3]) if best else None

    @staticmethod
    def _matches(
        pattern,
        text: str,
        start: int,
        starts: frozenset[str] | None,
        by_start: dict[str, re.Pattern],
        fold: bool,
    ):
        """Each position's match, in order: what `pattern.search` finds from `start`, then
        from one past each match. A match starts where a word does (every form starts with
        a letter or digit, after no other), so only words that begin some form are tried:
        a search with the whole pattern tries every alternative at every character, which
        made linking the costliest step of a build. At such a word only the forms that begin
        with it are tried (the others cannot match there)."""
        if starts is None:
            position = start
            while (match := pattern.search(text, position)) is not None:
                yield match
                position = match.start() + 1
            return
        scanned, scan_fold = text, fold
        if fold and _ascii(starts):
            lowered = text.lower()
            if len(lowered) == len(text) and not any(c in text for c in _PAIRED_LETTERS):
                scanned, scan_fold = lowered, False
        for word in _starts_pattern(starts, scan_fold).finditer(scanned, start):
            found = word.group(0)
            narrow = by_start.get(found.lower() if fold else found)
            match = (narrow or pattern).match(text, word.start())
            if match is not None:
                yield match


# Where case-insensitive matching pairs an ASCII letter with a letter that does not lower-case
# to it: dotless i with i, long s with s. A text without them whose lower case is as long as
# it (no İ) has its ASCII start words found in its lower case by a case-sensitive search,
# as IGNORECASE finds them in the text, in 40% of the time (the folded forms' scan was a
# third of reading an article).
_PAIRED_LETTERS = ("\u0131", "\u017f")


@cache
def _ascii(words: frozenset[str]) -> bool:
    return all(word.isascii() for word in words)


@cache
def _starts_pattern(starts: frozenset[str], fold: bool) -> re.Pattern:
    """Whole words that begin a form. One search for all of them skips the other words in C
    (case-insensitive matching pairs the same letters as the forms' own pattern does)."""
    words = "|".join(re.escape(w) for w in sorted(starts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE if fold else 0)


def _first_words(forms, fold: bool) -> frozenset[str] | None:
    """The words that begin a form (lower case if `fold`), or None when one begins with
    something else than a letter or digit."""
    words = [_first_word(form, fold) for form in forms]
    return None if None in words else frozenset(words)


def _first_word(form: str, fold: bool) -> str | None:
    """The form's first run of letters and digits (lower case if `fold`), or None when it
    begins with something else."""
    first = _WORD.match(form.strip())
    if first is None:
        return None
    return first.group(0).lower() if fold else first.group(0)


_MATCHERS: dict[tuple, _Matcher] = {}


def _matcher(terms: tuple[Term, ...]) -> _Matcher:
    """The matcher for a glossary (made once per glossary: every article uses the same)."""
    found = _MATCHERS.get(terms)
    if found is None:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        found = _MATCHERS[terms] = _make_matcher(terms)
    return found


def _make_matcher(terms: tuple[Term, ...]) -> _Matcher:
    exact: dict[str, Term] = {}
    folded: dict[str, Term] = {}
    for term in terms:
        for form in term.forms:
            if _is_acronym(form):
                exact[form] = term
            else:
                folded[_key(form)] = term

    def compile_(forms, flags):
        if not forms:
            return None
        ordered = sorted(forms, key=len, reverse=True)
        return re.compile("|".join(_pattern(f) for f in ordered), flags)

    exact_forms = list(exact)
    folded_forms = [f for t in terms for f in t.forms if not _is_acronym(f)]
    return _Matcher(
        exact=compile_(exact_forms, 0),
        folded=compile_(folded_forms, re.IGNORECASE),
        exact_terms={k: v for k, v in exact.items()},
        folded_terms=folded,
        exact_starts=_first_words(exact_forms, fold=False),
        folded_starts=_first_words(folded_forms, fold=True),
        exact_by_start=_by_start(sorted(exact_forms, key=len, reverse=True), 0),
        folded_by_start=_by_start(sorted(folded_forms, key=len, reverse=True), re.IGNORECASE),
    )


def _by_start(ordered: list[str], flags: int) -> dict[str, re.Pattern]:
    """For each word that begins a form (lower case with IGNORECASE), the pattern of the
    forms in `ordered` (the whole pattern's order) that begin with it: at a whole word,
    `pattern.match` can only match such a form, so it picks what the whole pattern picks.
    Only ASCII words: case-insensitive matching pairs some ASCII letters with others (the
    Kelvin sign and K, long s and s), so a form beginning with one goes in every list."""
    fold = bool(flags & re.IGNORECASE)
    first: list[str | None] = []
    for form in ordered:
        word = _first_word(form, fold)
        if word is None:
            return {}
        first.append(word if word.isascii() else None)
    forms = list(zip(ordered, first, strict=True))
    return {
        start: re.compile("|".join(_pattern(f) for f, w in forms if w in (start, None)), flags)
        for start in {w for w in first if w is not None}
    }


def link_first_uses(
    html: str, terms: tuple[Term, ...], href: Callable[[Term], str], css_class: str = "term"
) -> tuple[str, list[str]]:
    """Link the first use of each term; returns the new HTML and the slugs that were linked.

    The HTML is tokenised, not parsed into a tree: text outside the skipped elements is
    searched, and only a run of text that gains a link is written anew, so the rest of the
    markup comes out exactly as it went in (a tree parse and re-serialisation was the
    costliest step of making an article)."""
    if not terms or not html:
        return html, []
    matcher = _matcher(terms)
    linked: list[str] = []
    out: list[str] = []
    skipped: dict[str, int] = {}  # open skipped elements, by name
    position = 0
    for token in _TOKEN.finditer(html):
        if token.start() < position:  # inside a raw-text element's content, already copied
            continue
        if token.start() > position:
            text = html[position : token.start()]
            out.append(_link_text(text, skipped, matcher, linked, href, css_class))
        out.append(token.group(0))
        position = _after_tag(token, html, skipped, out)
    if position < len(html):
        out.append(_link_text(html[position:], skipped, matcher, linked, href, css_class))
    if not linked:
        return html, []
    return "".join(out), linked


def _after_tag(token: re.Match[str], html: str, skipped: dict[str, int], out: list[str]) -> int:
    """Track the skipped elements a tag opens or closes; returns where the text after it
    starts (past a raw-text element's content, which is copied to `out` as it is)."""
    position = token.end()
    name = (token.group("name") or "").lower()
    if name not in SKIP_INSIDE:
        return position
    if token.group("close"):
        if skipped.get(name):
            skipped[name] -= 1
    elif not token.group(0).endswith("/>"):
        if name in _RAW_TEXT:  # its content is text up to its end tag, never markup
            closing = re.compile(rf"</{name}[\s/>]", re.IGNORECASE).search(html, position)
            stop = closing.start() if closing else len(html)
            out.append(html[position:stop])
            return stop
        skipped[name] = skipped.get(name, 0) + 1
    return position


# A tag, comment, doctype or processing instruction; what lies between them is text.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|$)|<![^>]*>|<\?[^>]*>"
    r"|<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]*)"
    r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?|\s*/)*\s*>""",
    re.DOTALL,
)
_RAW_TEXT = {"script", "style", "textarea", "title"}


def _link_text(
    raw: str,
    skipped: dict[str, int],
    matcher: _Matcher,
    linked: list[str],
    href: Callable[[Term], str],
    css_class: str,
) -> str:
    """A run of text (entities and all), with the first use of each term not linked yet
    made a link, unless the run sits inside a skipped element."""
    if any(skipped.values()):
        return raw
    text = unescape(raw)
    scans = matcher.scan(text)
    if not (scans[0] or scans[1]):
        return raw
    pieces: list[str] = []
    offset = 0
    # After a link the rest is searched from where the link ended, which is the same as
    # searching the rest on its own: no match can start right there, as every match ends
    # before a character that cannot begin a form (unless a form begins with punctuation:
    # then the rest is scanned anew).
    while True:
        found = matcher.pick(scans, offset, set(linked))
        if not found:
            break
        match, term = found
        pieces.append(escape(text[offset : match.start()], quote=False))
        pieces.append(
            f'<a href="{escape(href(term))}" class="{escape(css_class)}">'
            f"{escape(match.group(0), quote=False)}</a>"
        )
        linked.append(term.slug)
        offset = match.end()
        if offset >= len(text):
            break
        if not matcher.starts_at_words:
            text, offset = text[offset:], 0
            scans = matcher.scan(text)
    if not pieces:
        return raw
    pieces.append(escape(text[offset:], quote=False))
    return "".join(pieces)
