"""tradewire: news monitoring for trade policy. Its packages keep the repository's top-level folders:
tradewire.core (core/), tradewire.enrich (enrich/), tradewire.ingest (ingest/), tradewire.search (search/)."""
