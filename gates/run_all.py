#!/usr/bin/env python3
"""Run every quality gate on freshly built sites served from 127.0.0.1 (`invoke gates`).

Builds, each into .build/gates/ (never output/), with the Pagefind index as the last step:
  local  the live-preview build (pelicanconf.py, relative URLs), served at the root;
  root   the publish build (publishconf.py) with SITEURL=http://127.0.0.1:PORT, at the root;
  sub    the publish build with SITEURL=http://127.0.0.1:PORT/sub, served under /sub.
Then runs each gate script on them and fails when any gate fails:
  vnu (root), links (local, root, sub), weight (root), axe (root), browser (root; search
  again under /sub), lighthouse (root).
Every gate's output is printed; a summary with each gate's time closes the run, and is kept
in test-artifacts/gates.json.

    python gates/run_all.py [--skip lighthouse,axe] [--only vnu]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARTIFACTS, ROOT, STRICT_CSP, SiteServer, build_site, dump, free_port

HERE = Path(__file__).resolve().parent
GATES = ("vnu", "links", "weight", "axe", "browser", "lighthouse")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", default="", help="comma-separated gates to leave out")
    parser.add_argument("--only", default="", help="comma-separated gates to run")
    args = parser.parse_args(argv)
    wanted = [g for g in GATES if (not args.only or g in args.only.split(","))
              and g not in args.skip.split(",")]
    work = ROOT / ".build" / "gates"
    started = time.perf_counter()
    root_port, sub_port = free_port(), free_port()
    sites = {
        "local": build_site(work / "local"),
        "root": build_site(work / "root", siteurl=f"http://127.0.0.1:{root_port}"),
        "sub": build_site(work / "sub", siteurl=f"http://127.0.0.1:{sub_port}/sub"),
    }
    build_seconds = time.perf_counter() - started
    headers = {"LinkChecker": "explainer-gates", "Content-Security-Policy": STRICT_CSP}
    runs: list[tuple[str, list[str]]] = []
    with SiteServer(sites["local"], headers=headers) as local, \
            SiteServer(sites["root"], port=root_port, headers=headers) as root, \
            SiteServer(sites["sub"], port=sub_port, prefix="/sub", headers=headers) as sub:
        on = {"local": ["--site", str(sites["local"]), "--url", local.url],
              "root": ["--site", str(sites["root"]), "--url", root.url],
              "sub": ["--site", str(sites["sub"]), "--url", sub.url]}
        plan = {
            "vnu": [("vnu", on["root"])],
            "links": [("links (local build, root)", on["local"]),
                      ("links (publish build, root)", on["root"]),
                      ("links (publish build, /sub)", on["sub"])],
            "weight": [("weight", on["root"])],
            "axe": [("axe", on["root"])],
            "browser": [("browser", on["root"]),
                        ("browser (publish build, /sub)", [
                            *on["sub"], "--only", "home,article,search,404",
                            "--screenshots", str(ARTIFACTS / "screenshots-subpath")])],
            "lighthouse": [("lighthouse", on["root"])],
        }
        results = []
        for gate in wanted:
            for label, gate_args in plan[gate]:
                print(f"\n=== gate: {label}", flush=True)
                t0 = time.perf_counter()
                code = subprocess.run(
                    [sys.executable, str(HERE / f"{gate}.py"), *gate_args], check=False
                ).returncode
                results.append({"gate": label, "exit": code,
                                "seconds": round(time.perf_counter() - t0, 1)})
                runs.append((label, gate_args))
    total = time.perf_counter() - started
    print(f"\n=== gates summary (sites built in {build_seconds:.1f}s)")
    for r in results:
        print(f"{'PASS' if r['exit'] == 0 else 'FAIL'}  {r['gate']:<34} {r['seconds']:>6.1f}s")
    failed = [r for r in results if r["exit"] != 0]
    dump(ARTIFACTS / "gates.json", {"results": results, "seconds": round(total, 1)})
    print(f"all gates: {total:.0f}s, the sites' builds included")
    print(f"gates: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
