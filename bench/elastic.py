"""The Elasticsearch the benchmarks write to: one node or a cluster (a comma-separated URL), and clean-up after."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import Elasticsearch


@dataclass(frozen=True)
class Target:
    """The nodes of `url`, and how many data nodes their cluster has."""

    url: str

    @property
    def nodes(self) -> list[str]:
        return [node.strip() for node in self.url.split(",") if node.strip()]

    def client(self) -> Elasticsearch:
        return Elasticsearch(self.nodes, request_timeout=120)

    def data_nodes(self) -> int:
        with self.client() as client:
            return int(client.cluster.health()["number_of_data_nodes"])

    def shards(self) -> int:
        """One primary per data node: on a cluster every node indexes and searches its share (1 on one node,
        tradewire's default)."""
        return self.data_nodes()

    def label(self) -> str:
        """Added to a figure's name on a cluster: ", 3 nodes"."""
        nodes = self.data_nodes()
        return "" if nodes == 1 else f", {nodes} nodes"


def drop_alias(url: str, alias: str) -> None:
    """Delete the indices behind tradewire's alias `alias` and its index template."""
    client = Target(url).client()
    try:
        for name in client.indices.get(index=f"{alias}-*"):
            client.indices.delete(index=name)
        client.options(ignore_status=404).indices.delete_index_template(name=f"{alias}-template")
    finally:
        client.close()
