"""Pure enrichment: clean article text in; tags with evidence, entities and events out. No I/O."""

from core.enrichment import Enrichment, Entity, Event, Evidence, Mention, Modality, Tag
from enrich.enricher import Enricher
from enrich.gazetteer import EntitySpec, Gazetteer
from enrich.taxonomy import Rule, TagSpec, Taxonomy

__all__ = [
    "Enricher", "Enrichment", "Entity", "EntitySpec", "Event", "Evidence", "Gazetteer", "Mention",
    "Modality", "Rule", "Tag", "TagSpec", "Taxonomy",
]
