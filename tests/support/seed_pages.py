"""Saved-page fixtures for the HTML seed tests: a realistic page around a small article."""

from __future__ import annotations

PARAGRAPHS = (
    "Chile's government said on Monday that it would open two new lithium projects to private "
    "investors, a shift in a policy that had kept the metal under state control for decades.",
    "The mining ministry said the salt flats of Maricunga and Atacama would be tendered first, "
    "and that companies from Australia, China and the United States had already shown interest.",
    "Analysts said the decision could add as much as a fifth to the country's output by 2030, "
    "easing a supply squeeze that has pushed battery makers to look for new sources of the metal.",
    "Copper producers, who dominate the Chilean economy, welcomed the move but warned that water "
    "rights in the Atacama desert would remain the main constraint on any new mine in the region.",
)

FURNITURE = """
<header class="site-header"><a href="/">Mining Weekly</a>
  <nav><ul><li><a href="/news">News</a></li><li><a href="/markets">Markets</a></li>
  <li><a href="/about">About us</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-notice"><p>We use cookies to improve your experience.
  By continuing to use this site you accept our cookie policy.</p><button>Accept</button></div>
"""

FOOTER = """
<aside class="related"><h3>Related articles</h3><ul>
  <li><a href="/a1">Copper price falls on Chinese demand worries for the third week</a></li>
  <li><a href="/a2">Cobalt miners cut output as prices slump to a five-year low</a></li>
</ul></aside>
<section id="comments" class="comments"><h3>3 comments</h3>
  <div class="comment"><p>Great article, totally agree with the analysis here!!!</p></div></section>
<footer><p>© 2026 Mining Weekly. All rights reserved.</p>
  <p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer>
"""


def article_html(paragraphs: tuple[str, ...] = PARAGRAPHS, extra: str = "") -> str:
    inner = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<article><h1>Chile opens lithium to private miners</h1>
<div class="share-bar"><a href="https://twitter.com/share">Share on Twitter</a>
  <a href="https://facebook.com/share">Share on Facebook</a></div>
<div class="article-body">{inner}{extra}</div></article>"""


def page(
    head: str = "",
    body: str | None = None,
    *,
    html_attrs: str = ' lang="en"',
    title: str = "Chile opens lithium to private miners | Mining Weekly",
) -> str:
    body = article_html() if body is None else body
    return f"""<!DOCTYPE html>
<html{html_attrs}><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ color: red }}</style><script>var tracking = "do not keep me";</script>
{head}</head>
<body>{FURNITURE}<main>{body}</main>{FOOTER}
<script>document.write("nor me")</script></body></html>"""
