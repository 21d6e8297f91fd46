"""Pure enrichment: clean article text in; tags with evidence, entities and events out. No I/O."""

from tradewire.core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports({
    **dict.fromkeys(["Enrichment", "Entity", "Event", "Evidence", "Mention", "Modality", "Tag"], "tradewire.core.enrichment"),
    "Enricher": "tradewire.enrich.enricher", "EntitySpec": "tradewire.enrich.gazetteer", "Gazetteer": "tradewire.enrich.gazetteer",
    "Rule": "tradewire.enrich.taxonomy", "TagSpec": "tradewire.enrich.taxonomy", "Taxonomy": "tradewire.enrich.taxonomy",
})
