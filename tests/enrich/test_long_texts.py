"""Text of any shape is tagged in bounded steps: no over-long sentence reaches the tagger, whatever the punctuation.

(How the time grows with the text's length is measured in `python -m bench tagging-scale`, not asserted here.)
"""

from __future__ import annotations

import random

import pytest

from tradewire.enrich import Enricher
from tradewire.enrich.text import MAX_SENTENCE_CHARS, split_sentences
from tradewire.ingest.configuration import load_config

ENGLISH = ("sanctions export licence controls Entity List tariffs talks Treasury Ministry of Commerce China United States "
           "Huawei imposed added lifted threatened denied negotiations Reuters Russia Rosneft duties said would not "
           "could according to officials frozen assets on chips granted by the").split()
CHINESE = ["制裁", "出口管制", "许可证", "实体清单", "商务部", "美国", "中国", "对", "将", "加征", "关税", "谈判", "不会", "解除", "华为"]


def keyword_run(words: list[str], length: int, separator: str) -> str:
    """Trade keywords and names repeated without sentence punctuation, as a keyword-stuffed page has them."""
    chosen = random.Random(7).choices(words, k=length)
    return separator.join(chosen)[:length]


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    config = load_config(None)
    return Enricher(config.taxonomy, config.gazetteer)


@pytest.mark.parametrize(("words", "separator"), [(ENGLISH, " "), (CHINESE, ""), (["x" * 50_000], " ")], ids=["en", "zh", "one-word"])
def test_a_run_without_punctuation_is_cut_into_bounded_sentences_that_cover_it(words: list[str], separator: str) -> None:
    text = keyword_run(words, 40_000, separator)
    sentences = split_sentences(text)
    assert len(sentences) >= len(text) // MAX_SENTENCE_CHARS
    assert all(sentence.end - sentence.start <= MAX_SENTENCE_CHARS for sentence in sentences)
    # Nothing is lost: the pieces follow each other, and only white space lies between them.
    covered = "".join(sentence.text_of(text) for sentence in sentences)
    assert "".join(covered.split()) == "".join(text.split())
    for before, after in zip(sentences, sentences[1:]):
        assert before.end <= after.start and not text[before.end : after.start].strip()


def test_an_english_run_is_cut_between_words() -> None:
    text = keyword_run(ENGLISH, 20_000, " ")
    for sentence in split_sentences(text):
        assert sentence.start == 0 or text[sentence.start - 1] == " "
        assert sentence.end == len(text) or text[sentence.end] == " "


@pytest.mark.parametrize(("words", "separator"), [(ENGLISH, " "), (CHINESE, "")], ids=["en", "zh"])
def test_keyword_dense_text_gets_tags_from_bounded_sentences(enricher: Enricher, words: list[str], separator: str) -> None:
    text = keyword_run(words, 30_000, separator)
    result = enricher.enrich(text)
    assert result.tags, "a text made of trade keywords is tagged"
    for tag in result.tags:
        for evidence in tag.evidence:
            assert len(evidence.text) <= MAX_SENTENCE_CHARS
            assert text[evidence.start : evidence.end] == evidence.text


def test_ordinary_sentences_are_not_cut() -> None:
    legal = ("Under the regulation, no person may sell, supply, transfer or export, directly or indirectly, "
             "the goods and technology listed in the annex, whether or not originating in the Union, to any natural "
             "or legal person, entity or body in the country, or for use in that country, ") * 3 + "unless licensed."
    assert len(legal) < MAX_SENTENCE_CHARS
    assert [s.text_of(legal) for s in split_sentences(legal)] == [legal]
