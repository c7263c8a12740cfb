"""`python -m explainer.site.incremental build ...`: one incremental build from the command
line; `... worker ...`: the live preview's persistent build process (worker.py)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from explainer.diagnostics import configure
from explainer.site.incremental.runner import Build, BuildFailed
from explainer.site.incremental.worker import main as worker_main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    configure()
    if argv[:1] == ["worker"]:
        return worker_main(argv[1:])

    parser = argparse.ArgumentParser(prog="python -m explainer.site.incremental")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the site (incrementally)")
    build.add_argument("--root", type=Path, default=Path.cwd())
    build.add_argument("--settings", default="pelicanconf.py")
    build.add_argument("--output", default="output")
    build.add_argument("--force", action="store_true", help="skip the no-op check")
    build.add_argument("--workers", type=int, default=0)
    build.add_argument("--report", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    job = Build(args.root, Path(args.settings), Path(args.output), workers=args.workers)
    try:
        result = job.run(force=args.force)
    except BuildFailed as error:
        print(f"build failed: {error}; {job.output} was left as it was", file=sys.stderr)
        return 1
    except SystemExit as error:  # a settings file refusing to load (publishconf without SITEURL)
        if error.code not in (None, 0):
            print(f"build failed: {error.code}", file=sys.stderr)
            return 1
        raise
    if args.report:
        args.report.write_text(json.dumps(asdict(result)), encoding="utf-8")
    if result.skipped:
        print(
            f"build: nothing changed ({result.unchanged} files in {job.output}, "
            f"{result.seconds:.2f} s)",
            flush=True,
        )
    elif result.quick:
        print(
            f"build: {result.changed} changed, {result.unchanged} unchanged; {result.rendered} "
            "pages that show edited articles rendered from the last build's saved context "
            f"({result.seconds:.2f} s)",
            flush=True,
        )
    else:
        print(
            f"build: {result.added} added, {result.changed} changed, {result.removed} removed, "
            f"{result.unchanged} unchanged; {result.rendered} pages rendered, {result.kept} "
            f"not re-rendered ({result.seconds:.2f} s)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
