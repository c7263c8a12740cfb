"""The `explainer` command: `ingest` seeds into content/, `extract` to inspect what it finds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from explainer.diagnostics import configure
from explainer.ingest.extract import extract_article
from explainer.ingest.ingestion import ManifestError, ingest, split_seed
from explainer.ingest.progress import Progress
from explainer.ingest.seed_file import SeedError
from explainer.ingest.seed_reading import describe_error
from explainer.ingest.story_fingerprint import fingerprint_body


def main(argv: list[str] | None = None) -> int:
    configure()
    parser = argparse.ArgumentParser(
        prog="explainer",
        description="Turn news seeds (scraped text, saved web pages) into Markdown articles "
        "for the explainer site.",
        epilog="`explainer COMMAND --help` describes a command. The site itself is built with "
        "invoke: `invoke build`, `invoke livereload` (`invoke --list` lists every task).",
    )
    parser.add_argument("--version", action="version", version=f"explainer {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ingest_cmd = commands.add_parser("ingest", help="turn seeds into Markdown articles in content/")
    ingest_cmd.add_argument(
        "paths", nargs="*", type=Path, help="seed files or folders (default: seeds/)"
    )
    ingest_cmd.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    ingest_cmd.add_argument(
        "--force", action="store_true", help="overwrite articles edited by hand"
    )
    ingest_cmd.add_argument("-q", "--quiet", action="store_true", help="only report problems")
    ingest_cmd.add_argument(
        "--split",
        action="append",
        default=[],
        metavar="SEED",
        help="take a seed merged into another seed's article out again: it gets its own "
        "article and is never merged again (repeatable)",
    )

    extract_cmd = commands.add_parser("extract", help="print what ingestion finds; writes nothing")
    extract_cmd.add_argument("paths", nargs="+", type=Path, help="seed files to read")
    extract_cmd.add_argument(
        "--json", action="store_true", help="print one JSON object per seed, one per line"
    )

    args = parser.parse_args(argv)
    if args.command is None:  # `explainer` alone: the help, and success (nothing went wrong)
        parser.print_help()
        return 0
    if args.command == "ingest":
        return _ingest(args)
    return _extract(args)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("explainer")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _ingest(args: argparse.Namespace) -> int:
    paths = args.paths or [Path("seeds")]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"explainer ingest: {path}: no such file or folder", file=sys.stderr)

    for seed in args.split:
        try:
            article = split_seed(args.content, Path(seed).name)
        except ManifestError as error:
            print(f"explainer ingest: --split {seed}: {error}", file=sys.stderr)
            return 1
        print(f"    split  {seed} off {args.content / article}")
    progress = Progress(sys.stderr)

    def report(kind: str, path: Path, detail: str) -> None:
        if kind in ("error", "skipped", "warning"):
            label = "warning: " if kind == "warning" else ""
            progress.say(f"explainer ingest: {path}: {label}{detail}", error=True)
        elif kind in ("merged", "split", "renamed", "removed"):  # always said: stories changed,
            # or an article moved or left
            progress.say(f"{kind:>9}  {path} {detail}")
        elif not args.quiet:
            progress.say(f"{kind:>9}  {path}")

    result = ingest(
        [p for p in paths if p.exists()],
        args.content,
        force=args.force,
        on_event=report,
        on_progress=progress.update,
        complete=not args.paths,  # seeds/ itself: a seed missing from it was removed
    )
    progress.done()
    if not args.quiet:
        print(
            f"ingested {len(result.written)} written, {len(result.merged)} merged, "
            f"{len(result.split)} split, "
            f"{len(result.unchanged)} unchanged, {len(result.skipped)} skipped, "
            f"{len(result.errors)} failed"
        )
    return 1 if (result.errors or missing) else 0


def _extract(args: argparse.Namespace) -> int:
    status = 0
    for path in args.paths:
        try:
            article = extract_article(path)
            record = article.to_json()
            record["path"] = str(path)
            # What same-story detection compares (explainer.ingest.story_fingerprint).
            record["fingerprint"] = fingerprint_body(article.seed.body).to_text()
            for warning in article.seed.warnings:
                print(f"explainer extract: {path}: warning: {warning}", file=sys.stderr)
        except (SeedError, OSError, UnicodeError) as error:
            record = {"path": str(path), "error": describe_error(error)}
            status = 1
        except Exception as error:  # a bug, but one input must not hide the others
            record = {"path": str(path), "error": f"{type(error).__name__}: {error}"}
            status = 1
        if args.json:
            print(json.dumps(record, ensure_ascii=False), flush=False)
        else:
            _print_human(record)
    sys.stdout.flush()
    return status


def _print_human(record: dict) -> None:
    if "error" in record:
        print(f"{record['path']}: error: {record['error']}")
        return
    print(f"{record['path']}\n  title: {record['title']}\n  date: {record['date']}")
    print(f"  summary: {record['summary']}")
    print("  countries: " + ", ".join(f"{c['name']} ({c['code']})" for c in record["countries"]))
    print("  minerals: " + ", ".join(m["name"] for m in record["minerals"]))
    for key in ("organisations", "people", "tags"):
        print(f"  {key}: " + ", ".join(record[key]))


if __name__ == "__main__":
    sys.exit(main())
