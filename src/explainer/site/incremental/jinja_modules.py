"""Imports `with context` evaluated once per distinct set of the values they read.

`{% import 'partials/macros.html' as m with context %}` re-runs the imported template for
every include that says it: six or more times per page in our theme. The module it makes
depends only on the variables that template (and what it includes) reads, so when an import
sees exactly the same values (by identity) as an earlier one, the earlier module is returned.
A template that names its includes at run time is never cached.
"""

from __future__ import annotations

from jinja2 import Template
from jinja2.utils import missing

from explainer.site.incremental import fingerprint

_MISSING = object()


class ModuleCachingTemplate(Template):
    def make_module(self, vars=None, shared=False, locals=None):
        if vars is None:
            return super().make_module(vars, shared, locals)
        names = self.__dict__.get("_explainer_names", _MISSING)
        if names is _MISSING:
            info = fingerprint.template_info(self.environment, self, {})
            names = self._explainer_names = (
                None if info.names is None else tuple(sorted(info.names))
            )
        if names is None:
            return super().make_module(vars, shared, locals)
        # An import `with context` also passes the importer's local variables (every `set` of
        # the including template): only those the imported template reads can change it.
        own = locals or {}
        values = tuple(
            own[name] if own.get(name, missing) is not missing else vars.get(name, _MISSING)
            for name in names
        )
        key = (shared, tuple(map(id, values)))
        # Repeats come from the includes of one page: a few recent modules are enough, and
        # keeping more would keep every page's context alive.
        cache = self.__dict__.setdefault("_explainer_modules", {})
        hit = cache.get(key)
        if hit is not None:
            return hit[0]
        module = super().make_module(vars, shared, locals)
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[key] = (module, values)  # keeps the values alive: ids stay unique
        return module


def install(env) -> None:
    """Use for every template this environment loads from now on."""
    env.template_class = ModuleCachingTemplate
