"""Shared by the quality gates: build the sites they check, serve them, name the pages.

The gates check the site as it ships: built by the project's own build (Pelican, then the
Pagefind index), served over HTTP from 127.0.0.1. `build_site` writes a build into a folder
of its own (never `output/`); `SiteServer` serves one at the root or under a subpath,
answers a missing address with the site's 404 page, and can send extra headers (the
`LinkChecker` header that lets linkchecker go fast, a Content-Security-Policy).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
NODE_MODULES = ROOT / "node_modules"
ARTIFACTS = ROOT / "test-artifacts"

# The policy the site must live with (no inline script, nothing from another origin).
# Pagefind runs WebAssembly, which needs 'wasm-unsafe-eval' (it allows no JS eval).
STRICT_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# One page of each type, by the folder it lives in: (name, pattern) where the pattern is a
# site path or a folder whose first sub-page is taken.
PAGE_TYPES = (
    ("home", ""),
    ("article", "articles/*"),
    ("country", "countries/china/|countries/*"),
    ("mineral", "minerals/rare-earths/|minerals/*"),
    ("countries", "countries/"),
    ("minerals", "minerals/"),
    ("about", "about/"),
    ("glossary", "glossary/"),
    ("timeline", "timeline/"),
    ("tags", "tags/"),
    ("tag", "tags/*"),
    ("archives", "archives/"),
    ("search", "search/"),
    ("404", "404.html"),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _exists(site: Path, path: str) -> bool:
    target = site / path
    return (target / "index.html").is_file() if path.endswith("/") or not path else target.is_file()


def page_types(site: Path) -> dict[str, str]:
    """{type: site path} for every page type the built site has."""
    found: dict[str, str] = {}
    for name, pattern in PAGE_TYPES:
        for option in pattern.split("|"):
            if option.endswith("*"):
                folder = site / option[:-1]
                subs = sorted(p.name for p in folder.iterdir() if (p / "index.html").is_file()) \
                    if folder.is_dir() else []
                subs = [s for s in subs if s != "page"]
                if subs:
                    found[name] = f"{option[:-1]}{subs[0]}/"
                    break
            elif _exists(site, option):
                found[name] = option
                break
    return found


def all_pages(site: Path) -> list[str]:
    """Every HTML page of the site as a site path ("", "countries/china/", "404.html")."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("pagefind/", ".")):
            continue
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        pages.append(relative)
    return pages


def build_site(destination: Path, *, siteurl: str | None = None) -> Path:
    """Build the project's site into `destination` (publishconf when `siteurl` is given)."""
    from explainer.site.build import Project, ingest_seeds, run_pelican
    from explainer.site.search_index import index_site

    project = Project(ROOT)
    report = ingest_seeds(project)
    if not report.ok:
        raise SystemExit(f"gates: seeds could not be ingested: {report.errors}")
    shutil.rmtree(destination, ignore_errors=True)
    settings = "publishconf.py" if siteurl else "pelicanconf.py"
    env = {"SITEURL": siteurl} if siteurl else None
    run_pelican(project, settings_file=settings, output=destination, env=env)
    index_site(destination)
    return destination


class _Handler(SimpleHTTPRequestHandler):
    prefix = ""
    extra_headers: dict[str, str] = {}  # noqa: RUF012 - set per server by SiteServer

    def log_message(self, format, *args) -> None:  # quiet
        if os.environ.get("GATES_HTTP_LOG"):
            super().log_message(format, *args)

    def end_headers(self) -> None:
        for key, value in self.extra_headers.items():
            self.send_header(key, value)
        super().end_headers()

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if self.prefix:
            path = path[len(self.prefix):] if path.startswith(self.prefix) else "/\0missing"
        return super().translate_path(path or "/")

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if "\0" in str(target) or not target.exists():
            page = Path(self.directory) / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(HTTPStatus.NOT_FOUND)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None
        return super().send_head()


@dataclass
class SiteServer:
    """Serve `site` on 127.0.0.1:`port` under `prefix` ("" or "/sub") in a thread."""

    site: Path
    port: int = 0
    prefix: str = ""
    headers: dict[str, str] | None = None

    def __enter__(self) -> SiteServer:
        handler = type(
            "Handler",
            (_Handler,),
            {"prefix": self.prefix.rstrip("/"), "extra_headers": dict(self.headers or {})},
        )
        handler.extensions_map = {**handler.extensions_map, ".js": "text/javascript",
                                  ".mjs": "text/javascript", ".pagefind": "application/wasm"}
        self.server = ThreadingHTTPServer(
            ("127.0.0.1", self.port), partial(handler, directory=str(self.site))
        )
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix.rstrip('/')}/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def page_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path


def node_tool(*parts: str) -> Path:
    """A file from node_modules (installed by scripts/setup with npm ci); a clear error if not."""
    path = NODE_MODULES.joinpath(*parts)
    if not path.exists():
        raise SystemExit(f"gates: {path} is missing: run scripts/setup --with-browser (npm ci)")
    return path


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=False, **kwargs)


def target_args(parser) -> None:
    """The arguments every gate takes: the built site folder and where it is served."""
    parser.add_argument("--site", type=Path, required=True, help="built site folder")
    parser.add_argument(
        "--url", default="",
        help="where the site is served (default: serve --site on a free 127.0.0.1 port)",
    )


def served(args, headers: dict[str, str] | None = None):
    """A context giving the base URL: `args.url` as is, or a server of our own for `--site`."""
    if args.url:
        return _Given(args.url)
    return _Own(SiteServer(args.site.resolve(), headers=headers))


class _Given:
    def __init__(self, url: str) -> None:
        self.url = url if url.endswith("/") else url + "/"

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *exc) -> None:
        pass


class _Own:
    def __init__(self, server: SiteServer) -> None:
        self.server = server

    def __enter__(self) -> str:
        return self.server.__enter__().url

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)


def site_path_of(url: str, base: str) -> str:
    return unquote(url[len(base):]) if url.startswith(base) else url


def dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
