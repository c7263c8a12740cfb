"""Vanilla Pelican for the benchmark: what `pelican-quickstart` writes for a dev site.

Default theme, no plugins, pagination on (10 per page, the quickstart's answer), feeds off in
development, relative URLs as in our own live preview. PATH comes from the command line.
"""

AUTHOR = "Explainer desk"
SITENAME = "Critical Minerals Explained"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]

# Feed generation is usually not desired when developing
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = 10
RELATIVE_URLS = True
