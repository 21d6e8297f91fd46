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
    body = _figure(rng) + "\n".join(_paragraph(p, rng) for p in paragraphs[:middle])
    body += _related_box(rng)
    body += "\n".join(_paragraph(p, rng) for p in paragraphs[middle:])
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
<div class="page-wrapper"><div class="layout layout--two-column"><div class="layout__main"><div class="container">
<main>
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/{article.section.lower()}">{html.escape(article.section)}</a></div>
<article class="story">
<h1 class="headline">{title}</h1>
<div class="byline">By <span class="author">{html.escape(article.author)}</span> ·
<time datetime="{article.published}">{article.published[:10]}</time></div>
<div class="share">{"".join(_share_button(name) for name in ("Share", "Post", "Email", "Print", "Copy link"))}</div>
<div class="story-body"><div class="story-body__inner" data-component="text-block"><div class="rich-text">
{body}
</div></div></div>
<div class="newsletter"><h3>Get the trade briefing</h3><p>Sign up for our daily newsletter.</p>
<form><input type="email" placeholder="Your email"><button>Subscribe</button></form></div>
</article>
{_ad_slot(rng, "mid-article")}
<section id="comments"><h2>Comments ({comments})</h2>{_comments(rng, comments)}</section>
</main>
</div></div>
<aside class="sidebar layout__aside">{"".join(_sidebar(rng) for _ in range(padding))}{_ad_slot(rng, "sidebar")}</aside>
</div></div>
<section class="trending">{_trending(rng)}</section>
<footer>{_footer(rng)}</footer>
</body>
</html>
"""


def _paragraph(text: str, rng: random.Random) -> str:
    """A paragraph as news sites mark it up: a link or emphasis here and there."""
    words = html.escape(text).split(" ")
    if len(words) > 12:
        at = rng.randrange(2, len(words) - 4)
        words[at : at + 2] = [f'<a href="/topics/{rng.randrange(10_000)}" class="inline-link">{" ".join(words[at:at + 2])}</a>']
    if len(words) > 20 and rng.random() < 0.4:
        at = rng.randrange(1, len(words) - 2)
        words[at] = f"<em>{words[at]}</em>"
    return f'<p class="paragraph" data-testid="paragraph">{" ".join(words)}</p>'


def _figure(rng: random.Random) -> str:
    image = rng.randrange(10**6)
    sources = "".join(
        f'<source media="(min-width: {width}px)" srcset="/img/{image}-{width}.webp {width}w, /img/{image}-{width * 2}.webp {width * 2}w">'
        for width in (480, 768, 1024, 1440)
    )
    return (f'<figure class="lead-image"><picture>{sources}<img src="/img/{image}.jpg" alt="" loading="lazy" width="1200" height="675">'
            f'</picture><figcaption><span class="caption">File photo.</span> <span class="credit">Photo: agency</span></figcaption></figure>')


_ICON = ('<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M18 16.08c-.76 0-1.44.3-1.96.77L8.91 '
         '12.7c.05-.23.09-.46.09-.7s-.04-.47-.09-.7l7.05-4.11A2.99 2.99 0 0 0 21 5a3 3 0 1 0-6 0c0 .24.04.47.09.7L8.04 '
         '9.81A2.99 2.99 0 0 0 3 12a3 3 0 0 0 5.04 2.19l7.12 4.16c-.05.21-.08.43-.08.65a2.92 2.92 0 1 0 2.92-2.92z"/></svg>')


def _share_button(label: str) -> str:
    return f'<button class="share__button" data-action="{label.lower()}">{_ICON}<span class="visually-hidden">{label}</span></button>'


def _trending(rng: random.Random) -> str:
    cards = "".join(
        f'<div class="card"><a href="/news/{rng.randrange(10**6)}" class="card__link"><div class="card__media">'
        f'<img src="/thumbs/{rng.randrange(10**5)}.jpg" alt=""></div><div class="card__body"><h3 class="card__title">'
        f'{html.escape(rng.choice(_TEASERS))}</h3><span class="card__meta">{rng.randrange(1, 59)} min ago</span></div></a></div>'
        for _ in range(12)
    )
    return f'<h2 class="section-title">Trending</h2><div class="carousel"><div class="carousel__track">{cards}</div></div>'


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
