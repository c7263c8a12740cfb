"""Salience: which of the countries and minerals an article mentions it is actually about."""

from __future__ import annotations

from collections import Counter

from explainer.enrich.tagging.countries import CountryEvidence


def salient_countries(evidence: dict[str, CountryEvidence]) -> set[str]:
    return {
        code
        for code, found in evidence.items()
        if found.dateline or found.in_title or found.in_lead or found.mentions >= 4
    }


def salient_minerals(counts: Counter[str], in_title: set[str], in_lead: set[str]) -> set[str]:
    return {slug for slug, n in counts.items() if slug in in_title or slug in in_lead or n >= 2}
