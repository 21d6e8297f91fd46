"""8. Screening: a list of 300,000 generated names and aliases loaded; `screen(name)` against rapidfuzz's extractOne.

Workload: 100,000 generated entries of three names each (primary and two aliases): Russian-style people
with patronymics and a Cyrillic spelling, Arabic-style names with articles, Chinese people in pinyin with
a Chinese-character alias, and companies with legal forms, Cyrillic and Chinese aliases; written as a
FollowTheMoney JSON-lines file. Load: parsing that file (`ingest.lists.read_list`) and building the
`ScreeningIndex`, with the process's resident memory before and after. Queries: 300 listed names as
users write them (patronymic left out, surname first with a comma, in Cyrillic, company form changed or
dropped, lower case) and 300 unlisted names made the same way. Baseline: what a user would write,
`rapidfuzz.process.extractOne(query, all_names, scorer=fuzz.token_sort_ratio)` per query, with the score
cutoff set so that it finds as many of the listed names as tradewire does (same recall).
Per article, as the extraction workers run it: enrichment and screening of the extracted text and title
(`Enricher.enrich`, then `listed_parties` over the loaded index) against trafilatura's default
extraction of the same 150 news pages (as `bench.enrichment` measures enrichment alone).
"""

from __future__ import annotations

import gc
import json
import random
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bench.harness import Measure, Row, bare_extraction_rate, percentile
from bench.workloads import page_for, stories
from tradewire.enrich import Enricher
from tradewire.enrich.screening.index import ScreeningIndex
from tradewire.ingest.articles.process import extract
from tradewire.ingest.articles.screening import listed_parties
from tradewire.ingest.configuration import load_config
from tradewire.ingest.lists import read_list

_SYLLABLES = ("ka ro mi na te vo la re si do ba ze ni ko lu ma sha ri ta vi go pe ra zo de li mo ne sa fa ha "
              "ya ju bo ti ga se dra vla bro stri gra pla kri tro").split()
_GIVEN_RU = ("Sergey Igor Oleg Alexander Dmitriy Vladimir Mikhail Yevgeniy Andrey Nikolay Pavel Viktor Roman Boris "
             "Gennadiy Arkadiy Yuriy Anatoliy Konstantin Maksim").split()
_GIVEN_AR = ("Mohammed Ahmad Ali Hassan Hussein Omar Khalid Abdullah Yusuf Ibrahim Mustafa Tariq Karim Samir Nabil "
             "Walid Faisal Hamza Bilal Jamal").split()
_SURNAME_CN = "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo".split()
_PINYIN = ("wei fang ming hua jun jie lei yang hong qiang ping gang xin yu tao bin hai feng jian kai long peng "
           "xiang zhi").split()
_HANZI = "伟芳明华军杰磊洋红强平刚新宇涛斌海峰建凯龙鹏翔志国东南北安盛泰昌鑫源通达"
_SECTORS = "Trading Shipping Industrial Petroleum Engineering Logistics Electronics Mining Metals Chemical Aviation Energy".split()
_FORMS = ("LLC", "Ltd", "Co., Ltd.", "JSC", "PJSC", "GmbH", "Limited", "FZE", "Corporation", "OOO")
_CYRILLIC = str.maketrans({"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "k": "к",
                           "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
                           "f": "ф", "h": "х", "y": "ы", "j": "й"})


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _cyrillic(name: str) -> str:
    return " ".join(word.lower().translate(_CYRILLIC).capitalize() for word in name.split())


