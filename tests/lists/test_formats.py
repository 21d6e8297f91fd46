"""Each list format read from a fixture in its published form, served over HTTP on 127.0.0.1; broken and foreign files refused."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from tradewire.enrich.screening.entries import ListEntry
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.lists import FORMATS, ListFormatError, read_list

DATA = Path(__file__).resolve().parents[1] / "data" / "lists"
FILES = {
    "ofac_sdn_xml": "ofac_sdn_xml.xml", "un_xml": "un_xml.xml", "eu_fsf_xml": "eu_fsf_xml.xml",
    "uk_csv": "uk_csv.csv", "csl_csv": "csl_csv.csv", "ftm_json": "ftm_json.jsonl",
}


def served(site: LocalSite, format_name: str, body: bytes | None = None) -> list[ListEntry]:
    url = site.put(f"/{FILES[format_name]}", body if body is not None else (DATA / FILES[format_name]).read_bytes(),
                   "application/octet-stream")
    with urllib.request.urlopen(url, timeout=10) as response:
        return read_list(response, format_name, format_name.replace("_", "-"))


def by_name(entries: list[ListEntry], name: str) -> ListEntry:
    return next(entry for entry in entries if name in entry.names)


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == set(FILES)


def test_ofac_sdn_xml(site: LocalSite) -> None:
    text = (DATA / FILES["ofac_sdn_xml"]).read_text()
    entries = served(site, "ofac_sdn_xml")
    assert len(entries) == text.count("<sdnEntry>")
    lavrov = by_name(entries, "Sergey Viktorovich LAVROV")
    assert lavrov.kind == "person" and lavrov.programs == ("RUSSIA-EO14024",) and lavrov.countries == ("RU",)
    assert "Сергей Викторович Лавров" in lavrov.names and "Sergei Viktorovich LAVROV" in lavrov.names
    assert "Passport 100000187" in lavrov.identifiers
    tanker = by_name(entries, "ADRIAN DARYA 1")
    assert tanker.kind == "vessel" and "IMO 9116412" in tanker.identifiers and "GRACE 1" in tanker.names
    # OFAC's weak aliases are too broad to screen on and are left out.
    assert "Karl LEE" in by_name(entries, "Fangwei LI").names
    assert all(entry.listed_on is None for entry in entries)


def test_un_xml(site: LocalSite) -> None:
    text = (DATA / FILES["un_xml"]).read_text()
    entries = served(site, "un_xml")
    assert len(entries) == text.count("<INDIVIDUAL>") + text.count("<ENTITY>")
    zawahiri = next(entry for entry in entries if entry.entry_id == "QDi.006")
    assert zawahiri.names[0] == "Ayman AL-ZAWAHIRI" and "أيمن الظواهري" in zawahiri.names
    assert zawahiri.listed_on == date(2001, 1, 25) and zawahiri.programs == ("Al-Qaida",) and zawahiri.countries == ("EG",)
    komid = next(entry for entry in entries if entry.entry_id == "KPe.001")
    assert komid.kind == "organization" and "Changgwang Sinyong Corporation" in komid.names and komid.countries == ("KP",)
    # An alias of quality "Low" is no name to screen on.
    assert "Aiman Muhammed Rabi al-Zawahiri" not in zawahiri.names and "Ayman al-Zawahry" in zawahiri.names


def test_eu_fsf_xml(site: LocalSite) -> None:
    text = (DATA / FILES["eu_fsf_xml"]).read_text()
    entries = served(site, "eu_fsf_xml")
    assert len(entries) == text.count("<sanctionEntity ")
    lukashenko = by_name(entries, "Alexander Grigoryevich Lukashenko")
    assert lukashenko.programs == ("BLR",) and lukashenko.countries == ("BY",) and lukashenko.listed_on == date(2020, 10, 2)
    assert "Аляксандр Рыгоравіч Лукашэнка" in lukashenko.names
    rosneft = by_name(entries, "ROSNEFT OIL COMPANY")
    assert rosneft.kind == "organization" and "ПАО «НК «Роснефть»" in rosneft.names
    assert "Tax ID No. 7706107510" in rosneft.identifiers


def test_uk_csv_groups_rows_wherever_they_lie(site: LocalSite) -> None:
    raw = (DATA / FILES["uk_csv"]).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw.split("\n", 1)[1])))
    entries = served(site, "uk_csv")
    assert len(entries) == len({row["Group ID"] for row in rows})
    lukashenko = by_name(entries, "Aliaksandr Ryhoravich LUKASHENKA")
    assert lukashenko.names[0] == "Alexander Grigoryevich Lukashenko"  # the primary name first, though the alias row comes first
    abramovich = by_name(entries, "Roman Arkadyevich Abramovich")
    assert "Roman Arkadievich ABRAMOVICH" in abramovich.names and "Роман Аркадьевич Абрамович" in abramovich.names
    assert abramovich.countries == ("RU", "IL", "PT") and abramovich.programs == ("Russia",)
    assert abramovich.listed_on == date(2022, 3, 10)
    ship = next(entry for entry in entries if entry.kind == "vessel")
    assert ship.names[0] == "ADRIAN DARYA 1" and "IMO 9116412" in ship.identifiers


def test_csl_csv_carries_the_entity_list(site: LocalSite) -> None:
    raw = (DATA / FILES["csl_csv"]).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    entries = served(site, "csl_csv")
    assert len(entries) == len(rows)
    huawei = by_name(entries, "HUAWEI TECHNOLOGIES CO., LTD.")
    assert huawei.programs == ("EL",) and "华为技术有限公司" in huawei.names and huawei.countries == ("CN",)
    assert "Registration ID 914403001922038216" in huawei.identifiers and huawei.listed_on == date(2019, 5, 16)
    on_el = sum(1 for row in rows if row["source"].startswith("Entity List (EL)"))
    assert sum(1 for entry in entries if entry.programs == ("EL",) or "EL" in entry.programs) == on_el
    sechin = by_name(entries, "SECHIN, Igor Ivanovich")
    assert sechin.kind == "person" and "UKRAINE-EO13661" in sechin.programs


def test_ftm_json_reads_targets_only(site: LocalSite) -> None:
    lines = [json.loads(line) for line in (DATA / FILES["ftm_json"]).read_text(encoding="utf-8").splitlines()]
    targets = [line for line in lines if line["target"]]
    entries = served(site, "ftm_json")
    assert len(entries) == len(targets) < len(lines)
    assert {entry.entry_id for entry in entries} == {line["id"] for line in targets}
    dji = by_name(entries, "SZ DJI TECHNOLOGY CO., LTD.")
    assert "深圳市大疆创新科技有限公司" in dji.names and dji.countries == ("CN",) and "EL" in dji.programs
    assert "DJI" not in dji.names  # a weakAlias
    assert dji.listed_on == date(2020, 12, 22)
    tanker = by_name(entries, "ADRIAN DARYA 1")
    assert tanker.kind == "vessel" and "IMO 9116412" in tanker.identifiers


@pytest.mark.parametrize("format_name", sorted(FILES))
def test_a_truncated_file_is_refused_whole(site: LocalSite, format_name: str) -> None:
    body = (DATA / FILES[format_name]).read_bytes()
    cut = body[: len(body) * 2 // 3]
    with pytest.raises(ListFormatError) as refused:
        served(site, format_name, cut)
    assert refused.value.list_name == format_name.replace("_", "-") and refused.value.format_name == format_name
    assert refused.value.where.startswith("line ")


def test_a_streaming_parse_yields_entries_before_the_break() -> None:
    # What read_list guards against: a caller that consumed the generator directly has half a list when the error comes.
    body = (DATA / FILES["ofac_sdn_xml"]).read_bytes()
    seen: list[ListEntry] = []
    with pytest.raises(ListFormatError):
        for entry in FORMATS["ofac_sdn_xml"](io.BytesIO(body[: len(body) // 2]), "ofac"):
            seen.append(entry)
    assert 0 < len(seen) < body.count(b"<sdnEntry>")


@pytest.mark.parametrize(("format_name", "other"), [
    ("ofac_sdn_xml", "csl_csv"), ("ofac_sdn_xml", "un_xml"), ("un_xml", "eu_fsf_xml"), ("eu_fsf_xml", "ftm_json"),
    ("uk_csv", "csl_csv"), ("csl_csv", "uk_csv"), ("csl_csv", "ofac_sdn_xml"), ("ftm_json", "uk_csv"), ("uk_csv", "ftm_json"),
])
def test_a_file_of_another_schema_is_refused(format_name: str, other: str) -> None:
    with pytest.raises(ListFormatError) as refused:
        read_list(io.BytesIO((DATA / FILES[other]).read_bytes()), format_name, "some-list")
    assert "some-list" in str(refused.value) and format_name in str(refused.value)


def test_an_html_error_page_is_refused() -> None:
    page = b"<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>\n"
    for format_name in FILES:
        with pytest.raises(ListFormatError):
            read_list(io.BytesIO(page), format_name, "some-list")


def test_bytes_that_are_not_utf8_are_refused_with_their_line() -> None:
    body = (DATA / FILES["csl_csv"]).read_bytes().replace("华为".encode(), b"\xff\xfe")
    with pytest.raises(ListFormatError) as refused:
        read_list(io.BytesIO(body), "csl_csv", "csl")
    assert "not UTF-8" in refused.value.reason and refused.value.where != "line 1"


def test_an_xml_external_entity_is_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY inner "INNER-EXPANDED">]>
<sdnList><sdnEntry><uid>1</uid><lastName>ACME &leak;&inner; TRADING</lastName><sdnType>Entity</sdnType>
<programList><program>SDGT</program></programList></sdnEntry></sdnList>
"""
    entries = read_list(io.BytesIO(body.encode()), "ofac_sdn_xml", "ofac")
    assert len(entries) == 1
    assert all("SECRET" not in name and "EXPANDED" not in name for name in entries[0].names)


