"""Helpers shared by the tests (import them from here; tests never import conftest or each
other). Fixtures stay in conftest.py and use these."""
