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
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import markdown
from bs4 import BeautifulSoup, NavigableString
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from explainer.slugs import make_slug

SKIP_INSIDE = {
    "a", "code", "pre", "kbd", "samp", "script", "style", "abbr", "dfn", "button", "label",
    "h1", "h2", "h3", "h4", "h5", "h6", "svg", "math", "textarea", "title",
}  # fmt: skip
NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)


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
        for pattern, lookup, key, starts, fold in (
            (self.exact, self.exact_terms, lambda s: s, self.exact_starts, False),
            (self.folded, self.folded_terms, _key, self.folded_starts, True),
        ):
            if pattern is None:
                found.append([])
                continue
            found.append(
                [(m, lookup.get(key(m.group(0))))
                 for m in self._matches(pattern, text, start, starts, fold)]
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
    def _matches(pattern, text: str, start: int, starts: frozenset[str] | None, fold: bool):
        """Each position's match, in order: what `pattern.search` finds from `start`, then
        from one past each match. A match starts where a word does (every form starts with
        a letter or digit, after no other), so only words that begin some form are tried:
        a search with the whole pattern tries every alternative at every character, which
        made linking the costliest step of a build."""
        if starts is None:
            position = start
            while (match := pattern.search(text, position)) is not None:
                yield match
                position = match.start() + 1
            return
        # Case-insensitive matching also pairs a few non-ASCII letters with ASCII ones
        # (dotless i, long s, the Kelvin sign): words with those are always tried.
        tail = text[start:] if start else text
        if tail.isascii() and starts.isdisjoint(_WORD.findall(tail.lower() if fold else tail)):
            return  # no word here begins a form (most text)
        for word in _WORD.finditer(text, start):
            token = word.group(0)
            if fold:
                if token.lower() not in starts and token.isascii():
                    continue
            elif token not in starts:
                continue
            match = pattern.match(text, word.start())
            if match is not None:
                yield match


def _first_words(forms, fold: bool) -> frozenset[str] | None:
    """The words that begin a form (lower case if `fold`), or None when one begins with
    something else than a letter or digit."""
    words = set()
    for form in forms:
        first = _WORD.match(form.strip())
        if first is None:
            return None
        words.add(first.group(0).lower() if fold else first.group(0))
    return frozenset(words)


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
    )


def link_first_uses(
    html: str, terms: tuple[Term, ...], href: Callable[[Term], str], css_class: str = "term"
) -> tuple[str, list[str]]:
    """Link the first use of each term; returns the new HTML and the slugs that were linked."""
    if not terms or not html:
        return html, []
    matcher = _matcher(terms)
    soup = BeautifulSoup(html, "html.parser")
    linked: list[str] = []
    for node in list(soup.find_all(string=True)):
        if isinstance(node, NOT_TEXT) or _inside_skipped(node):
            continue
        # The node's matches are found once; after a link the rest of the node is searched
        # from where the link ended, which is the same as searching the rest on its own: no
        # match can start right there, as every match ends before a character that cannot
        # begin a form (unless a form begins with punctuation: then the rest is searched anew).
        text = str(node)
        scans = matcher.scan(text)
        if not (scans[0] or scans[1]):
            continue
        current, offset = node, 0
        while True:
            found = matcher.pick(scans, offset, set(linked))
            if not found:
                break
            match, term = found
            anchor = soup.new_tag("a", href=href(term), attrs={"class": css_class})
            anchor.string = match.group(0)
            before, after = text[offset : match.start()], text[match.end() :]
            rest = NavigableString(after)
            current.replace_with(*(x for x in (NavigableString(before), anchor, rest) if x))
            linked.append(term.slug)
            if not after:
                break
            current, offset = rest, match.end()
            if not matcher.starts_at_words:
                text, offset = after, 0
                scans = matcher.scan(text)
    if not linked:
        return html, []
    return str(soup), linked


def _inside_skipped(node) -> bool:
    return any(parent.name in SKIP_INSIDE for parent in node.parents)
