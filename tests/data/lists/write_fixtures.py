"""Write the list fixtures of this folder from pool.py, each in its list's published format.

Run from the repository root: `python tests/data/lists/write_fixtures.py`. The files are committed;
the script says how they were made and remakes them after a change to the pool.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pool import POOL

HERE = Path(__file__).resolve().parent
_SDN_ONLY_OFF = {"EL", "NS-CMIC"}
_EU = {"Russia": "RUS", "Belarus": "BLR", "Ukraine": "UKR", "Iran": "IRN", "North Korea": "PRK"}
_UK = {"Russia": "Russia", "Belarus": "Belarus", "Ukraine": "Russia", "Iran": "Iran", "North Korea": "Democratic People's Republic of Korea"}
_UN_TYPES = {"QD": "Al-Qaida", "TA": "Taliban", "KP": "DPRK", "SO": "Al-Shabaab"}


def _names(entry: dict) -> tuple[str, str]:
    name = entry["name"]
    return name if isinstance(name, tuple) else ("", name)


def _whole(entry: dict) -> str:
    first, last = _names(entry)
    return f"{first} {last}".strip()


def _x(value: str) -> str:
    return escape(value)


def ofac() -> str:
    out = ['<?xml version="1.0" standalone="yes"?>',
           '<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">',
           "  <publshInformation>", "    <Publish_Date>06/02/2025</Publish_Date>", "    <Record_Count>{count}</Record_Count>", "  </publshInformation>"]
    count = 0
    for number, entry in enumerate(POOL):
        programs = [p for p in entry["sdn"] if p not in _SDN_ONLY_OFF]
        if not programs:
            continue
        count += 1
        uid = 36 + number * 137
        first, last = _names(entry)
        kind = {"person": "Individual", "organization": "Entity", "vessel": "Vessel", "aircraft": "Aircraft"}[entry["kind"]]
        out.append("  <sdnEntry>")
        out.append(f"    <uid>{uid}</uid>")
        if first:
            out.append(f"    <firstName>{_x(first)}</firstName>")
        out.append(f"    <lastName>{_x(last)}</lastName>")
        out.append(f"    <sdnType>{kind}</sdnType>")
        out.append("    <programList>" + "".join(f"<program>{_x(p)}</program>" for p in programs) + "</programList>")
        if entry["ids"]:
            out.append("    <idList>")
            for index, (id_type, number_) in enumerate(entry["ids"]):
                out.append(f"      <id><uid>{uid * 10 + index}</uid><idType>{_x(id_type)}</idType><idNumber>{_x(number_)}</idNumber></id>")
            out.append("    </idList>")
        if entry["aliases"]:
            out.append("    <akaList>")
            for index, alias in enumerate(entry["aliases"]):
                words = alias.split()
                category = "weak" if len(words) == 1 and entry["kind"] == "person" else "strong"
                out.append(f"      <aka><uid>{uid * 100 + index}</uid><type>a.k.a.</type><category>{category}</category>")
                if entry["kind"] == "person" and len(words) > 1:
                    out.append(f"        <lastName>{_x(words[-1])}</lastName><firstName>{_x(' '.join(words[:-1]))}</firstName></aka>")
                else:
                    out.append(f"        <lastName>{_x(alias)}</lastName></aka>")
            out.append("    </akaList>")
        if entry["countries"]:
            out.append("    <addressList>" + "".join(
                f"<address><uid>{uid * 1000 + i}</uid><country>{_x(c)}</country></address>" for i, c in enumerate(entry["countries"][:1])
            ) + "</addressList>")
        if entry["kind"] == "person":
            out.append(f"    <dateOfBirthList><dateOfBirthItem><uid>{uid + 1}</uid><dateOfBirth>{date.fromisoformat(entry['dob']).strftime('%d %b %Y')}</dateOfBirth>"
                       "<mainEntry>true</mainEntry></dateOfBirthItem></dateOfBirthList>")
            out.append("    <nationalityList>" + "".join(
                f"<nationality><uid>{uid + 2 + i}</uid><country>{_x(c)}</country><mainEntry>{'true' if i == 0 else 'false'}</mainEntry></nationality>"
                for i, c in enumerate(entry["countries"])
            ) + "</nationalityList>")
        if entry["kind"] == "vessel":
            out.append(f"    <vesselInfo><vesselType>Crude Oil Tanker</vesselType><vesselFlag>{_x(entry['countries'][0])}</vesselFlag></vesselInfo>")
        out.append("  </sdnEntry>")
    out.append("</sdnList>")
    return "\n".join(out).replace("{count}", str(count)) + "\n"


def un() -> str:
    people, bodies = [], []
    for number, entry in enumerate(POOL):
        reference = entry.get("un")
        if not reference:
            continue
        person = entry["kind"] == "person"
        tag = "INDIVIDUAL" if person else "ENTITY"
        original = [a for a in entry["aliases"] if not a.isascii()]
        latin = [a for a in entry["aliases"] if a.isascii()]
        parts = (_whole(entry).split() if person else [entry["name"]])
        names = "".join(f"<{field}>{_x(part)}</{field}>" for field, part in zip(("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"),
                                                                               parts[:3] + [" ".join(parts[3:])] if len(parts) > 3 else parts))
        lines = [f"    <{tag}>", f"      <DATAID>{6908000 + number}</DATAID>", "      <VERSIONNUM>1</VERSIONNUM>", f"      {names}",
                 f"      <UN_LIST_TYPE>{_UN_TYPES[reference[:2]]}</UN_LIST_TYPE>", f"      <REFERENCE_NUMBER>{reference}</REFERENCE_NUMBER>",
                 f"      <LISTED_ON>{entry['listed']}</LISTED_ON>"]
        if original:
            lines.append(f"      <NAME_ORIGINAL_SCRIPT>{_x(original[0])}</NAME_ORIGINAL_SCRIPT>")
        lines.append(f"      <COMMENTS1>Listed pursuant to the {_UN_TYPES[reference[:2]]} sanctions regime.</COMMENTS1>")
        if person:
            lines.append("      <DESIGNATION><VALUE>na</VALUE></DESIGNATION>")
            lines.append("      <NATIONALITY>" + "".join(f"<VALUE>{_x(c)}</VALUE>" for c in entry["countries"]) + "</NATIONALITY>")
        lines.append("      <LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>")
        lines.append("      <LAST_DAY_UPDATED><VALUE>2023-03-01</VALUE></LAST_DAY_UPDATED>")
        for index, alias in enumerate(latin):
            quality = "Good" if person else "a.k.a."
            if person and index == len(latin) - 1 and len(latin) > 1:
                quality = "Low"
            lines.append(f"      <{tag}_ALIAS><QUALITY>{quality}</QUALITY><ALIAS_NAME>{_x(alias)}</ALIAS_NAME></{tag}_ALIAS>")
        if person:
            lines.append(f"      <INDIVIDUAL_ADDRESS><COUNTRY>{_x(entry['countries'][0])}</COUNTRY></INDIVIDUAL_ADDRESS>")
            lines.append(f"      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>{entry['dob']}</DATE></INDIVIDUAL_DATE_OF_BIRTH>")
            for id_type, id_number in entry["ids"]:
                lines.append(f"      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>{_x(id_type)}</TYPE_OF_DOCUMENT><NUMBER>{_x(id_number)}</NUMBER></INDIVIDUAL_DOCUMENT>")
        else:
            for country in entry["countries"]:
                lines.append(f"      <ENTITY_ADDRESS><STREET/><CITY/><COUNTRY>{_x(country)}</COUNTRY></ENTITY_ADDRESS>")
        lines += ["      <SORT_KEY/>", "      <SORT_KEY_LAST_MOD/>", f"    </{tag}>"]
        (people if person else bodies).extend(lines)
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      '<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://scsanctions.un.org/resources/xml/en/consolidated.xsd" dateGenerated="2025-06-02T09:00:03.412Z">',
                      "  <INDIVIDUALS>", *people, "  </INDIVIDUALS>", "  <ENTITIES>", *bodies, "  </ENTITIES>", "</CONSOLIDATED_LIST>"]) + "\n"


def _eu_programme(entry: dict) -> str | None:
    if entry.get("un", "")[:2] in ("QD",):
        return "TAQA"
    if entry.get("un", "")[:2] == "TA":
        return "AFG"
    return next((_EU[c] for c in entry["countries"] if c in _EU), None)


def eu() -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2025-06-02T16:32:37.421+02:00" globalFileId="152881">']
    for number, entry in enumerate(POOL):
        programme = _eu_programme(entry)
        if programme is None or "EL" in entry["sdn"]:
            continue
        logical = 13000 + number * 11
        code = {"person": ("person", "P"), "organization": ("enterprise", "E"), "vessel": ("vessel", "V"), "aircraft": ("aircraft", "A")}[entry["kind"]]
        reference = f"EU.{1000 + number}.{number % 90 + 10}"
        out.append(f'  <sanctionEntity designationDetails="" unitedNationId={quoteattr(entry.get("un", ""))} euReferenceNumber="{reference}" '
                   f'logicalId="{logical}" designationDate="{entry["listed"]}">')
        out.append(f"    <remark>Listed under the {programme} regime.</remark>")
        out.append(f'    <regulation regulationType="amendment" organisationType="council" publicationDate="{entry["listed"]}" '
                   f'entryIntoForceDate="{entry["listed"]}" numberTitle="2022/{260 + number} (OJ L{40 + number})" programme="{programme}" logicalId="{logical + 1}">')
        out.append(f"      <publicationUrl>https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32022R0{260 + number}</publicationUrl>")
        out.append("    </regulation>")
        out.append(f'    <subjectType code="{code[0]}" classificationCode="{code[1]}"/>')
        first, last = _names(entry)
        whole = _whole(entry).title() if entry["kind"] == "person" else entry["name"]
        out.append(f'    <nameAlias firstName={quoteattr(first.title() if first else "")} middleName="" lastName={quoteattr(last.title() if first else "")} '
                   f'wholeName={quoteattr(whole)} function="" gender="" title="" nameLanguage="" strong="true" regulationLanguage="en" logicalId="{logical + 2}"/>')
        for index, alias in enumerate(entry["aliases"]):
            language = "" if alias.isascii() else ("RU" if any("\u0400" <= ch <= "\u04ff" for ch in alias) else "")
            out.append(f'    <nameAlias wholeName={quoteattr(alias)} nameLanguage="{language}" strong="true" regulationLanguage="en" logicalId="{logical + 3 + index}"/>')
        for country in entry["countries"]:
            out.append(f'    <citizenship region="" countryIso2Code="{_iso(country)}" countryDescription={quoteattr(country.upper())} regulationLanguage="en" logicalId="{logical + 9}"/>')
        for id_type, id_number in entry["ids"]:
            out.append(f'    <identification diplomatic="false" knownExpired="false" knownFalse="false" reportedLost="false" revokedByIssuer="false" '
                       f'issuedBy="" latinNumber="" nameOnDocument="" number={quoteattr(id_number)} region="" countryIso2Code="{_iso(entry["countries"][0])}" '
                       f'identificationTypeCode="{"passport" if id_type == "Passport" else "regnumber"}" identificationTypeDescription={quoteattr(id_type)} logicalId="{logical + 10}"/>')
        if entry["kind"] == "person":
            out.append(f'    <birthdate circa="false" calendarType="GREGORIAN" birthdate="{entry["dob"]}" year="{entry["dob"][:4]}" '
                       f'countryIso2Code="{_iso(entry["countries"][0])}" logicalId="{logical + 11}"/>')
        out.append("  </sanctionEntity>")
    out.append("</export>")
    return "\n".join(out) + "\n"


def _iso(country: str) -> str:
    import pycountry

    special = {"Russia": "RU", "North Korea": "KP", "Iran": "IR", "Syria": "SY"}
    return special.get(country) or pycountry.countries.lookup(country).alpha_2


UK_COLUMNS = ["Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "Name Non-Latin Script", "Non-Latin Script Type",
              "Non-Latin Script Language", "DOB", "Town of Birth", "Country of Birth", "Nationality", "Passport Number", "Passport Details",
              "National Identification Number", "National Identification Details", "Position", "Address 1", "Address 2", "Address 3",
              "Address 4", "Address 5", "Address 6", "Post/Zip Code", "Country", "Other Information", "Group Type", "Alias Type",
              "Alias Quality", "Regime", "Listed On", "UK Sanctions List Date Designated", "Last Updated", "Group ID"]


def uk() -> str:
    rows = []
    for number, entry in enumerate(POOL):
        regime = ("ISIL (Da'esh) and Al-Qaida" if entry.get("un", "")[:2] == "QD" else
                  "Afghanistan" if entry.get("un", "")[:2] == "TA" else next((_UK[c] for c in entry["countries"] if c in _UK), None))
        if regime is None or "EL" in entry["sdn"]:
            continue
        group = str(12000 + number * 7)
        person = entry["kind"] == "person"
        kind = {"person": "Individual", "organization": "Entity", "vessel": "Ship", "aircraft": "Entity"}[entry["kind"]]
        listed = date.fromisoformat(entry["listed"]).strftime("%d/%m/%Y")
        non_latin = next((a for a in entry["aliases"] if not a.isascii()), "")
        names = [(_whole(entry).title() if person else entry["name"], "Primary Name", "")] + [
            (a, "AKA", "Good") for a in entry["aliases"] if a.isascii()]
        for index, (name, alias_type, quality) in enumerate(names):
            row = dict.fromkeys(UK_COLUMNS, "")
            words = name.split()
            if person:
                row["Name 6"], given = words[-1], words[:-1]
                for slot, word in zip(range(1, 6), given):
                    row[f"Name {slot}"] = word
                row["DOB"] = date.fromisoformat(entry["dob"]).strftime("%d/%m/%Y")
                row["Nationality"] = " ".join(f"({i}) {c}" for i, c in enumerate(entry["countries"], 1)) if len(entry["countries"]) > 1 else entry["countries"][0]
                row["Passport Number"] = next((n for t, n in entry["ids"] if t == "Passport"), "")
            else:
                row["Name 6"] = name
                row["Country"] = entry["countries"][0] if entry["countries"] else ""
            if entry["kind"] == "vessel":
                row["Other Information"] = f"(UK Sanctions List Ref):RUS{number:04d}. (IMO number):{entry['ids'][0][1].split()[-1]}. (Type of ship):Crude Oil Tanker"
            if index == 0:
                row["Name Non-Latin Script"] = non_latin
                row["Non-Latin Script Type"] = "Cyrillic" if any("\u0400" <= ch <= "\u04ff" for ch in non_latin) else ("Arabic" if non_latin else "")
            row.update({"Group Type": kind, "Alias Type": alias_type, "Alias Quality": quality, "Regime": regime, "Listed On": listed,
                        "UK Sanctions List Date Designated": listed, "Last Updated": "02/06/2025", "Group ID": group})
            rows.append(row)
    rows.sort(key=lambda row: row["Name 6"].lower())  # ConList.csv is in name order: a group's rows are apart
    buffer = io.StringIO()
    buffer.write("Last Updated,02/06/2025" + "," * (len(UK_COLUMNS) - 2) + "\r\n")
    writer = csv.DictWriter(buffer, UK_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


CSL_COLUMNS = ["_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice", "start_date",
               "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
               "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
               "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids"]


def csl() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for number, entry in enumerate(POOL):
        on_el = "EL" in entry["sdn"]
        sdn = [p for p in entry["sdn"] if p not in _SDN_ONLY_OFF]
        if not on_el and not (sdn and entry["countries"] and entry["countries"][0] in ("Russia", "Iran", "North Korea")):
            continue
        row = dict.fromkeys(CSL_COLUMNS, "")
        codes = [_iso(c) for c in entry["countries"]]
        if on_el:
            row.update({"source": "Entity List (EL) - Bureau of Industry and Security", "entity_number": "",
                        "federal_register_notice": f"84 FR {22961 + number}", "license_requirement": "For all items subject to the EAR.",
                        "license_policy": "Presumption of denial.", "standard_order": "Y",
                        "source_list_url": "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list"})
        else:
            kind = {"person": "Individual", "organization": "Entity", "vessel": "Vessel", "aircraft": "Aircraft"}[entry["kind"]]
            row.update({"source": "Specially Designated Nationals (SDN) - Treasury Department", "entity_number": str(36 + number * 137),
                        "type": kind, "programs": "; ".join(sdn), "source_list_url": "https://sanctionssearch.ofac.treas.gov/"})
        first, last = _names(entry)
        row["_id"] = f"{number:04x}c1d{number * 7919:08x}e2"
        row["name"] = f"{last}, {first}" if first else entry["name"]
        row["alt_names"] = "; ".join(entry["aliases"])
        row["addresses"] = "; ".join(f"Shenzhen, Guangdong, {c}" if c == "CN" else f", , , , {c}" for c in codes[:1])
        row["ids"] = "; ".join(f"{t}, {n}, {codes[0]}" for t, n in entry["ids"])
        row["start_date"] = entry["listed"]
        if entry["kind"] == "person":
            row["citizenships"] = "; ".join(codes)
            row["dates_of_birth"] = entry["dob"]
        writer.writerow(row)
    return buffer.getvalue()


def ftm() -> str:
    lines = []
    schemas = {"person": "Person", "organization": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}
    for number, entry in enumerate(POOL):
        schema = schemas[entry["kind"]]
        if entry["kind"] == "organization" and ("CO., LTD" in entry["name"] or "COMPANY" in entry["name"] or "CORPORATION" in entry["name"]):
            schema = "Company"
        if entry["kind"] == "organization" and entry["name"].startswith("BANK"):
            schema = "LegalEntity"
        entity_id = f"NK-{number:03d}{entry['key'][:6].lower()}"
        properties: dict[str, list[str]] = {"name": [_whole(entry).title() if entry["kind"] == "person" else entry["name"]],
                                            "alias": [a for a in entry["aliases"] if len(a) > 4], "weakAlias": [a for a in entry["aliases"] if len(a) <= 4],
                                            "country": [_iso(c).lower() for c in entry["countries"]], "topics": ["sanction"],
                                            "program": entry["sdn"], "createdAt": [entry["listed"]]}
        for id_type, id_number in entry["ids"]:
            key = "imoNumber" if id_number.startswith("IMO") else "passportNumber" if id_type == "Passport" else "swiftBic" if "SWIFT" in id_type \
                else "innCode" if "Tax" in id_type else "registrationNumber"
            properties.setdefault(key, []).append(id_number)
        if entry["kind"] == "person":
            properties["birthDate"] = [entry["dob"]]
            properties["firstName"] = [_names(entry)[0].title()]
            properties["lastName"] = [_names(entry)[1].title()]
        properties = {k: v for k, v in properties.items() if v}
        lines.append(json.dumps({"id": entity_id, "caption": properties["name"][0], "schema": schema, "properties": properties,
                                 "referents": [], "datasets": ["us_ofac_sdn" if entry["sdn"] else "un_sc_sanctions"],
                                 "first_seen": entry["listed"] + "T00:00:00", "last_seen": "2025-06-02T07:12:44", "target": True},
                                ensure_ascii=False))
        if number % 9 == 0:
            lines.append(json.dumps({"id": f"ofac-sanction-{number}", "schema": "Sanction", "properties": {
                "entity": [entity_id], "authority": ["Office of Foreign Assets Control"], "program": entry["sdn"], "startDate": [entry["listed"]]},
                "target": False}, ensure_ascii=False))
        if number % 13 == 0:
            lines.append(json.dumps({"id": f"addr-{number}", "schema": "Address", "properties": {"full": ["Moscow, Russia"], "country": ["ru"]},
                                     "target": False}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for name, body in (("ofac_sdn_xml.xml", ofac()), ("un_xml.xml", un()), ("eu_fsf_xml.xml", eu()), ("uk_csv.csv", uk()),
                       ("csl_csv.csv", csl()), ("ftm_json.jsonl", ftm())):
        (HERE / name).write_text(body, encoding="utf-8", newline="")
        print(name, body.count("\n"), "lines")
