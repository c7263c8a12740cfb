"""Pelican settings for publishing: absolute URLs from SITEURL, feeds on.

SITEURL comes from the environment (e.g. SITEURL=https://example.org/minerals), so the same
build works at a domain root or under a subpath.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL:
    raise SystemExit(
        "publishconf.py: set SITEURL to the address the site will live at, "
        "e.g. SITEURL=https://example.org/minerals"
    )
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
COUNTRY_FEED_ATOM = "feeds/countries/{slug}.atom.xml"
MINERAL_FEED_ATOM = "feeds/minerals/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tags/{slug}.atom.xml"

DELETE_OUTPUT_DIRECTORY = True
