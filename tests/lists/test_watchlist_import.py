"""`tradewire lists watchlist import FILE.csv` through the real command line: parties added to watchlist.yaml (its
comments kept) and used at once by `screen`; a party already there merged; a file with bad lines names each line and
writes nothing."""

from __future__ import annotations

from ruamel.yaml import YAML

from tests.support.cli import Tradewire


def _watchlist(tradewire: Tradewire) -> list[dict]:  # type: ignore[type-arg]
    return YAML(typ="safe").load((tradewire.config_dir / "watchlist.yaml").read_text(encoding="utf-8"))["parties"]


def test_parties_are_imported_merged_and_screened(tradewire: Tradewire) -> None:
    first = tradewire.root / "first.csv"
    first.write_text(
        "name,aliases,country,identifiers,note\n"
        "Meridian Polymer Works Sp. z o.o.,Meridian Polymer;MPW Gdansk,PL,KRS 0000123456,film supplier since 2021\n"
        '"Northwind Logistics, LLC",,,,\n',
        encoding="utf-8",
    )
    imported = tradewire.run("lists", "watchlist", "import", str(first), check=True)
    assert "2 parties added, 0 merged; 2 on the watchlist" in imported.stdout
    assert _watchlist(tradewire) == [
        {
            "name": "Meridian Polymer Works Sp. z o.o.",
            "aliases": ["Meridian Polymer", "MPW Gdansk"],
            "identifiers": ["KRS 0000123456"],
            "country": "PL",
            "note": "film supplier since 2021",
        },
        {"name": "Northwind Logistics, LLC"},
    ]
    assert "# Your own counterparties" in (tradewire.config_dir / "watchlist.yaml").read_text(encoding="utf-8")
    screened = tradewire.json("screen", "Meridian Polymer Works")
    assert [party["name"] for party in screened["watchlist"]] == ["Meridian Polymer Works Sp. z o.o."]

    second = tradewire.root / "second.csv"
    second.write_text("name,aliases,note\nMERIDIAN POLYMER WORKS SP. Z O.O.,MPW;Meridian Films,\n", encoding="utf-8")
    merged = tradewire.run("lists", "watchlist", "import", str(second), check=True)
    assert "0 parties added, 1 merged; 2 on the watchlist" in merged.stdout
    (meridian, _) = _watchlist(tradewire)
    assert meridian["aliases"] == ["Meridian Polymer", "MPW Gdansk", "MPW", "Meridian Films"]
    assert meridian["note"] == "film supplier since 2021"  # an empty cell changes nothing


def test_a_file_with_bad_lines_names_each_and_imports_nothing(tradewire: Tradewire) -> None:
    tradewire.write("watchlist.yaml", {"parties": [{"name": "Northwind Logistics LLC"}]})
    before = (tradewire.config_dir / "watchlist.yaml").read_text(encoding="utf-8")
    bad = tradewire.root / "bad.csv"
    bad.write_text(
        "name,aliases,country,identifiers,note\n"
        "Good Trading Co.,,,,\n"
        ",An Alias,,,\n"
        "Atlantic Pearl Shipping,,Atlantis,,\n"
        "Too Many Fields,,,,,extra\n",
        encoding="utf-8",
    )
    result = tradewire.run("lists", "watchlist", "import", str(bad))
    assert result.returncode == 1
    assert f"{bad}: line 3: name: String should have at least 1 character" in result.stderr
    assert f"{bad}: line 4: country: unknown country 'Atlantis'" in result.stderr
    assert f"{bad}: line 5: more fields than the header's 5 columns" in result.stderr
    assert "line 2" not in result.stderr and "nothing imported (3 problems)" in result.stderr
    assert (tradewire.config_dir / "watchlist.yaml").read_text(encoding="utf-8") == before

    header = tradewire.root / "header.csv"
    header.write_text("party,country\nAcme,US\n", encoding="utf-8")
    refused = tradewire.run("lists", "watchlist", "import", str(header))
    assert refused.returncode == 1 and "line 1: the header must name the columns" in refused.stderr
    assert "unknown: party" in refused.stderr
