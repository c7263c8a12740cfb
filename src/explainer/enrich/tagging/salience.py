"""Salience: which of the countries and minerals an article mentions it is actually about."""

from __future__ import annotations

from explainer.enrich.tagging.countries import CountryEvidence
from explainer.enrich.tagging.mineral_evidence import LEAD, TITLE, MineralEvidence


def salient_countries(evidence: dict[str, CountryEvidence]) -> set[str]:
    return {
        code
        for code, found in evidence.items()
        if found.dateline or found.in_title or found.in_lead or found.mentions >= 4
    }


def salient_mineral(evidence: MineralEvidence) -> bool:
    """Named in the headline or the first sentence, or more than once (names not counted)."""
    return evidence.placed(TITLE) or evidence.placed(LEAD) or evidence.mentions >= 2
