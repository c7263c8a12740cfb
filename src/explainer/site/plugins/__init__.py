"""The project's Pelican plugins, one focused module each (list them in PLUGINS)."""