def _entry(rng: random.Random, number: int) -> tuple[str, list[str], str]:
    """(schema, names, query-style variant) for one generated listed party."""
    style = number % 4
    if style == 0:
        given, surname = rng.choice(_GIVEN_RU), _word(rng, 2) + rng.choice(("ov", "ev", "in", "enko", "sky"))
        patronymic = rng.choice(_GIVEN_RU) + "ovich"
        names = [f"{given} {patronymic} {surname.upper()}", f"{surname.upper()}, {given}", _cyrillic(f"{given} {surname}")]
        return "Person", names, rng.choice((f"{given} {surname}", f"{surname}, {given} {patronymic}", names[2]))
    if style == 1:
        given, surname = rng.choice(_GIVEN_AR), _word(rng, rng.randint(2, 3))
        names = [f"{given} {rng.choice(_GIVEN_AR)} AL-{surname.upper()}", f"{given} al {surname}", f"Abu {rng.choice(_GIVEN_AR)} al-{surname}"]
        return "Person", names, rng.choice((f"{given} al-{surname}", f"{given} {surname}"))
    if style == 2:
        surname, given = rng.choice(_SURNAME_CN), "".join(rng.sample(_PINYIN, 2))
        hanzi = "".join(rng.sample(_HANZI, 3))
        names = [f"{surname.upper()} {given.capitalize()}", f"{given.capitalize()} {surname}", hanzi]
        return "Person", names, rng.choice((f"{surname} {given}", f"{given} {surname}", hanzi))
    brand = _word(rng, rng.randint(2, 4))
    sector = rng.choice(_SECTORS)
    names = [f"{brand.upper()} {sector.upper()} {rng.choice(_FORMS).upper()}", _cyrillic(f"ooo {brand} {sector}"),
             "".join(rng.sample(_HANZI, 4)) + "有限公司"]
    return "Company", names, rng.choice((f"{brand} {sector} {rng.choice(_FORMS)}", f"{brand} {sector}", f"{brand.lower()} {sector.lower()}"))


def _write_list(path: Path, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Write `count` entries as FollowTheMoney JSON lines; return each entry's (id, query-style variant)."""
    variants = []
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            schema, names, variant = _entry(rng, number)
            entity_id = f"gen-{number}"
            properties = {"name": names[:1], "alias": names[1:], "country": ["ru"], "program": ["GEN"]}
            out.write(json.dumps({"id": entity_id, "schema": schema, "properties": properties, "target": True}, ensure_ascii=False) + "\n")
            variants.append((entity_id, variant))
    return variants


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    rng = random.Random(16)
    entries_wanted = 20_000 if quick else 100_000
    queries_wanted = 60 if quick else 300
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.ftm.json"
        variants = _write_list(path, entries_wanted + queries_wanted, rng)
        # The last entries are never loaded: their names are the unlisted queries.
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:entries_wanted]), encoding="utf-8")
        del lines
        gc.collect()
        before = _rss_mb()
        started = time.perf_counter()
        with path.open("rb") as stream:
            entries = read_list(stream, "ftm_json", "generated")
        parsed = time.perf_counter() - started
        index = ScreeningIndex(entries)
        load = time.perf_counter() - started
        gc.collect()
        grown = _rss_mb() - before
    names = [name for entry in entries for name in entry.names]
    listed = rng.sample(variants[:entries_wanted], queries_wanted)
    unlisted = variants[entries_wanted:]
    by_id = {entry.entry_id: entry for entry in entries}

    timings, found, false_matches, namesakes = [], 0, 0, 0
    for entity_id, query in listed + unlisted:
        began = time.perf_counter()
        matches = index.screen(query)
        timings.append((time.perf_counter() - began) * 1000)
        if entity_id in by_id:
            found += any(match.entry.entry_id == entity_id for match in matches)
        elif matches:
            # Names drawn from small pools of given names and syllables: some unlisted names are listed namesakes.
            namesakes += matches[0].score == 1.0
            false_matches += matches[0].score < 1.0
    recall = found / len(listed)

    best = [process.extractOne(query, names, scorer=fuzz.token_sort_ratio, processor=utils.default_process) for _, query in listed[:60]]
    owners = {name: entry.entry_id for entry in entries for name in entry.names}
    correct = sorted((score for (entity_id, _), (name, score, _) in zip(listed, best) if owners[name] == entity_id), reverse=True)
    needed = max(1, round(recall * len(best)))
    cutoff = correct[needed - 1] if len(correct) >= needed else (correct[-1] if correct else 0.0)
    # extractOne returns one best name: where that is another party's, no cutoff finds the listed one.
    baseline_recall = sum(score >= cutoff for score in correct) / len(best)
    baseline_times = []
    baseline_false = 0
    for _, query in listed[:40] + unlisted[:40]:
        began = time.perf_counter()
        hit = process.extractOne(query, names, scorer=fuzz.token_sort_ratio, processor=utils.default_process, score_cutoff=cutoff)
        baseline_times.append((time.perf_counter() - began) * 1000)
        baseline_false += hit is not None and query in dict(unlisted[:40]).values()

    texts = [story.text for story in stories(40 if quick else 150, seed=11)]
    began = time.perf_counter()
    for text in texts:
        index.find_in_text(text)
    article_rate = len(texts) / (time.perf_counter() - began)
    with_screening, enrichment, extraction = _per_article(index, quick)

    p95, baseline_p95 = percentile(timings, 0.95), percentile(baseline_times, 0.95)
    count = len(index)
    return [
        Row(f"screening: list load, {count:,} names (parse + index)", Measure([load], "s"), "—", None, "≤ 30 s", load <= 30,
            notes=[f"parsing the {entries_wanted:,} entries {parsed:.1f} s, building the index {load - parsed:.1f} s"]),
        Row(f"screening: memory of the loaded list, {count:,} names", Measure([grown], "MB"), "—", None, "≤ 300 MB", grown <= 300,
            notes=["resident memory of the process after parsing and indexing, less before (entries and index)"]),
        Row("screening: screen(name) p95", Measure([p95], "ms"), Measure([baseline_p95], "ms"), baseline_p95 / p95, "≤ 20 ms", p95 <= 20,
            notes=[f"tradewire recall {recall:.3f} on {len(listed)} listed names as users write them, "
                   f"{false_matches}/{len(unlisted)} unlisted names matched a listed one (besides {namesakes} exact namesakes); median {Measure(timings, '').median:.2f} ms",
                   f"baseline extractOne(token_sort_ratio) over all {len(names):,} names, cutoff {cutoff:.1f} for the same "
                   f"recall, or its best ({baseline_recall:.3f} on {len(best)}); {baseline_false}/40 unlisted names matched",
                   f"find_in_text on news articles with the list loaded: {article_rate:.0f} articles/s"]),
        Row(f"enrichment with screening vs extraction (articles/s, {count:,} names loaded)", with_screening, extraction,
            with_screening.median / extraction.median, "≥ 8×", with_screening.median / extraction.median >= 8,
            notes=["Enricher.enrich then listed_parties on each extracted text and title, against "
                   "trafilatura.bare_extraction(html, url=url) on the same pages",
                   f"enrichment alone in the same rounds {enrichment.show()} ({enrichment.median / extraction.median:.1f}× "
                   f"extraction): screening adds {1000 / with_screening.median - 1000 / enrichment.median:.2f} ms per article"]),
    ]


