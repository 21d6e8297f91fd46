"""Realistic news-site pages around an article: navigation, ads, scripts, comments, footer.

Extraction has real work to do on these pages; the demo serves them and the benchmarks size them up.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass

_SECTIONS = [
    "World", "Business", "Markets", "Trade", "Technology", "Politics", "Europe", "Asia", "Americas", "Energy",
    "Commodities", "Opinion", "Analysis", "Sport", "Culture", "Science", "Climate", "Health", "Video", "Podcasts",
]
_COMMENT_WORDS = (
    "this is exactly what everyone expected markets will react the question is whether talks can hold "
    "another round of measures and counter measures nobody wins a trade war consumers pay in the end "
    "interesting analysis but the numbers do not add up the real issue is supply chains and jobs"
).split()
_TEASERS = [
    "Oil prices edge higher as traders weigh supply risks", "Central bank holds rates steady, signals patience",
    "Shipping rates climb on Red Sea disruption", "Chipmakers rally after earnings beat", "Port congestion eases in Asia",
    "Farm exports rebound in second quarter", "Currency markets steady ahead of jobs data", "Automakers revise outlook",
    "Copper hits three-month high", "Inflation cools more than expected", "Retail sales beat forecasts",
    "Airline shares fall on fuel costs", "Steel output slows in May", "Logistics firms invest in automation",
]


@dataclass(frozen=True)
class PageArticle:
    title: str
    text: str
    author: str
    published: str
    section: str
    canonical_url: str
    site_name: str


def render_page(article: PageArticle, *, seed: int = 0, comments: int = 12, padding: int = 1) -> str:
    """A full HTML page; `comments` and `padding` (repeats of sidebars, scripts and ad slots) scale its size."""
    rng = random.Random(seed)
    paragraphs = [p.strip() for p in article.text.split("\n") if p.strip()]
    middle = max(1, len(paragraphs) // 2)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:middle])
    body += _related_box(rng)
    body += "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[middle:])
    ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "datePublished": article.published, "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": article.site_name}, "mainEntityOfPage": article.canonical_url,
    })
    title = html.escape(article.title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {html.escape(article.site_name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{html.escape(paragraphs[0][:160] if paragraphs else '')}">
<meta name="author" content="{html.escape(article.author)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{html.escape(article.site_name)}">
<meta property="article:published_time" content="{article.published}">
<link rel="canonical" href="{html.escape(article.canonical_url)}">
<script type="application/ld+json">{ld}</script>
<style>{_styles(rng, padding)}</style>
{_scripts(rng, padding)}
</head>
<body class="article-page">
<div id="cookie-banner" class="banner">We use cookies to improve your experience and to show you relevant ads.
<button>Accept all</button> <button>Manage preferences</button></div>
<header class="masthead"><a class="logo" href="/">{html.escape(article.site_name)}</a>
<nav class="primary">{_nav(rng)}</nav>
<div class="ticker"><span>Breaking</span> {" · ".join(html.escape(t) for t in rng.sample(_TEASERS, 5))}</div>
</header>
{_ad_slot(rng, "leaderboard")}
<main>
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/{article.section.lower()}">{html.escape(article.section)}</a></div>
<article class="story">
<h1 class="headline">{title}</h1>
<div class="byline">By <span class="author">{html.escape(article.author)}</span> ·
<time datetime="{article.published}">{article.published[:10]}</time></div>
<div class="share"><a href="#">Share</a> <a href="#">Post</a> <a href="#">Email</a> <a href="#">Print</a></div>
<div class="story-body">
{body}
</div>
<div class="newsletter"><h3>Get the trade briefing</h3><p>Sign up for our daily newsletter.</p>
<form><input type="email" placeholder="Your email"><button>Subscribe</button></form></div>
</article>
{_ad_slot(rng, "mid-article")}
<section id="comments"><h2>Comments ({comments})</h2>{_comments(rng, comments)}</section>
</main>
<aside class="sidebar">{"".join(_sidebar(rng) for _ in range(padding))}{_ad_slot(rng, "sidebar")}</aside>
<footer>{_footer(rng)}</footer>
</body>
</html>
"""


def _nav(rng: random.Random) -> str:
    links = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in _SECTIONS)
    sub = "".join(f'<li><a href="/topics/{rng.randrange(10_000)}">Topic {rng.randrange(100)}</a></li>' for _ in range(20))
    return f'<ul class="sections">{links}</ul><ul class="topics">{sub}</ul>'


def _ad_slot(rng: random.Random, name: str) -> str:
    slot = rng.randrange(10**8)
    return (
        f'<div class="ad ad-{name}" data-slot="{slot}"><span class="ad-label">Advertisement</span>'
        f'<script>window.adQueue=window.adQueue||[];adQueue.push({{slot:"{slot}",size:[728,90],targeting:{{section:"{name}"}}}});</script>'
        f'<a href="https://ads.example/click?id={slot}"><img src="/ads/{slot}.png" alt="Sponsored"></a></div>'
    )


def _related_box(rng: random.Random) -> str:
    items = "".join(f'<li><a href="/news/{rng.randrange(10**6)}">{html.escape(t)}</a></li>' for t in rng.sample(_TEASERS, 3))
    return f'<aside class="related"><h4>Related</h4><ul>{items}</ul></aside>'


def _comments(rng: random.Random, count: int) -> str:
    parts = []
    for index in range(count):
        words = " ".join(rng.choice(_COMMENT_WORDS) for _ in range(rng.randint(12, 60)))
        parts.append(
            f'<div class="comment" id="c{index}"><span class="user">reader{rng.randrange(10_000)}</span>'
            f'<p>{words.capitalize()}.</p><a href="#">Reply</a> <span class="likes">{rng.randrange(200)} likes</span></div>'
        )
    return "".join(parts)


def _sidebar(rng: random.Random) -> str:
    items = "".join(
        f'<li><a href="/news/{rng.randrange(10**6)}"><img src="/thumbs/{rng.randrange(10**5)}.jpg" alt="">'
        f"{html.escape(rng.choice(_TEASERS))}</a></li>" for _ in range(10)
    )
    return f'<section class="most-read"><h3>Most read</h3><ol>{items}</ol></section>'


def _footer(rng: random.Random) -> str:
    links = "".join(f'<a href="/{s.lower()}">{s}</a>' for s in _SECTIONS)
    legal = "".join(f'<a href="/legal/{n}">{n.title()}</a>' for n in ("privacy", "cookies", "terms", "accessibility", "contact"))
    return f'<div class="footer-links">{links}</div><div class="legal">{legal}</div><p>© 2025 All rights reserved.</p>'


def _styles(rng: random.Random, padding: int) -> str:
    rules = []
    for index in range(40 * padding):
        rules.append(f".c{index}{{margin:{rng.randrange(20)}px;padding:{rng.randrange(20)}px;color:#{rng.randrange(16**6):06x}}}")
    return "".join(rules)


def _scripts(rng: random.Random, padding: int) -> str:
    blocks = []
    for index in range(3 * padding):
        payload = ",".join(str(rng.randrange(10**6)) for _ in range(200))
        blocks.append(f"<script>(function(){{var d{index}=[{payload}];window.analytics&&analytics.track('view',d{index});}})();</script>")
    return "\n".join(blocks)
