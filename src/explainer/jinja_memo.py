"""`{% memo key, ... %}...{% endmemo %}`: render a template fragment once per distinct key.

An article's card appears on the index, its tag pages and its country and mineral pages; at
5,000 articles that is ~40,000 cards rendered from ~5,000 distinct ones. The theme wraps the
card in a memo keyed on everything the card reads (the article, its heading level, the
page's depth for relative links), so each distinct card is rendered once per build.

Keys are fingerprinted by value (explainer.incremental.fingerprint), so two different article
objects with the same content share a card, and a changed article never reuses a stale one.
The cache lives on the Jinja environment, which Pelican creates anew for every build.
List every variable the fragment reads in its key: that is the fragment's contract.
"""

from __future__ import annotations

from jinja2 import nodes
from jinja2.ext import Extension


class MemoExtension(Extension):
    tags = frozenset({"memo"})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        call = self.call_method("_render", [where, nodes.List(keys)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, where: str, keys: list, caller) -> str:
        from explainer.incremental import fingerprint

        env = self.environment
        fingerprinter = fingerprint.shared()
        state = getattr(env, "_explainer_memo", None)
        if state is None or state[1] is not fingerprinter:
            state = env._explainer_memo = ({}, fingerprinter)
        cache = state[0]
        key = (where, fingerprinter.of(keys))
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = caller()
        return hit
