"""The Pelican build: project layout and build entry points (`build`), the Pelican plugins
(`plugins/`), the incremental engine (`incremental/`), the data behind topic pages (facts,
glossary, world map), the search index, and the one module that touches Pelican's and Jinja's
internals (`pelican_seams`)."""