def _per_article(index: ScreeningIndex, quick: bool) -> tuple[Measure, Measure, Measure]:
    """(enrichment and screening, enrichment alone, trafilatura's extraction) in articles/s on the same news pages."""
    count = 40 if quick else 150
    pages = [(f"http://site.example/{s.slug}", page_for(s, f"http://site.example/{s.slug}", seed=i), s.published)
             for i, s in enumerate(stories(count, seed=11))]
    config = load_config(None)
    enricher = Enricher(config.taxonomy, config.gazetteer)
    documents = [(extract(body, url), published.date()) for url, body, published in pages]
    texts = [(document.title or "", document.text, published) for document, published in documents]
    enricher.enrich(texts[0][1])
    gc.freeze()  # as a worker does once its enricher and screening index are built (ingest.articles.process)
    extraction_rates, screening_rates, enrichment_rates = [], [], []
    for _ in range(1 if quick else 3):
        extraction_rates.append(bare_extraction_rate(pages))
        started = time.perf_counter()
        for title, text, published in texts:
            enricher.enrich(text, published=published)
            listed_parties(index, text, title)
        screening_rates.append(count / (time.perf_counter() - started))
        started = time.perf_counter()
        for _, text, published in texts:
            enricher.enrich(text, published=published)
        enrichment_rates.append(count / (time.perf_counter() - started))
    return Measure(screening_rates, "/s"), Measure(enrichment_rates, "/s"), Measure(extraction_rates, "/s")
