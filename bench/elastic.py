"""Clean-up of what a benchmark wrote to the Elasticsearch node."""

from __future__ import annotations

from elasticsearch import Elasticsearch


def drop_alias(url: str, alias: str) -> None:
    """Delete the indices behind tradewire's alias `alias` and its index template."""
    client = Elasticsearch(url)
    try:
        for name in client.indices.get(index=f"{alias}-*"):
            client.indices.delete(index=name)
        client.options(ignore_status=404).indices.delete_index_template(name=f"{alias}-template")
    finally:
        client.close()
