"""The `explainer` command: `ingest` seeds into content/, `extract` to inspect what it finds."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from explainer.extract import extract_article
from explainer.ingest import ingest
from explainer.seeds import SeedError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest_cmd = commands.add_parser("ingest", help="turn seeds into Markdown articles in content/")
    ingest_cmd.add_argument(
        "paths", nargs="*", type=Path, help="seed files or folders (default: seeds/)"
    )
    ingest_cmd.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    ingest_cmd.add_argument(
        "--force", action="store_true", help="overwrite articles edited by hand"
    )
    ingest_cmd.add_argument("-q", "--quiet", action="store_true", help="only report problems")

    extract_cmd = commands.add_parser("extract", help="print what ingestion finds; writes nothing")
    extract_cmd.add_argument("paths", nargs="+", type=Path)
    extract_cmd.add_argument("--json", action="store_true", help="one JSON object per line")

    args = parser.parse_args(argv)
    if args.command == "ingest":
        return _ingest(args)
    return _extract(args)


def _ingest(args: argparse.Namespace) -> int:
    paths = args.paths or [Path("seeds")]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"explainer ingest: {path}: no such file or folder", file=sys.stderr)

    def report(kind: str, path: Path, detail: str) -> None:
        if kind == "error" or kind == "skipped":
            print(f"explainer ingest: {path}: {detail}", file=sys.stderr)
        elif not args.quiet:
            print(f"{kind:>9}  {path}")

    result = ingest(
        [p for p in paths if p.exists()],
        args.content,
        force=args.force,
        on_event=report,
        on_progress=ProgressLine("ingest", "seeds"),
    )
    if not args.quiet:
        print(
            f"ingested {len(result.written)} written, {len(result.unchanged)} unchanged, "
            f"{len(result.skipped)} skipped, {len(result.errors)} failed"
        )
    return 1 if (result.errors or missing) else 0


class ProgressLine:
    """`ingest: 1200/5000 seeds (410/s)` on stderr about once a second, for long runs only."""

    def __init__(self, label: str, unit: str, minimum: int = 100, every: float = 1.0) -> None:
        self.label, self.unit, self.minimum, self.every = label, unit, minimum, every
        self.started = self.last = time.monotonic()
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total < self.minimum:
            return
        now = time.monotonic()
        if now - self.last < self.every and done != total:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        line = f"{self.label}: {done}/{total} {self.unit} ({rate:.0f}/s)"
        if self.tty:
            end = "\n" if done == total else ""
            print(f"\r{line}", end=end, file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)


def _extract(args: argparse.Namespace) -> int:
    status = 0
    for path in args.paths:
        try:
            record = extract_article(path).to_json()
            record["path"] = str(path)
        except (SeedError, OSError, UnicodeError) as error:
            record = {"path": str(path), "error": _describe(error)}
            status = 1
        if args.json:
            print(json.dumps(record, ensure_ascii=False), flush=False)
        else:
            _print_human(record)
    sys.stdout.flush()
    return status


def _describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)


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
