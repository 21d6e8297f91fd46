"""Pure enrichment: clean article text in; tags with evidence, entities and events out. No I/O."""

from core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports({
    **dict.fromkeys(["Enrichment", "Entity", "Event", "Evidence", "Mention", "Modality", "Tag"], "core.enrichment"),
    "Enricher": "enrich.enricher", "EntitySpec": "enrich.gazetteer", "Gazetteer": "enrich.gazetteer",
    "Rule": "enrich.taxonomy", "TagSpec": "enrich.taxonomy", "Taxonomy": "enrich.taxonomy",
})
