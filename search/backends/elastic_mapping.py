"""What tradewire stores in Elasticsearch: the index mapping (its version in `_meta`) and each document (an article
or a designation, `kind` telling which; their fields share the one strict mapping).

Every tradewire query runs on two derived fields, `search.title` and `search.text`, which hold the terms made by
search.analysis and are indexed with the `whitespace` analyzer, and on `keys.*`, the lower-cased keyword fields;
so results equal the embedded backend's whatever analyzers the node has.
"""

from __future__ import annotations

import json
from typing import Any

from tradewire.core.document import Document
from tradewire.search.analysis import index_form
from tradewire.search.query.elastic import keyword_path
from tradewire.search.query.fields import KEYWORD_FIELDS

MAPPING_VERSION = 3  # 3: kinds, and designations
_EVIDENCE = {
    "properties": {
        "text": {"type": "text", "index": False},
        "start": {"type": "integer"},
        "end": {"type": "integer"},
        "rules": {"type": "keyword"},
        "modality": {"type": "keyword"},
    }
}


def mapping(text_analyzer: str) -> dict[str, Any]:
    keyword = {"type": "keyword"}
    text_with_keyword = {
        "type": "text", "analyzer": text_analyzer, "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}},
    }
    return {
        "dynamic": "strict",
        "_meta": {"tradewire_mapping_version": MAPPING_VERSION},
        # Derived fields are indexed but not stored: documents are rebuilt from the article fields.
        "_source": {"excludes": ["search.*", "keys.*"]},
        "properties": {
            "kind": keyword,
            "id": keyword,
            "url": {"type": "keyword", "ignore_above": 4096},
            "canonical_url": {"type": "keyword", "ignore_above": 4096},
            "feed": keyword,
            "feed_tags": keyword,
            "source": keyword,
            "title": text_with_keyword,
            "author": text_with_keyword,
            "published": {"type": "date"},
            "fetched": {"type": "date"},
            "language": keyword,
            "text": {"type": "text", "analyzer": text_analyzer},
            "tags": {
                "type": "nested",
                "properties": {
                    "name": keyword, "score": {"type": "float"}, "modality": keyword, "evidence": _EVIDENCE,
                },
            },
            "entities": {
                "properties": {
                    "id": keyword, "name": keyword, "type": keyword, "known": {"type": "boolean"},
                    "mentions": {"type": "object", "enabled": False},
                }
            },
            "events": {
                "properties": {
                    "measure": keyword, "tag": keyword, "actor": keyword, "actor_id": keyword, "target": keyword,
                    "target_id": keyword, "objects": keyword, "date": {"type": "date"}, "modality": keyword,
                    "evidence": _EVIDENCE,
                }
            },
            "content_hash": keyword,
            "story_id": keyword,
            "extraction": keyword,
            "extraction_note": {"type": "text", "index": False},
            "tagging_note": {"type": "text", "index": False},
            # Searched through keys.listed; the parties themselves are only shown.
            "listed": {"type": "object", "enabled": False},
            "watched": {"type": "object", "enabled": False},
            # A designation's own fields (searched through keys.* and search.*).
            "event": keyword,
            "list": keyword,
            "entry_id": keyword,
            "entry_kind": keyword,
            "names": keyword,
            "programs": keyword,
            "countries": keyword,
            "identifiers": keyword,
            "listed_on": {"type": "date"},
            "remarks": {"type": "text", "index": False},
            "search": {
                "properties": {
                    "title": {"type": "text", "analyzer": "whitespace"},
                    "text": {"type": "text", "analyzer": "whitespace"},
                }
            },
            "keys": {
                "properties": {
                    **{keyword_path(field).removeprefix("keys."): keyword for field in KEYWORD_FIELDS},
                    "entity_facet": keyword,
                }
            },
        },
    }


def document_json(article: Document, serialised: str | None = None) -> str:
    """The document as Elasticsearch stores it, serialised: its own JSON plus the analysed `search` fields and
    the `keys` every keyword filter and facet uses. Built as text: the client sends a string source unchanged."""
    keys = {keyword_path(field).removeprefix("keys."): values for field, values in article.keywords().items()}
    keys["entity_facet"] = article.entity_facets()
    search = {"title": index_form(article.title), "text": index_form(article.text)}
    extra = json.dumps({"search": search, "keys": keys}, ensure_ascii=False, separators=(",", ":"))
    return (serialised or article.model_dump_json())[:-1] + "," + extra[1:]
