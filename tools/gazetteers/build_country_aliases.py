"""Write a FIRST DRAFT of ``src/explainer/data/country_aliases.csv``.

DO NOT RE-RUN THIS BLINDLY.  The checked-in ``country_aliases.csv`` is the
reviewed source of truth: it was generated once with this script and then
reviewed and corrected by hand, row by row (junk spellings removed, news
forms and historical names added, demonyms fixed and de-duplicated, display
names chosen).  Running this script again would throw all of that away.

That is why the script refuses to write over an existing file unless it is
given ``--overwrite``.  Its intended use is to write a draft somewhere else
and *diff* it against the reviewed file, for example after a pycountry or
countryinfo upgrade, and to copy across by hand only what a person has
checked::

    .venv/bin/python tools/gazetteers/build_country_aliases.py /tmp/draft.csv
    diff <(sort src/explainer/data/country_aliases.csv) <(sort /tmp/draft.csv)

What the draft contains (one row per pycountry country, sorted by code):

* ``code``: ISO 3166-1 alpha-2 from pycountry.
* ``display_name``: countryinfo's English name when it differs from the name
  the site would otherwise show (pycountry ``common_name``, else ``name``) and
  pycountry's form is an inverted/bracketed one such as
  "Korea, Republic of" or "Holy See (Vatican City State)".
* ``aliases``: countryinfo ``altSpellings`` (plus its ``name``) with obvious
  junk dropped: ISO codes (2-3 upper-case letters, except a few well-known
  abbreviations), non-ASCII native-language forms, inverted "X, Y" forms and
  anything the runtime already gets from pycountry (``name``,
  ``common_name``, ``official_name``).  This still leaves forms that must be
  reviewed by hand.
* ``demonyms``: countryinfo ``demonym`` split on commas.  Demonyms shared by
  several codes (countryinfo gives "French" for Réunion, "American" for the
  Northern Mariana Islands, "Chinese" for Hong Kong...) are kept only on the
  code where most entries use it... which the reviewer must still check.
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
import sys
from pathlib import Path

import pycountry
from countryinfo import CountryInfo

FIELDS = ["code", "display_name", "aliases", "demonyms"]

# Upper-case abbreviations from altSpellings that English news does use.
KEEP_ABBREVIATIONS = {"UK", "USA", "UAE", "DRC", "DPRK", "FSM"}

# For a demonym that countryinfo gives to several codes, the code it means.
DEMONYM_OWNER = {
    "American": "US",
    "French": "FR",
    "Chinese": "CN",
    "Indian": "IN",
    "Norwegian": "NO",
    "Congolese": "CD",
    "Dominican": "DO",
    "Channel Islander": "",  # two codes, neither is right: drop
}


def pycountry_forms(country) -> set[str]:
    forms = set()
    for attr in ("name", "common_name", "official_name"):
        value = getattr(country, attr, None)
        if value and ", " not in value:
            forms.add(value)
    return forms


def is_junk(form: str, runtime_forms: set[str]) -> bool:
    form = form.strip()
    if not form or form in runtime_forms:
        return True
    if ", " in form:
        return True
    if re.fullmatch(r"[A-Z]{2,4}", form) and form not in KEEP_ABBREVIATIONS:
        return True
    if any(ord(ch) > 0x24F for ch in form):  # non-Latin scripts
        return True
    return any(ch in form for ch in "āēīōūǎǐǒǔṣṭḥʻʾ‘’")  # transliterations


def info_for(code: str) -> dict:
    try:
        return CountryInfo(code).info()
    except Exception:  # countryinfo lacks a few territories
        return {}


def build_rows() -> list[dict]:
    infos = {c.alpha_2: info_for(c.alpha_2) for c in pycountry.countries}

    demonym_codes: dict[str, list[str]] = collections.defaultdict(list)
    for code, info in infos.items():
        for dem in (info.get("demonym") or "").split(","):
            dem = dem.strip()
            if dem:
                demonym_codes[dem].append(code)

    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        info = infos[code]
        runtime = pycountry_forms(country)
        shown = getattr(country, "common_name", None) or country.name

        display = ""
        ci_name = info.get("name") or ""
        if ci_name and ci_name != shown and (", " in shown or "(" in shown):
            display = ci_name

        aliases = []
        for form in [ci_name, *(info.get("altSpellings") or [])]:
            form = (form or "").strip()
            if not is_junk(form, runtime) and form != display and form not in aliases:
                aliases.append(form)

        demonyms = _demonyms(code, info, runtime, demonym_codes)
        rows.append(
            {
                "code": code,
                "display_name": display,
                "aliases": "|".join(aliases),
                "demonyms": "|".join(demonyms),
            }
        )
    return rows


def _demonyms(
    code: str, info: dict, runtime: set[str], demonym_codes: dict[str, list[str]]
) -> list[str]:
    """countryinfo's demonyms of one country, less a country name and those another country
    owns ("American")."""
    demonyms: list[str] = []
    for dem in (info.get("demonym") or "").split(","):
        dem = dem.strip()
        if not dem or dem in demonyms:
            continue
        codes = demonym_codes[dem]
        if len(codes) > 1 and DEMONYM_OWNER.get(dem, codes[0]) != code:
            continue
        if dem in runtime:  # "Djibouti", "Gibraltar": not demonyms
            continue
        demonyms.append(dem)
    return demonyms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="where to write the draft CSV")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="allow replacing an existing file (never the reviewed one by accident)",
    )
    args = parser.parse_args(argv)
    if args.output.exists() and not args.overwrite:
        print(
            f"{args.output} exists; refusing to overwrite (see the docstring: the "
            "checked-in CSV is hand-reviewed). Write to a scratch path and diff.",
            file=sys.stderr,
        )
        return 2
    rows = build_rows()
    with args.output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} draft rows to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
