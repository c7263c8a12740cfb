"""Settings the project's plugins add, each with its default."""

from __future__ import annotations


def set_defaults(settings: dict, defaults: dict) -> None:
    """Give `settings` each of a plugin's `defaults` that the settings files left unset
    (call it from the plugin's `initialized` handler)."""
    for key, value in defaults.items():
        settings.setdefault(key, value)