def test_the_same_entry_id_twice_is_refused() -> None:
    body = (DATA / FILES["ftm_json"]).read_text(encoding="utf-8")
    first = body.splitlines()[0]
    with pytest.raises(ListFormatError) as refused:
        read_list(io.BytesIO((body + first + "\n").encode()), "ftm_json", "os")
    assert "twice" in refused.value.reason


_MEMORY_PROBE = """
import io, resource, sys
from tradewire.ingest.lists import FORMATS

class Generated(io.RawIOBase):
    # A list file of about 50 MB made as it is read: the file itself is never in memory.
    def __init__(self, records, head, record, tail):
        self.records, self.head, self.record, self.tail, self.index, self.buffer = records, head, record, tail, -1, b""
    def readable(self): return True
    def readinto(self, target):
        while len(self.buffer) < len(target) and self.index <= self.records:
            self.buffer += self.head if self.index < 0 else self.record(self.index) if self.index < self.records else self.tail
            self.index += 1
        size = min(len(target), len(self.buffer))
        target[:size], self.buffer = self.buffer[:size], self.buffer[size:]
        return size

def sdn(i):
    return (f"<sdnEntry><uid>{i}</uid><firstName>Given{i} Middle</firstName><lastName>SURNAME{i}</lastName><sdnType>Individual</sdnType>"
            f"<programList><program>SDGT</program></programList><akaList><aka><uid>{i}1</uid><type>a.k.a.</type><category>strong</category>"
            f"<lastName>ALIAS{i}</lastName></aka></akaList><idList><id><uid>{i}2</uid><idType>Passport</idType><idNumber>P{i:09d}</idNumber></id>"
            f"</idList><remarks>{'x' * 400}</remarks></sdnEntry>\\n").encode()

def ftm(i):
    return ('{"id": "e%d", "schema": "Person", "properties": {"name": ["Given%d Surname%d"], "alias": ["Alias%d"], "country": ["ru"], '
            '"notes": ["%s"]}}\\n' % (i, i, i, i, "x" * 400)).encode()

kind = sys.argv[1]
if kind == "xml":
    stream = Generated(70_000, b'<?xml version="1.0"?><sdnList xmlns="http://tempuri.org/sdnList.xsd">\\n', sdn, b"</sdnList>\\n")
    parse = FORMATS["ofac_sdn_xml"]
else:
    stream = Generated(100_000, b"", ftm, b"")
    parse = FORMATS["ftm_json"]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = sum(1 for _ in parse(io.BufferedReader(stream, 1 << 16), "big"))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count, stream.index, (after - before) // 1024)
"""


@pytest.mark.parametrize("kind", ["xml", "jsonl"])
def test_a_50_mb_list_parses_in_bounded_memory(kind: str) -> None:
    # In a process of its own, so its peak RSS is this parse's alone; the file is generated as it is read.
    done = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, kind], capture_output=True, text=True, timeout=240, check=True)
    count, _, grown_mb = (int(value) for value in done.stdout.split())
    assert count == (70_000 if kind == "xml" else 100_000)
    assert grown_mb < 40, f"peak memory grew by {grown_mb} MB while streaming a 50 MB list"
