"""Explainer microsite generator: news seeds in, a plain-HTML topic site (built by Pelican) out."""

__version__ = "0.1.0"
