"""Project tasks (invoke): ingest, build, livereload, preview, publish, gh-pages, clean, test,
gates."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))

from explainer.site.build import BuildError, Project, ingest_seeds, run_pelican  # noqa: E402
from explainer.site.output_sync import SyncReport  # noqa: E402
from explainer.site.search_index import SearchIndexer, SearchIndexError, describe, index_site  # noqa: E402

PROJECT = Project(ROOT)
# What the live preview watches: sources, theme, data files (data/, declared with
# explainer.site.incremental.depends_on), settings, and the project's own code and data.
WATCHED_PATHS = (
    "content",
    "seeds",
    "theme",
    "data",
    "src/explainer",
    "pelicanconf.py",
    "publishconf.py",
)
WATCHED_SUFFIXES = {
    ".py",
    ".csv",
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".gz",
    ".css",
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".ico",
    ".json",
    ".toml",
    ".xml",
    ".js",
}


def _print_event(kind: str, path: Path, detail: str, say=None) -> None:
    say = say or (lambda line, error=False: print(line, file=sys.stderr if error else sys.stdout))
    if kind in ("error", "skipped", "warning"):
        label = "warning: " if kind == "warning" else ""
        say(f"ingest: {path}: {label}{detail}", error=True)
    elif kind == "written":
        say(f"ingest: wrote {path}")
    elif kind == "merged":
        say(f"ingest: merged {path} {detail}")
    elif kind in ("renamed", "removed"):
        say(f"ingest: {path}: {detail}")


def _ingest(force: bool = False) -> None:
    from explainer.ingest.progress import Progress

    progress = Progress(sys.stderr)
    report = ingest_seeds(
        PROJECT,
        force=force,
        on_event=lambda kind, path, detail: _print_event(kind, path, detail, progress.say),
        on_progress=progress.update,
    )
    progress.done()
    if not report.ok:
        raise Exit(f"ingest: {len(report.errors)} seed(s) could not be read (see above)", code=1)


def _build(settings_file: str = "pelicanconf.py", env: dict[str, str] | None = None) -> SyncReport:
    _ingest()
    report = run_pelican(PROJECT, settings_file=settings_file, env=env, in_process=True)
    print(
        f"build: {report.added} added, {report.changed} changed, {report.removed} removed, "
        f"{report.unchanged} unchanged in {PROJECT.output}"
        + (" (only the edited articles' pages)" if getattr(report, "quick", False) else ""),
        flush=True,
    )
    return report


def _search_stamp() -> Path:
    """Where the state of the site last indexed is kept (indexing an unchanged site again
    would cost more than the build that found nothing to do)."""
    import hashlib

    key = hashlib.blake2b(str(PROJECT.output.resolve()).encode(), digest_size=8).hexdigest()
    return ROOT / ".build" / "search" / f"{key}.stamp"


def _index_search(build: SyncReport | None = None) -> None:
    """Pagefind over output/: the last step of every build that is not the live preview.
    `build`: the build just made, whose stamps of output/ spare walking it again."""
    site_files = getattr(build, "output_files", None)
    unseen = getattr(build, "search_neutral", None)
    try:
        report = index_site(
            PROJECT.output, stamp_file=_search_stamp(), site_files=site_files, unseen_changes=unseen
        )
        print(describe(report), flush=True)
    except SearchIndexError as error:
        raise Exit(f"search index failed: {error}", code=1) from error


@task(help={"force": "also overwrite articles edited (or deleted) by hand since ingestion"})
def ingest(c, force=False):
    """Turn every seed in seeds/ into a Markdown article in content/articles/."""
    _ingest(force=force)


@task
def build(c):
    """Ingest seeds, then build the site into output/ (relative URLs)."""
    try:
        built = _build()
    except BuildError as error:
        raise Exit(f"build failed: {error}", code=1) from error
    _index_search(built)


# Changes to these restart the live preview's build worker (code, data, settings).
CODE_PATHS = ("src/explainer", "pelicanconf.py", "publishconf.py")


@task(help={"port": "the port to serve on, at 127.0.0.1 (default 8000)"})
def livereload(c, port="8000"):
    """Build, serve on 127.0.0.1:PORT, rebuild and reload the browser on every change."""
    from explainer.diagnostics import configure
    from explainer.preview.builder import PreviewBuilder
    from explainer.preview.server import serve

    configure()  # EXPLAINER_LOG=debug: render events, timings and requests on stderr

    def accept(path: Path) -> bool:
        name = path.name
        return not (
            name.startswith((".", "#"))
            or name.endswith("~")
            or path.suffix.lower() not in WATCHED_SUFFIXES
        )

    from explainer.preview.server import PortBusy, open_server

    # The port first: a busy one is said in one line before any build.
    if not str(port).isdigit():
        raise Exit(f"livereload: --port {port}: not a port number (e.g. --port 8001)", code=2)
    try:
        server = open_server(PROJECT.output, host="127.0.0.1", port=int(port))
    except PortBusy as error:
        raise Exit(f"livereload: {error}", code=1) from error
    builder = PreviewBuilder(
        PROJECT,
        code_paths=[ROOT / p for p in CODE_PATHS if (ROOT / p).exists()],
        on_ingest_event=_print_event,
    )
    # Search: Pagefind indexes the finished output/ in the background, after the first build
    # and after each build that changed a page, once the open pages have their new version.
    search = SearchIndexer(PROJECT.output, stamp_file=_search_stamp())
    builder.start()
    if (PROJECT.output / "index.html").is_file():
        search.request()

    def reindex(changed: list[str]) -> None:
        if any(path.endswith((".html", ".htm")) for path in changed):
            search.request()

    watched = [ROOT / p for p in WATCHED_PATHS if (ROOT / p).exists()]
    try:
        serve(
            server,
            watch_paths=watched,
            accept=accept,
            builder=builder,
            after_publish=reindex,
        )
    finally:
        builder.close()


@task
def preview(c):
    """Build the published site (publishconf.py, SITEURL) into output/.

    SITEURL comes from the environment (default http://127.0.0.1:8000): absolute links,
    feeds, sitemap.xml and robots.txt, as `publish` makes them."""
    env = {}
    if not os.environ.get("SITEURL"):
        env["SITEURL"] = "http://127.0.0.1:8000"
        print("preview: SITEURL is not set; using http://127.0.0.1:8000")
    try:
        built = _build("publishconf.py", env=env)
    except BuildError as error:
        raise Exit(f"preview failed: {error}", code=1) from error
    _index_search(built)


@task
def publish(c):
    """Build the published site and rsync it to $PUBLISH_TARGET.

    Needs SITEURL (https://example.org, a subpath allowed) and PUBLISH_TARGET
    (user@host:/path) in the environment."""
    target = os.environ.get("PUBLISH_TARGET")
    missing = [name for name in ("SITEURL", "PUBLISH_TARGET") if not os.environ.get(name)]
    if missing:
        raise Exit(
            "publish: set " + " and ".join(missing) + ", e.g. "
            "SITEURL=https://example.org PUBLISH_TARGET=user@host:/var/www/site invoke publish",
            code=2,
        )
    try:
        built = _build("publishconf.py")
    except BuildError as error:
        raise Exit(f"publish refused: {error}", code=1) from error
    _refuse_empty_site("publish")
    _index_search(built)
    c.run(
        "rsync --archive --compress --delete --checksum --human-readable --itemize-changes "
        f"{shlex.quote(str(PROJECT.output))}/ {shlex.quote(target.rstrip('/'))}/",
        pty=False,
    )


@task(
    name="gh-pages",
    help={"push": "also push the gh-pages branch to origin (without it, only a local commit)"},
)
def gh_pages(c, push=False):
    """Build the published site and commit it to the gh-pages branch.

    Needs SITEURL. The commit is local unless --push is given (ghp-import)."""
    if not os.environ.get("SITEURL"):
        raise Exit("gh-pages: set SITEURL, e.g. SITEURL=https://user.github.io/repo", code=2)
    try:
        built = _build("publishconf.py")
    except BuildError as error:
        raise Exit(f"gh-pages refused: {error}", code=1) from error
    _refuse_empty_site("gh-pages")
    _index_search(built)
    flags = "-n -m 'Publish site'" + (" -p" if push else "")
    c.run(f"{shlex.quote(sys.executable)} -m ghp_import {flags} {shlex.quote(str(PROJECT.output))}")
    commit = c.run("git log -1 --format='%h %s (%cd)' --date=iso gh-pages", hide=True, warn=True)
    what = commit.stdout.strip() if commit.ok else "(no commit found)"
    if push:
        print(f"gh-pages: committed {PROJECT.output} to branch gh-pages as {what}; pushed")
    else:
        print(
            f"gh-pages: committed {PROJECT.output} to branch gh-pages as {what}; nothing was "
            "pushed: run `invoke gh-pages --push` (or `git push origin gh-pages`) to publish it"
        )


def _refuse_empty_site(command: str) -> None:
    """Publishing replaces the live site (rsync --delete): never with a site that has no
    index page or no articles."""
    if not (PROJECT.output / "index.html").is_file():
        raise Exit(f"{command} refused: {PROJECT.output} has no index.html", code=1)
    from pelican.settings import read_settings

    save_as = read_settings(str(PROJECT.settings("publishconf.py")))["ARTICLE_SAVE_AS"]
    pattern = re.sub(r"\{[^}]*\}", "*", save_as)
    if not any(PROJECT.output.glob(pattern)):
        raise Exit(f"{command} refused: the site has no articles ({PROJECT.output})", code=1)


@task
def clean(c):
    """Remove output/ and the build folders (content/ is never touched)."""
    for path in (PROJECT.output, ROOT / ".build", ROOT / "cache"):
        shutil.rmtree(path, ignore_errors=True)


@task(
    name="eval-extract",
    help={
        "fold-out": "also report 5-fold fold-out figures of the trained text reader (default on)",
        "baselines": "also run trafilatura, htmldate and jusText in the same run (default on)",
        "json-out": "also write the figures as JSON to this file",
    },
)
def eval_extract(c, fold_out=True, baselines=True, json_out=""):
    """Extraction accuracy and speed on the dev corpora, with baselines.

    HTML and text seeds, on aeb-dev and webpages-dev: body F1/P/R or snippet P/R/F1, title
    and date agreement, pages/s, 5-fold fold-out figures for the trained text reader, and the
    baselines (trafilatura, htmldate, jusText) in the same run."""
    args = [shlex.quote(sys.executable), "eval/extract_eval.py"]
    if not fold_out:
        args.append("--no-fold-out")
    if not baselines:
        args.append("--no-baselines")
    if json_out:
        args += ["--json", shlex.quote(json_out)]
    c.run(" ".join(args), pty=False)


@task(
    name="eval-tags",
    help={
        "corpus": "a Reuters-style JSONL corpus (default: ../shared/corpus dev split)",
        "errors": "list every miss and false alarm",
    },
)
def eval_tags(c, corpus="", errors=False):
    """Tagging accuracy and speed on the Reuters and multilingual corpora.

    The Reuters corpus (default: ../shared/corpus dev split), the mineral decision
    cross-validated, and the multilingual labelled articles."""
    args = [shlex.quote(corpus)] if corpus else []
    if errors:
        args.append("--show-errors")
    c.run(f"{shlex.quote(sys.executable)} eval/reuters_tags.py {' '.join(args)}", pty=False)
    extra = " --show-errors" if errors else ""
    c.run(f"{shlex.quote(sys.executable)} eval/multilingual_tags.py{extra}", pty=False)


@task(name="eval-duplicates", help={"errors": "list every wrong pair"})
def eval_duplicates(c, errors=False):
    """Same-story detection on labelled seed pairs from the dev corpora: fold-out P/R."""
    flag = " --errors" if errors else ""
    c.run(f"{shlex.quote(sys.executable)} eval/duplicates.py{flag}", pty=False)


@task(
    name="bench-ingest",
    help={
        "small": "seeds in the small run (default 1000)",
        "large": "seeds in the large run (default 10000)",
        "huge-mb": "size of the one huge seed, in MB (default 20)",
    },
)
def bench_ingest(c, small=1000, large=10000, huge_mb=20):
    """Ingestion at scale: seeds/s and peak memory, 1,000 vs 10,000 seeds, a 20 MB seed."""
    c.run(
        f"{shlex.quote(sys.executable)} bench/ingest_scale.py --small {int(small)} "
        f"--large {int(large)} --huge-mb {int(huge_mb)}",
        pty=False,
    )


@task
def lint(c):
    """Run ruff over the project's code, tests, gates, bench, eval and tools."""
    paths = "src tests tools eval gates bench tasks.py pelicanconf.py publishconf.py"
    c.run(f"{shlex.quote(sys.executable)} -m ruff check {paths}")


@task(
    help={
        "skip": "gates to leave out, comma-separated (vnu,links,weight,axe,browser,lighthouse)",
        "only": "run only this gate (or these, comma-separated)",
    }
)
def gates(c, skip="", only=""):
    """Run the quality gates on freshly built sites (vnu, links, axe, Lighthouse...).

    Builds the site at the root and under /sub, serves them from 127.0.0.1 and runs the W3C
    Nu HTML Checker, linkchecker (root and subpath), weight, axe-core, browser and Lighthouse
    (gates/)."""
    args = [shlex.quote(sys.executable), "gates/run_all.py"]
    if skip:
        args += ["--skip", shlex.quote(skip)]
    if only:
        args += ["--only", shlex.quote(only)]
    c.run(" ".join(args), pty=False)


@task
def test(c):
    """Lint, run the whole test suite (every tier), then the quality gates."""
    lint(c)
    c.run(f"{shlex.quote(sys.executable)} -m pytest", pty=False)
    gates(c)


@task(
    help={
        "sizes": "comma-separated article counts (default 1000,5000)",
        "reps": "cold builds of ours and vanilla each, alternating (default 3)",
        "edits": "live-reload saves, one second apart (default 15)",
        "smoke": "a tiny, quick run that proves the benchmark works",
        "live": "measure live reload in headless Chromium (default on)",
        "json": "also write the raw results to this file",
    }
)
def bench(c, sizes="1000,5000", reps=3, edits=15, smoke=False, live=True, json=""):
    """Benchmark ours vs vanilla Pelican side by side (see bench/README.md)."""
    args = [
        sys.executable,
        str(ROOT / "bench" / "run.py"),
        "--sizes",
        str(sizes),
        "--reps",
        str(reps),
        "--edits",
        str(edits),
    ]
    if smoke:
        args.append("--smoke")
    if not live:
        args.append("--no-live")
    if json:
        args += ["--json", json]
    c.run(shlex.join(args), pty=False)
