"""A list's download is streamed into a temporary file of the data directory and parsed from there: a compressed
list served on 127.0.0.1 is read whole and leaves nothing behind, and `max_bytes` holds for the decoded stream (a
list over it is refused while it streams, the previous version kept)."""

from __future__ import annotations

import gzip

from tests.lists.test_refresh import ENTRIES, SDN, _status
from tests.support.cli import Tradewire
from tradewire.ingest.demo.site import LocalSite


def _serve_gzipped(site: LocalSite, body: str) -> str:
    return site.put(
        "/sdn.xml.gz", gzip.compress(body.encode()), "application/xml", headers={"Content-Encoding": "gzip"}
    )


def test_a_compressed_list_is_streamed_to_a_temporary_file_and_nothing_is_left(
    tradewire: Tradewire, site: LocalSite
) -> None:
    url = _serve_gzipped(site, SDN)
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})
    refreshed = tradewire.run("lists", "refresh", check=True)
    assert f"{len(ENTRIES)} entries loaded" in refreshed.stdout
    downloads = tradewire.data_dir / "downloads"
    assert downloads.is_dir() and list(downloads.iterdir()) == []


def test_a_list_over_its_max_bytes_once_decoded_is_refused_while_it_streams(
    tradewire: Tradewire, site: LocalSite
) -> None:
    url = _serve_gzipped(site, SDN)
    limit = len(SDN.encode()) + 1000  # the list fits; the compressed bytes of a list many times longer would too
    tradewire.write(
        "lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml", "max_bytes": limit}]}
    )
    tradewire.run("lists", "refresh", check=True)

    padded = SDN.replace("</sdnList>", "<!--" + "x" * (10 * limit) + "--></sdnList>")
    assert len(gzip.compress(padded.encode())) < limit < len(padded.encode())
    _serve_gzipped(site, padded)
    refused = tradewire.run("lists", "refresh")
    assert refused.returncode == 1
    row = _status(tradewire)
    assert row["last_outcome"] == "failed" and f"exceeds the limit of {limit:,} bytes" in row["last_error"]
    assert row["entries"] == len(ENTRIES) and "previous version stays in force" in row["last_error"]
    assert list((tradewire.data_dir / "downloads").iterdir()) == []
