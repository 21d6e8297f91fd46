"""3. Enrichment: articles/s of `enrich` alone against trafilatura's extraction of the same articles.

Workload: 150 news pages (50–300 KB). Extraction: `trafilatura.bare_extraction(html, url=url)`, as a
user would run it (its defaults). Enrichment: `Enricher.enrich` on the text extracted from each page (tags
with evidence and modality, entities, events, language). Also reported: tradewire's own extraction call
(fast mode first, metadata on, comments off), which is cheaper than trafilatura's default.
"""

from __future__ import annotations

import time

from bench.harness import Measure, Row, bare_extraction_rate
from bench.workloads import page_for, stories
from tradewire.enrich import Enricher
from tradewire.ingest.articles.process import extract
from tradewire.ingest.configuration import load_config


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    count = 40 if quick else 150
    pages = [(f"http://site.example/{s.slug}", page_for(s, f"http://site.example/{s.slug}", seed=i), s.published)
             for i, s in enumerate(stories(count, seed=11))]
    config = load_config(None)
    enricher = Enricher(config.taxonomy, config.gazetteer)
    texts = []
    extraction_rates, own_rates, enrichment_rates = [], [], []
    for round_number in range(1 if quick else 3):
        extraction_rates.append(bare_extraction_rate(pages))
        started = time.perf_counter()
        extracted = [extract(body, url) for url, body, _ in pages]
        own_rates.append(count / (time.perf_counter() - started))
        texts = [(doc.text, published.date()) for doc, (_, _, published) in zip(extracted, pages)]
        enricher.enrich(texts[0][0])
        started = time.perf_counter()
        for text, published in texts:
            enricher.enrich(text, published=published)
        enrichment_rates.append(count / (time.perf_counter() - started))
    ratio = Measure(enrichment_rates, "").median / Measure(extraction_rates, "").median
    own = Measure(enrichment_rates, "").median / Measure(own_rates, "").median
    average = sum(len(text) for text, _ in texts) / len(texts)
    return [Row(f"enrichment vs extraction (articles/s, {count} pages)", Measure(enrichment_rates, "/s"),
                Measure(extraction_rates, "/s"), ratio, "≥ 10×", ratio >= 10,
                notes=[f"average article text {average:,.0f} characters; tradewire's own extraction call runs at "
                       f"{Measure(own_rates, '/s').show()}, enrichment is {own:.1f}× that"])]
