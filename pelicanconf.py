"""Pelican settings for local builds and the live preview (relative URLs, no feeds)."""

import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "src"))  # the project's own plugins, even without install

AUTHOR = "Explainer desk"
SITENAME = "Critical Minerals Explained"
SITESUBTITLE = "Who mines, processes and needs the minerals behind batteries, magnets and chips."
SITEURL = ""
PATH = "content"
THEME = os.path.join(ROOT, "theme")
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# Pelican's convention: every Markdown file under content/ is an article (subfolders allowed),
# except pages (content/pages/), topic introductions (content/topics/), the home page's
# introduction (home.md) and static files. Ingestion writes to content/articles/.
ARTICLE_PATHS = [""]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
# A file named home.md is the home page's introduction (HOME_INTRO_PATH), not an article.
IGNORE_FILES = ["**/.*", "home.md"]
# Saved pages (.html) belong in seeds/, which ingestion reads; in content/ they are not read
# (explainer.site.plugins.content_files names them in one warning).
READERS = {"html": None, "htm": None}
# Output entries the build does not own, so it never deletes them: the search index, which
# Pagefind makes from the finished site after each build (explainer/site/search_index.py), and the
# folders it uses while replacing it. Until a new index is complete the old one serves.
OUTPUT_RETENTION = ["pagefind", ".pagefind-new", ".pagefind-old"]
ARTICLE_EXCLUDES = ["pages", "topics", "images", "extra"]
PAGE_EXCLUDES = ["topics", "articles"]

PLUGINS = [
    # broken content files stop the build before anything is read
    "explainer.site.plugins.validate",
    # files in content/ that the build will not use are named, with where they belong
    "explainer.site.plugins.content_files",
    # incremental, parallel builds (it wraps the readers)
    "explainer.site.plugins.incremental_build",
    "explainer.site.plugins.enrich_articles",
    "explainer.site.plugins.topics",
    "explainer.site.plugins.related",
    "explainer.site.plugins.key_facts",
    "explainer.site.plugins.maps",
    "explainer.site.plugins.home",
    "explainer.site.plugins.glossary_page",
    "explainer.site.plugins.timeline",
    "explainer.site.plugins.article_nav",
    "explainer.site.plugins.structured_data",
    # m.url(path) in the theme
    "explainer.site.plugins.page_links",
    "explainer.site.plugins.sitemap",
    # old addresses of articles and pages that moved get a redirect page
    "explainer.site.plugins.redirects",
    "explainer.site.plugins.minify_css",
]

# Sourced facts (explainer/data/facts/) on topic pages and the home page; see README.
FACTS_TOP_RANK = 5  # a country page lists the minerals where it ranks this high or better
FACTS_CHART_BARS = 6  # countries in a mineral's bar chart
HOME_KEY_NUMBERS = (
    ("share", "CN", "rare-earths"),
    ("share", "CN", "graphite"),
    ("share", "CN", "gallium"),
    ("share", "CD", "cobalt"),
    ("leader", "CN"),
)
GLOSSARY_PATH = "glossary.toml"  # in content/; the first use of a term in an article links to it
GLOSSARY_SAVE_AS = "glossary/index.html"
TIMELINE_SAVE_AS = "timeline/index.html"

# Pretty URLs: every page is a folder with an index.html.
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
# An article in another language (an ingested page's <html lang>) keeps the same URL scheme;
# slugs are unique, so the language needs no place in the path.
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
DIRECT_TEMPLATES = ["index", "tags", "archives", "search", "404"]
SEARCH_URL = "search/"  # Pagefind search (see explainer/site/search_index.py); works without JS too
SEARCH_SAVE_AS = "search/index.html"
# "404" is saved as 404.html, which static hosts (and the live preview) serve for a missing page.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DEFAULT_CATEGORY = "Articles"
# Pelican only gives articles DEFAULT_CATEGORY when category pages are written, and writing a
# draft (Status: draft) needs a category: without this a draft stops the build.
DEFAULT_METADATA = {"category": DEFAULT_CATEGORY}
# A subfolder of content/ sets its articles' category (content/news/x.md: "news"), as
# Pelican's USE_FOLDER_AS_CATEGORY does; content/articles/ and the top level keep the default.
# (USE_FOLDER_AS_CATEGORY itself only works when category pages are written.)
USE_FOLDER_AS_CATEGORY = False
PATH_METADATA = r"(?!articles/|\./)(?P<category>[^/]+)/.+"

COUNTRY_URL = "countries/{slug}/"
COUNTRY_SAVE_AS = "countries/{slug}/index.html"
MINERAL_URL = "minerals/{slug}/"
MINERAL_SAVE_AS = "minerals/{slug}/index.html"

DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
SUMMARY_MAX_LENGTH = 60

# The image shared links show (Open Graph / Twitter), published builds only; made by
# tools/social_card/render.py.
SOCIAL_IMAGE = "theme/social-card.png"
SOCIAL_IMAGE_ALT = "Critical Minerals Explained: who mines, processes and needs critical minerals"

# Feeds are for the published site (publishconf.py).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
COUNTRY_FEED_ATOM = None
MINERAL_FEED_ATOM = None

RELATIVE_URLS = True
DISPLAY_PAGES_ON_MENU = True
DISPLAY_CATEGORIES_ON_MENU = False
MENUITEMS = ()

JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    # {% memo %}: the theme renders each article card once per build (explainer/site/jinja_memo.py)
    "extensions": ["explainer.site.jinja_memo.MemoExtension"],
}

# Every page carries this Content-Security-Policy (a <meta> tag, so it holds on any static
# host): script, styles, images and connections from the site's own origin only, no inline
# script or style, no plugins or frames. Pagefind's search runs WebAssembly, hence
# 'wasm-unsafe-eval' (it allows no JavaScript eval). Images in an ingested page that live on
# another site show their alt text; add their origin to img-src to allow them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

# Markdown is CommonMark with tables, footnotes, smart punctuation and heading ids (fast, in C);
# a file using Python-Markdown's own extensions ({: .class}, abbreviations, definition lists)
# is read by Python-Markdown with the MARKDOWN settings below. "python-markdown" reads all
# files that way.
MARKDOWN_ENGINE = "commonmark"
MARKDOWN = {
    "extension_configs": {
        # Table alignment as align="..." rather than inline style="...", which the CSP blocks.
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
