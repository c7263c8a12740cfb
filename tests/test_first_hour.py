"""A new user's first hour (issue 14): content where Pelican users put it, addresses that
follow their article, one-line errors, nothing shown twice, each warning said once.

Each test works in a temporary copy of the project, through the commands a user types
(`invoke build`, `invoke livereload`, `explainer`). The live-preview and search ones drive
Chromium (tests/test_first_hour_browser.py)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pelican
import pytest
from support.built_pages import page
from support.project import REPO, SEED_SLUG, copy_project

from explainer.ingest.author_names import author_name
from explainer.site.external_images import external_images_as_links
from explainer.site.plugins.content_files import unused_files
from explainer.site.plugins.sitemap import warn_robots_under_subpath
from explainer.text.lead_text import is_opening, smart_quotes

PELICAN_TEST_CONTENT = Path(pelican.__file__).parent / "tests" / "content"
# Pelican's own Markdown test articles that are published (Title and Date, no draft status).
PELICAN_ARTICLES = {
    "article_with_md_extension.md": "test-md-file",
    "article_with_markdown_and_footnote.md": "article-with-markdown-containing-footnotes",
    "article_with_markdown_and_nonascii_summary.md": (
        "python-virtualenv-on-mac-osx-mountain-lion-10.8"
    ),
    "article_with_duplicate_tags_authors.md": "test-metadata-duplicates",
    "article_with_markdown_and_summary_metadata_single.md": (
        "article-with-markdown-and-summary-metadata-single"
    ),
}
CSP = "default-src 'self'; img-src 'self' data:"


def invoke(root: Path, *args: str, env: dict | None = None, check: bool = True):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def explainer(*args: str, cwd: Path = REPO):
    command = [sys.executable, "-m", "explainer.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- fast: the pieces -------------------------------------------------------------------


def test_author_names_lose_their_datelines():
    assert author_name("Patrick Ilunga in Kinshasa") == "Patrick Ilunga"
    assert author_name("By Jane Doe reporting from São Paulo") == "Jane Doe"
    assert author_name("Ana Lima and Jo Park in Lima") == "Ana Lima and Jo Park"
    assert author_name("Maria in der Au") == "Maria in der Au"  # a name, not a dateline
    assert author_name("JANE SMITH, Associated Press") == "JANE SMITH, Associated Press"


def test_a_summary_that_opens_the_body_is_recognised_and_quotes_are_typographic():
    body = "<p>China said “friendly nations” would benefit, officials said.</p><p>More.</p>"
    assert is_opening('<p>China said "friendly nations" would benefit…</p>', body)
    assert not is_opening("<p>A standfirst written apart from the body text.</p>", body)
    assert smart_quotes('He said "yes." It\'s \'odd\'') == "He said “yes.” It’s ‘odd’"


def test_the_opening_is_recognised_however_much_markup_it_carries():
    """Only the body's opening is compared (an article page asks this of its whole body):
    links with long addresses, entities and a long rest must not change the answer."""
    words = [f"word{n}" for n in range(60)]
    linked = " ".join(
        f'<a href="https://example.org/{"x" * 300}/{w}" title="a b &amp; c">{w}</a>'
        if n % 3 == 0
        else w
        for n, w in enumerate(words)
    )
    body = f"<p>{linked} &amp; more.</p>" + "<p>The rest of the story goes on.</p>" * 500
    summary = "<p>" + " ".join(words) + " &amp; more…</p>"
    assert is_opening(summary, body)
    assert not is_opening(summary.replace("word59", "word58"), body)
    assert is_opening(" ".join(words[:10]), body)


def test_an_image_the_policy_blocks_becomes_a_link_with_its_alt_text():
    markup = '<p><img src="https://cdn.example.com/m.jpg" alt="Miners at Kolwezi" /></p>'
    linked = external_images_as_links(markup, CSP)
    assert "<img" not in linked
    assert '<a class="external-image" href="https://cdn.example.com/m.jpg"' in linked
    assert "Image: Miners at Kolwezi" in linked
    assert external_images_as_links('<img src="../x.png" alt="">', CSP).startswith("<img")
    allowed = external_images_as_links(markup, CSP + " https:")
    assert allowed == markup


def test_files_the_build_will_not_use_are_listed(tmp_path):
    content = tmp_path / "content"
    for name in ("a.md", "news/b.md", "articles/c.txt", "articles/d.html", "pages/e.md",
                 "images/f.png", "glossary.toml", "home.md", ".ingest-manifest.json"):  # fmt: skip
        write(content / name, "x")
    settings = {"PATH": str(content), "STATIC_PATHS": ["images", "extra"]}
    assert unused_files(settings, ["md", "markdown"]) == ["articles/c.txt", "articles/d.html"]


def test_robots_under_a_subpath_is_explained():
    assert warn_robots_under_subpath("https://example.org", "robots.txt", "sitemap.xml") is None
    message = warn_robots_under_subpath("https://example.org/sub", "robots.txt", "sitemap.xml")
    assert "https://example.org/robots.txt" in message
    assert "Sitemap: https://example.org/sub/sitemap.xml" in message


def test_explainer_alone_prints_help_and_succeeds_and_has_a_version():
    bare = explainer()
    assert bare.returncode == 0 and "usage: explainer" in bare.stdout and "ingest" in bare.stdout
    version = explainer("--version")
    assert version.returncode == 0 and version.stdout.startswith("explainer ")
    helped = explainer("--help")
    assert helped.returncode == 0 and "extract" in helped.stdout
    wrong = explainer("--bogus")
    assert wrong.returncode == 2 and "unrecognized arguments: --bogus" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_invoke_lists_every_task_in_whole_phrases_and_helps_every_option():
    listed = invoke(REPO, "--list").stdout
    entries: list[list[str]] = []
    for line in listed.splitlines()[2:]:
        if line.startswith("  ") and not line.startswith("   "):
            entries.append(line.split())
        elif line.strip() and entries:
            entries[-1] += line.split()
    tasks = [entry[0] for entry in entries]
    assert {"build", "livereload", "gates", "gh-pages", "publish", "preview"} <= set(tasks)
    # Each task's line is its whole first sentence: it ends with a full stop.
    for entry in entries:
        assert " ".join(entry).endswith("."), f"cut mid-phrase: {' '.join(entry)!r}"
    for task in tasks:
        shown = invoke(REPO, "--help", task).stdout
        for line in shown.split("Options:", 1)[-1].strip().splitlines():
            if line.strip().startswith("-"):
                flag, _, text = line.strip().partition("  ")
                assert text.strip(), f"invoke {task}: {flag} has no help"


def test_a_busy_port_is_one_line_before_any_build(tmp_path):
    root = copy_project(tmp_path / "site")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke(root, "livereload", "--port", str(port), check=False)
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert lines == [
        f"livereload: port {port} is already in use (another preview?); stop that program "
        f"or choose another port: invoke livereload --port {port + 1}"
    ]
    assert not (root / "output").exists()  # nothing was built
    wrong = invoke(root, "livereload", "--port", "eighty", check=False)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "not a port number" in wrong.stderr


def test_publishing_commands_without_siteurl_say_so_in_one_line(tmp_path):
    root = copy_project(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k not in ("SITEURL", "PUBLISH_TARGET")}
    for task in ("gh-pages", "publish"):
        result = subprocess.run(
            [sys.executable, "-m", "invoke", task], cwd=root, capture_output=True, text=True,
            env=env, timeout=120,
        )  # fmt: skip
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "SITEURL" in result.stderr
    unknown = invoke(root, "build", "--bogus", check=False)
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr + unknown.stdout


# --- slow: whole builds -----------------------------------------------------------------

PELICAN_STYLE = {
    "content/zambia-copper.md": (
        "Title: Zambia copper output rises\nDate: 2026-03-01\n\n"
        "Zambia produced more copper in 2025, the mines ministry said on Monday.\n"
    ),
    "content/news/bolivia-lithium.md": (
        "Title: Bolivia opens lithium tender\nDate: 2026-03-02\n\n"
        "Bolivia invited bids for lithium extraction in the Uyuni salt flat.\n"
    ),
}


QUOTES = (
    "Title: Chile hails a lithium deal\nDate: 2026-03-05\n\n"
    'The minister called it "a historic day" for Chile\'s lithium miners, officials said.\n\n'
    "The deal runs to 2060.\n"
)


@pytest.fixture(scope="module")
def user_site(tmp_path_factory):
    """The project with content put where Pelican users put it, built by `invoke build`."""
    root = copy_project(tmp_path_factory.mktemp("first-hour") / "site")
    for relative, text in PELICAN_STYLE.items():
        write(root / relative, text)
    peer = root / "content" / "peer"
    peer.mkdir()
    for name in PELICAN_ARTICLES:
        shutil.copy2(PELICAN_TEST_CONTENT / name, peer / name)
    write(root / "content" / "articles" / "notes.txt", "Cobalt prices fell.\n")
    write(root / "content" / "articles" / "saved.html", "<html><body>Saved</body></html>\n")
    write(root / "content" / "articles" / "quotes.md", QUOTES)
    result = invoke(root, "build")
    return root, result.stdout + result.stderr


@pytest.mark.slow
def test_every_markdown_file_under_content_is_an_article(user_site):
    root, _log = user_site
    output = root / "output"
    for slug in ("zambia-copper-output-rises", "bolivia-opens-lithium-tender", SEED_SLUG):
        assert (output / "articles" / slug / "index.html").is_file(), slug
    for slug in PELICAN_ARTICLES.values():
        assert (output / "articles" / slug / "index.html").is_file(), slug
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "Zambia copper output rises" in home and "Bolivia opens lithium tender" in home
    # A subfolder sets the category (as Pelican's USE_FOLDER_AS_CATEGORY does).
    sections = {}
    for slug in ("bolivia-opens-lithium-tender", "zambia-copper-output-rises", SEED_SLUG):
        ld = page(output, f"articles/{slug}/").select_one("script[type='application/ld+json']")
        sections[slug] = json.loads(ld.string).get("articleSection")
    assert sections == {
        "bolivia-opens-lithium-tender": "news", "zambia-copper-output-rises": None, SEED_SLUG: None
    }
    # Pages, topic introductions and the home page's introduction stay what they were.
    assert not (output / "articles" / "about").exists()
    assert (output / "about" / "index.html").is_file()


@pytest.mark.slow
def test_files_the_build_will_not_use_are_named_once_with_where_they_belong(user_site):
    _root, log = user_site
    lines = [line for line in log.splitlines() if "not used by the build" in line]
    assert len(lines) == 1, log
    assert "content/articles/notes.txt" in lines[0] and "content/articles/saved.html" in lines[0]
    assert "belong in seeds/" in lines[0]
    assert "could not find information about 'date'" not in log


@pytest.mark.slow
def test_the_unused_files_warning_is_said_again_only_when_the_list_changes(tmp_path):
    root = copy_project(tmp_path / "site")
    write(root / "content" / "articles" / "notes.txt", "Cobalt prices fell.\n")
    first = invoke(root, "build")
    assert "not used by the build: content/articles/notes.txt" in first.stdout + first.stderr
    write(root / "content" / "zambia.md", PELICAN_STYLE["content/zambia-copper.md"])
    again = invoke(root, "build")  # a build that runs, with the same unused files
    assert "zambia-copper-output-rises" in str(list((root / "output" / "articles").iterdir()))
    assert "not used by the build" not in again.stdout + again.stderr
    write(root / "content" / "saved.html", "<html></html>\n")
    changed = invoke(root, "build")
    assert "content/articles/notes.txt, content/saved.html" in changed.stdout + changed.stderr


@pytest.mark.slow
def test_an_edit_to_an_article_in_a_subfolder_rebuilds(user_site):
    root, _log = user_site
    article = root / "content" / "news" / "bolivia-lithium.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nThe tender closes in June.\n", encoding="utf-8"
    )
    result = invoke(root, "build")
    assert "1 changed" in result.stdout or " changed" in result.stdout
    shown = page(root / "output", "articles/bolivia-opens-lithium-tender/").get_text()
    assert "The tender closes in June." in shown
    # ... and a broken one there stops the build like any other article.
    article.write_text("Title: Bolivia\nDate: 2026-02-30\n\nText.\n", encoding="utf-8")
    broken = invoke(root, "build", check=False)
    assert broken.returncode != 0
    assert "content/news/bolivia-lithium.md: Date '2026-02-30' is not a date" in broken.stderr


@pytest.mark.slow
def test_the_article_page_shows_the_lead_once_and_no_seed_file_name(user_site):
    root, _log = user_site
    article = page(root / "output", f"articles/{SEED_SLUG}/")
    assert article.select_one(".standfirst") is None  # the summary is the opening paragraph
    opening = "China is making significant moves in the mineral export sector"
    assert article.select_one("main").get_text().count(opening) == 1
    assert ".txt" not in article.get_text()
    assert article.select_one(".source") is None
    # The summary (a card on the home page, the page's description) has the body's quotes.
    quoted = page(root / "output", "articles/chile-hails-a-lithium-deal/")
    curly = "“a historic day” for Chile’s"
    assert curly in quoted.select_one(".prose").get_text()
    assert curly in quoted.select_one("meta[name='description']")["content"]
    assert curly in page(root / "output", "").get_text()
    # A summary of its own (Pelican's test article) is a standfirst.
    other = page(root / "output", "articles/article-with-markdown-and-summary-metadata-single/")
    assert other.select_one(".standfirst") is not None


@pytest.mark.slow
def test_chips_are_search_metadata_kept_out_of_the_indexed_text(user_site):
    root, _log = user_site
    article = page(root / "output", f"articles/{SEED_SLUG}/")
    chips = article.select_one(".chips")
    ignored = chips.find_parent(attrs={"data-pagefind-ignore": True})
    assert ignored is not None
    meta = {el["data-pagefind-meta"]: el.get_text() for el in ignored.select("[hidden]")}
    assert "Japan" in meta["countries"].split("; ") and meta["minerals"] == "Rare earths"
    assert "Xi Jinping" in meta["tags"].split("; ")
    prose = article.select_one(".prose")
    assert prose.find_parent(attrs={"data-pagefind-body": True}) is not None
    assert prose.find_parent(attrs={"data-pagefind-ignore": True}) is None


@pytest.mark.slow
def test_a_local_build_after_a_published_one_leaves_no_empty_folders(tmp_path):
    root = copy_project(tmp_path / "site")
    published = invoke(root, "preview", env={"SITEURL": "https://example.org/sub"})
    assert (root / "output" / "feeds").is_dir()
    assert "crawlers only read https://example.org/robots.txt" in (
        published.stdout + published.stderr
    )
    invoke(root, "build")
    empty = [p for p in (root / "output").rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert empty == []
    assert not (root / "output" / "feeds").exists()


@pytest.mark.slow
def test_gh_pages_names_its_commit_and_that_push_is_needed(tmp_path):
    root = copy_project(tmp_path / "site")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "site"], cwd=root, check=True)
    env = {
        "SITEURL": "https://user.github.io/repo",
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
    }  # fmt: skip
    result = invoke(root, "gh-pages", env=env)
    head = subprocess.run(
        ["git", "log", "-1", "--format=%h", "gh-pages"], cwd=root, capture_output=True, text=True
    ).stdout.strip()
    said = [line for line in result.stdout.splitlines() if line.startswith("gh-pages:")]
    assert said and head in said[-1] and "--push" in said[-1]


SEED_WITH_JUNK_TITLE = """Skip to main content
January 5, 2026

Bolivia invited bids on Monday for the extraction of lithium from the Uyuni salt flat, the \
mining ministry said, in a tender open to foreign companies.

The tender is open to foreign companies that partner with the state firm YLB, which has \
struggled to raise output.
"""


@pytest.mark.slow
def test_a_seeds_address_follows_its_fixed_title_and_the_old_one_redirects(tmp_path):
    root = copy_project(tmp_path / "site")
    seed = write(root / "seeds" / "bolivia.txt", SEED_WITH_JUNK_TITLE)
    invoke(root, "build")
    old = root / "output" / "articles" / "skip-to-main-content" / "index.html"
    assert old.is_file() and "data-pagefind-body" in old.read_text(encoding="utf-8")
    seed.write_text(
        SEED_WITH_JUNK_TITLE.replace("Skip to main content", "Bolivia opens lithium tender"),
        encoding="utf-8",
    )
    result = invoke(root, "build")
    assert "renamed from skip-to-main-content.md" in result.stdout + result.stderr
    articles = root / "content" / "articles"
    assert (articles / "bolivia-opens-lithium-tender.md").is_file()
    assert not (articles / "skip-to-main-content.md").exists()
    new = root / "output" / "articles" / "bolivia-opens-lithium-tender" / "index.html"
    assert new.is_file()
    redirect = page(root / "output", "articles/skip-to-main-content/")
    refresh = redirect.select_one("meta[http-equiv='refresh']")["content"]
    assert refresh == "0; url=../bolivia-opens-lithium-tender/"
    canonical = redirect.select_one("link[rel='canonical']")["href"]
    assert canonical == "../bolivia-opens-lithium-tender/"
    assert redirect.select_one("a[href='../bolivia-opens-lithium-tender/']") is not None
    assert not redirect.select("script")
    assert redirect.select_one("meta[http-equiv='Content-Security-Policy']") is not None
    assert "data-pagefind-body" not in str(redirect)
    # Published, at a subpath: the redirect is absolute and out of the sitemap.
    invoke(root, "preview", env={"SITEURL": "https://example.org/sub"})
    redirect = page(root / "output", "articles/skip-to-main-content/")
    target = "https://example.org/sub/articles/bolivia-opens-lithium-tender/"
    assert redirect.select_one("meta[http-equiv='refresh']")["content"] == f"0; url={target}"
    sitemap = (root / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert "bolivia-opens-lithium-tender" in sitemap and "skip-to-main-content" not in sitemap
    # Once a person edits the article, the seed no longer renames it.
    edited = articles / "bolivia-opens-lithium-tender.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAdded by hand.\n", encoding="utf-8")
    seed.write_text(
        SEED_WITH_JUNK_TITLE.replace("Skip to main content", "Bolivia lithium tender draws bids"),
        encoding="utf-8",
    )
    invoke(root, "ingest")
    assert edited.is_file() and not (articles / "bolivia-lithium-tender-draws-bids.md").exists()


@pytest.mark.slow
def test_a_hand_written_articles_new_title_keeps_the_old_address_working(tmp_path):
    root = copy_project(tmp_path / "site")
    article = write(root / "content" / "zambia.md", PELICAN_STYLE["content/zambia-copper.md"])
    invoke(root, "build")
    article.write_text(
        article.read_text(encoding="utf-8").replace("rises", "climbs"), encoding="utf-8"
    )
    invoke(root, "build")
    redirect = page(root / "output", "articles/zambia-copper-output-rises/")
    assert redirect.select_one("meta[http-equiv='refresh']")["content"] == (
        "0; url=../zambia-copper-output-climbs/"
    )
    history = json.loads((root / "content" / ".addresses.json").read_text(encoding="utf-8"))
    assert "articles/zambia-copper-output-rises/index.html" in history["moved"]


@pytest.mark.slow
def test_each_warning_is_said_once_per_change_and_a_removed_seed_is_reported(tmp_path):
    root = copy_project(tmp_path / "site")
    seed = write(root / "seeds" / "bolivia.txt", SEED_WITH_JUNK_TITLE.replace(
        "Skip to main content", "Bolivia opens lithium tender"))  # fmt: skip
    invoke(root, "build")
    article = root / "content" / "articles" / f"{SEED_SLUG}.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nBy hand.\n", encoding="utf-8")
    runs = [invoke(root, "ingest") for _ in range(2)]
    said = ["edited by hand since it was ingested" in r.stdout + r.stderr for r in runs]
    assert said == [True, False]
    article.write_text(article.read_text(encoding="utf-8") + "\nAgain.\n", encoding="utf-8")
    assert "edited by hand" in (lambda r: r.stdout + r.stderr)(invoke(root, "ingest"))
    seed.unlink()
    removed = [invoke(root, "build") for _ in range(2)]
    first = removed[0].stdout + removed[0].stderr
    assert "bolivia-opens-lithium-tender.md: its seed bolivia.txt was removed" in first
    assert "delete it to take its page down" in first
    assert "was removed" not in removed[1].stdout + removed[1].stderr
    assert (root / "content" / "articles" / "bolivia-opens-lithium-tender.md").is_file()


@pytest.mark.slow
def test_an_ingested_author_has_no_dateline(tmp_path):
    root = copy_project(tmp_path / "site")
    write(root / "seeds" / "congo.txt", (
        "Congo extends cobalt export quota\nFebruary 1, 2026\nBy Patrick Ilunga in Kinshasa\n\n"
        "The Democratic Republic of Congo extended its cobalt export quota on Sunday, the "
        "regulator said, keeping shipments capped for three more months.\n\n"
        "Cobalt prices rose after the announcement, traders in London said.\n"
    ))  # fmt: skip
    invoke(root, "ingest")
    written = (root / "content" / "articles" / "congo-extends-cobalt-export-quota.md").read_text()
    assert "Author: Patrick Ilunga\n" in written
