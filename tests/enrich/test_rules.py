"""What the shipped taxonomy does with sentences an analyst would worry about."""

from __future__ import annotations

from datetime import date

import pytest

from tradewire.enrich import Enricher, Enrichment
from tradewire.ingest.configuration import load_config


@pytest.fixture(scope="module")
def enrich() -> callable:  # type: ignore[valid-type]
    config = load_config(None)
    enricher = Enricher(config.taxonomy, config.gazetteer)
    return lambda text, **kw: enricher.enrich(text, **kw)


def tags(result: Enrichment) -> dict[str, str]:
    return {tag.name: tag.modality for tag in result.tags}


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("The European Union did not impose sanctions on the refinery's owners on Monday.", "negated"),
        ("Washington threatened to impose sanctions on Chinese banks that help Moscow.", "hypothetical"),
        ("The Treasury imposed sanctions on three Chinese refiners on Tuesday.", "asserted"),
        ("Washington has sanctioned 12 companies, according to people familiar with the matter.", "reported"),
        ("Officials said new sanctions could be announced as early as next week.", "hypothetical"),
        # A stated act wins over a cue that cannot reach the trigger through it...
        ("After months of threats, the Treasury on Monday imposed sanctions on 12 Chinese companies.", "asserted"),
        ("The US has imposed unilateral sanctions on Chinese firms and should withdraw them, the ministry said.", "asserted"),
        ("The Commerce Department, which did not comment, added 12 Chinese firms to the entity list on Friday.", "asserted"),
        ("The Treasury imposed sanctions on three refiners on Tuesday, freezing their assets, and warned that more "
         "could follow.", "asserted"),
        # ...but not over a cue that governs the act itself.
        ("The U.S. has not imposed sanctions on the company.", "negated"),
        ("Several companies could be added to the entity list next month, officials said.", "hypothetical"),
        ("The United States threatened on Thursday to impose sanctions on Chinese banks.", "hypothetical"),
        ("Washington is weighing sanctions against Chinese firms that supply drones to Russia.", "hypothetical"),
        ("The Treasury has yet to sanction any Chinese bank over the purchases.", "negated"),
        ("Brussels failed to agree on a new sanctions package against Russia on Wednesday.", "negated"),
        # Chinese: 若干 ("several") and 未来 ("future") hold 若 ("if") and 未 ("not") but are neither.
        ("美国商务部将若干中国实体列入实体清单。", "asserted"),
        ("美国财政部宣布对五家中国企业实施制裁，未来还可能扩大范围。", "asserted"),
        ("美国对中国企业实施制裁，并要求盟友跟进。", "asserted"),
        ("美方未对中国企业实施新的制裁。", "negated"),
        ("美国威胁对中国企业实施制裁。", "hypothetical"),
    ],
)
def test_sanction_modality(enrich, text: str, modality: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text)).get("sanctions") == modality


@pytest.mark.parametrize(
    ("text", "tag", "modality"),
    [
        ("中方不会对英国威士忌加征关税。", "tariffs", "negated"),  # 不会 governs the whole verb phrase up to the comma
        ("Canada slapped a 100% tariff on Chinese electric vehicles on Monday.", "tariffs", "asserted"),
        ("Officials said new tariffs could be imposed on steel imports if talks fail.", "tariffs", "hypothetical"),
        ("The ministry said it had no plans to impose export controls on gallium.", "export_controls", "negated"),
    ],
)
def test_other_tags_modality(enrich, text: str, tag: str, modality: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text)).get(tag) == modality


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target"),
    [
        ("中方决定将17家美国实体列入不可靠实体清单。", "entity listing", "CN", "US"),  # the target before the measure
        ("中方对美国国防企业采取反制措施。", "countermeasures", "CN", "US"),
        ("美国商务部6月6日发布暂停令，要求美国企业暂停向中国核电站出售相关产品。", "suspension order", "us-commerce", "CN"),
        ("WASHINGTON (Reuters) - The U.S. Treasury imposed sanctions on three Chinese refiners on Tuesday.",
         "sanctions", "us-treasury", "CN"),  # a news agency reports; it is nobody's actor
    ],
)
def test_event_actor_and_target(enrich, text: str, measure: str, actor: str, target: str) -> None:  # type: ignore[no-untyped-def]
    events = [(e.measure, e.actor_id, e.target_id) for e in enrich(text, published=date(2025, 6, 8)).events]
    assert (measure, actor, target) in events


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("美国商务部宣布新规。", "mofcom", "us-commerce"),  # 商务部 inside 美国商务部 is not China's ministry
        ("美国财政部宣布。", "ministry-of-finance-china", "us-treasury"),
        ("The Commerce Ministry of Vietnam said on Monday it would review the rules.", "mofcom", "VN"),
        ("Vietnam's Ministry of Commerce said on Monday it would review the rules.", "mofcom", "VN"),
        ("China's Ministry of Commerce said it opposed the move.", "-", "mofcom"),
    ],
)
def test_another_countrys_body_is_not_the_gazetteers(enrich, text: str, absent: str, present: str) -> None:  # type: ignore[no-untyped-def]
    ids = {entity.id for entity in enrich(text).entities}
    assert present in ids and absent not in ids


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("FIFA's disciplinary committee sanctioned the club with a transfer ban over unpaid wages.", "sanctions"),
        ("Drivers must renew their driving licence every ten years, the DVLA said.", "export_licenses"),
        ("Ofgem raised the cap on electricity tariffs for households from October.", "tariffs"),
        ("Police said hostage negotiations continued through the night.", "negotiations"),
        ("The plant failed a quality control inspection last week.", "export_controls"),
        ("The council fined a firm for illegal dumping of construction waste.", "trade_remedies"),
        ("The film festival opens with a screening of the restored classic.", "investment_screening"),
    ],
)
def test_other_senses_are_not_tagged(enrich, text: str, absent: str) -> None:  # type: ignore[no-untyped-def]
    assert absent not in tags(enrich(text))


def test_an_export_control_regimes_agreement_is_no_trade_deal_but_talks_on_controls_are_talks(enrich) -> None:  # type: ignore[no-untyped-def]
    regime = tags(enrich("Wassenaar Arrangement participants agreed at their plenary in Vienna to add two chipmaking "
                         "tools and a semiconductor coating process to the regime's control lists."))
    assert "export_controls" in regime and "negotiations" not in regime
    talks = tags(enrich("U.S. and Chinese negotiators discussed export controls on chips during two days of trade "
                        "talks in London."))
    assert "negotiations" in talks


def test_other_sense_does_not_hide_the_real_measure_in_the_same_sentence(enrich) -> None:  # type: ignore[no-untyped-def]
    text = "Smelters already pay higher electricity tariffs and now face a 50% U.S. tariff on their aluminium exports."
    assert "tariffs" in tags(enrich(text))


def test_chinese_rules(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("商务部宣布对部分中重稀土相关物项实施出口管制，出口经营者须申请出口许可证。美方未对此发表评论。")
    assert result.language == "zh"
    assert {"export_controls", "export_licenses"} <= set(tags(result))
    assert "mofcom" in {entity.id for entity in result.entities}
    for tag in result.tags:
        for evidence in tag.evidence:
            assert evidence.text in result.model_dump_json() and "出口" in evidence.text


def test_relative_dates_resolve_against_publication(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("On Tuesday, the Commerce Department added 27 Chinese firms to the Entity List.", published=date(2025, 6, 12))
    event = next(e for e in result.events if e.measure == "entity listing")
    assert event.date == date(2025, 6, 10) and event.actor_id == "us-commerce" and event.target_id == "CN"


def test_unknown_titled_people_and_bodies_are_found_and_marked(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Trade Minister Ana Vertigo said the Directorate General of Trade Remedies opened a probe.")
    found = {entity.name: entity for entity in result.entities}
    assert found["Ana Vertigo"].type == "person" and not found["Ana Vertigo"].known
    assert found["Directorate General of Trade Remedies"].type == "agency"


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("The Treasury lifted sanctions on Syria's central bank on Friday.", "sanctions"),
        ("The Commerce Department removed Inspur and two subsidiaries from the Entity List.", "sanctions"),
        ("美国财政部宣布解除对叙利亚的制裁。", "sanctions"),
        ("商务部决定将3家美国企业移出不可靠实体清单。", "sanctions"),
    ],
)
def test_a_lifting_is_lifted_not_imposed(enrich, text: str, tag: str) -> None:  # type: ignore[no-untyped-def]
    result = enrich(text)
    assert tags(result).get(tag) == "lifted"
    assert all(event.modality == "lifted" for event in result.events)


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Washington could lift sanctions on Syria next month.", "hypothetical"),
        ("The EU refused to lift sanctions on the bank.", "negated"),
        ("Exporters must obtain a licence from the ministry before shipping dual-use items.", "asserted"),
        ("出口经营者应当向商务部申请两用物项出口许可证。", "asserted"),
        ("Two people briefed on the matter said Washington had sanctioned 12 Chinese companies.", "reported"),
    ],
)
def test_liftings_obligations_and_reported_speech(enrich, text: str, modality: str) -> None:  # type: ignore[no-untyped-def]
    assert set(tags(enrich(text)).values()) == {modality}


@pytest.mark.parametrize(
    "text",
    [
        "The board sanctioned an expansion of the plant in London.",
        "The IOC sanctioned three athletes after failed drug tests.",
        "Reddit said it had blacklisted 4,000 accounts for spreading spam.",
        "She was banned from entering the stadium for three matches.",
        "His driving licence was revoked after the crash.",
        "Licence to Kill is the darkest of the Bond films.",
        "The union and the company resumed pay talks on Monday.",
        "奥委会对三名运动员作出制裁决定。",
        "平台已将违规账号列入黑名单。",
        "La empresa, sin embargo, registró pérdidas y despidió a 200 trabajadores.",
    ],
)
def test_words_of_other_domains_are_not_trade_tags(enrich, text: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text)) == {}


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("The Treasury has frozen $7 billion of assets held by the central bank.", "sanctions"),
        ("Brussels is freezing their property and banning executives from entering the bloc.", "sanctions"),
        ("Items classified under ECCN 3A090 need a licence for shipment to China.", "export_controls"),
        ("The rule amends 15 CFR part 744 for 12 entities.", "export_controls"),
        ("Negotiators reached an understanding on tariff relief for steel.", "negotiations"),
    ],
)
def test_the_fields_own_wordings_are_found(enrich, text: str, tag: str) -> None:  # type: ignore[no-untyped-def]
    assert tag in tags(enrich(text))


def test_a_language_without_rules_is_untagged_and_says_so(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Der Rat der EU verhängte am Montag neue Sanktionen gegen Russland und fror Vermögen ein.")
    assert result.language == "de" and result.tags == [] and result.tagging_note == "no rules for de"


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target"),
    [
        # A meeting's place is neither actor nor target.
        ("European Union foreign ministers imposed sanctions on three Iranian officials at their meeting in Luxembourg.",
         "sanctions", "EU", "IR"),
        # The agent of a passive acts; the party before the measure is its target.
        ("Huawei was added to the Entity List by the Commerce Department on Friday.", "entity listing", "us-commerce", "huawei"),
        ("Stellantis said it had obtained an export licence from China for rare earth magnets.",
         "licence approval", "CN", "stellantis"),
        # 对其: the target is the party named before.
        ("外交部决定，针对美国雷神公司参与对台军售，对其采取反制措施。", "countermeasures", "cn-mfa", "raytheon"),
    ],
)
def test_event_roles_follow_the_sentence(enrich, text: str, measure: str, actor: str, target: str) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert (event.actor_id, event.target_id) == (actor, target)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Words of a body's name name the body: the commission's 关税 does not decide what the notice does to tariffs.
        ("国务院关税税则委员会发布公告，自11月10日起，取消对原产于美国的大豆、猪肉等农产品加征的关税。", {"tariffs": "lifted"}),
        # A cut eases a tariff; it does not call off the talks that agreed it.
        ("U.S. and Chinese negotiators agreed on Monday to cut the tariffs they impose on each other's goods for 90 days, "
         "after two days of talks in Geneva.", {"tariffs": "lifted", "negotiations": "asserted"}),
        ("United Nations sanctions on Mali lapsed at midnight after Russia vetoed a resolution to renew them.",
         {"sanctions": "lifted"}),
        # "cut off" from the dollar is a measure taken, not an easing.
        ("The Treasury imposed sanctions that cut the banks off from the dollar system on Tuesday.", {"sanctions": "asserted"}),
    ],
)
def test_ends_and_eases_of_measures(enrich, text: str, expected: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text)) == expected


def test_a_measure_word_in_a_body_name_makes_no_event(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich(
        "From April, exporters must obtain an export licence from the Export Control Joint Unit before shipping "
        "quantum computing items outside the United Kingdom."
    )
    assert [event.measure for event in result.events] == ["licence requirement"]


def test_two_firms_joined_by_and_are_two_parties(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich(
        "The State Department on Thursday sanctioned Oceanlink Maritime and Jade Harbour Shipping, two Hong Kong "
        "firms that carried Iranian oil."
    )
    names = {entity.name for entity in result.entities}
    assert {"Oceanlink Maritime", "Jade Harbour Shipping"} <= names
    assert "Oceanlink Maritime and Jade Harbour Shipping" not in names


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target"),
    [
        # Bodies named together act together: the first named leads.
        ("China's Ministry of Commerce and the General Administration of Customs on Friday imposed export controls "
         "on seven rare earths, aimed at Rosneft.", "export controls", "mofcom", "rosneft"),
        # 获得X颁发的许可: X issues the licence, the firm named before holds it.
        ("SK海力士周三发布声明称，公司已获得美国商务部颁发的为期一年的许可。", "licence approval", "us-commerce", "sk-hynix"),
        # Where the parties are is one of them; where a meeting is is not.
        ("The Treasury has not sanctioned any refiner in India for buying Russian oil.", "sanctions", "us-treasury", "IN"),
        # A company after "by" holds the assets: it is the target, not the agent.
        ("Swiss authorities have frozen around 150 million francs of assets held by Rosneft, the ministry said.",
         "asset freeze", "CH", "rosneft"),
        # The first of the firms told they need a licence holds it (and the others with it).
        ("Japan's trade ministry has told Tokyo Electron and Screen Holdings that shipments of certain tools to China "
         "will need individual export licences from April.", "licence requirement", "meti", "tokyo-electron"),
        # A designation is a sanction.
        ("The Treasury designated Rosneft and Lukoil on Wednesday.", "sanctions", "us-treasury", "rosneft"),
    ],
)
def test_event_roles_in_the_fields_sentences(enrich, text: str, measure: str, actor: str, target: str) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert (event.actor_id, event.target_id) == (actor, target)


def test_a_law_named_after_a_measure_is_no_event(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Under the Anti-Foreign Sanctions Law, the ministry froze the property of Lockheed Martin in China.")
    assert [event.measure for event in result.events] == ["asset freeze"]


def test_a_measure_in_a_later_sentence_of_its_own_is_an_event(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich(
        "The U.S. Treasury has no plans to sanction Chinese state-owned refiners that buy oil from Iran, a spokesperson "
        "said on Tuesday. The Office of Foreign Assets Control did blacklist a small independent refinery in Shandong "
        "province in March."
    )
    assert ("sanctions", "ofac", "asserted") in {(event.measure, event.actor_id, event.modality) for event in result.events}
    assert tags(result) == {"sanctions": "negated"}


def test_a_chinese_measure_names_its_target_inside_its_words(enrich) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich("商务部3日发布公告，决定禁止向美国出口镓、锗相关两用物项。").events if event.measure == "export ban")
    assert (event.actor_id, event.target_id) == ("mofcom", "US")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The name of a document in 《》 says what it is, not what was done: 拟 makes the listing proposed.
        ("商务部10日发布《两用物项出口管制清单（修订草案征求意见稿）》，拟将部分工业无人机飞控模块纳入管制范围。",
         {"export_controls": "hypothetical"}),
        ("The European Commission has extended by six months the suspension of its retaliatory duties on U.S. goods.",
         {"tariffs": "lifted"}),
        ("The bloc's next package of Russia sanctions will list two refineries in China, according to three diplomats "
         "who have seen the draft.", {"sanctions": "reported"}),
    ],
)
def test_what_a_sentence_says_of_its_measure(enrich, text: str, expected: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text)) == expected


def test_the_seed_articles_sanctions_are_the_united_states_on_china(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("But just as China releases its sincerity, the United States has successively introduced unilateral "
                    "sanctions against China.")
    assert [(event.actor_id, event.target_id) for event in result.events if event.measure == "sanctions"] == [("US", "CN")]


def test_a_licence_of_a_firms_unnamed_suppliers_has_no_holder(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Reuters quoted sources as saying that rare earth suppliers of General Motors, Ford and Stellantis "
                    "had received export licences from China's Ministry of Commerce.")
    event = next(event for event in result.events if event.measure == "licence approval")
    assert (event.actor_id, event.target_id) == ("mofcom", None)


@pytest.mark.parametrize(
    ("text", "measure", "targets"),
    [
        # Where licensed goods go is not who holds the licence.
        ("Intel said the Commerce Department had withdrawn the licences that let it supply laptop processors to Huawei.",
         "licence revocation", ["intel"]),
        ("美国商务部已撤销英特尔和高通公司向华为供应笔记本电脑处理器的部分出口许可证。", "licence revocation", ["intel", "qualcomm"]),
        # A party the gazetteer does not know, named where news names a measure's party.
        ("Washington lifted sanctions on Lithuanian fertiliser producer Agrokoncern on Friday.", "sanctions", ["agrokoncern"]),
        ("BAFA refused Voith Laser permission to ship two cutting systems to Russia.", "licence denial", ["voith-laser"]),
        # Alternatives are one word each: "turned down" and "were granted" are phrases of their own.
        ("The Commerce Department turned down licences for Huawei's suppliers last year.", "licence denial", [None]),
        ("Licences for shipments by Samsung were granted in May, the Commerce Department said.", "licence approval",
         ["samsung"]),
    ],
)
def test_licence_holders_and_unknown_parties(enrich, text: str, measure: str, targets: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [event.target_id for event in enrich(text).events if event.measure == measure] == targets


def test_a_party_the_sentence_already_reached_does_not_act_in_its_next_measure(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Canada on Monday froze the assets of businessman Igor Petrenko and barred him from entering the country.")
    assert {(event.measure, event.actor_id, event.target_id) for event in result.events} >= {
        ("asset freeze", "CA", "igor-petrenko"), ("sanctions", "CA", "igor-petrenko"),
    }


def test_words_of_an_ordinary_sentence_are_not_parties(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("The court fined Rs 5 crore on Monday, and the club removed The manager after the match.")
    assert not [entity for entity in result.entities if not entity.known]


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target"),
    [
        # The part acts for the whole, and the whole is not its target.
        ("The European Commission on Wednesday proposed adding quantum computers to the EU dual-use list.",
         "export controls", "european-commission", None),
        # A notice's issuer, named in its heading, takes the measures of sentences that name no one.
        ("AGENCY: Bureau of Industry and Security, Department of Commerce. ACTION: Final rule. Exporters shall obtain a "
         "license for items classified under ECCN 3A090 when destined to China.", "licence requirement", "bis", "CN"),
        # Lower-case regulations are a measure taken, not the name of a law.
        ("荷兰政府30日发布新的出口管制条例，阿斯麦部分光刻系统出口须事先申请许可证。", "export controls", "NL", None),
    ],
)
def test_who_acts_for_a_body_and_its_parts(enrich, text: str, measure: str, actor: str, target: str | None) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert (event.actor_id, event.target_id) == (actor, target)


@pytest.mark.parametrize(
    ("text", "measure", "target"),
    [
        # Taken off a list: the party taken off is the measure's.
        ("Beijing has taken U.S. drone maker Skydio off its unreliable entity list.", "entity listing", "skydio"),
        ("The Treasury removed Rusal from the SDN list on Sunday.", "entity listing", "rusal"),
        # Countermeasures against an unknown person reach that person, not the country of the body they sit in.
        ("China's foreign ministry announced countermeasures against Kato Ren, a member of Japan's Diet, under the "
         "Anti-Foreign Sanctions Law, freezing any property he holds in China.",
         "countermeasures", "kato-ren"),
        # A firm in the next clause does not hold the licence the first one requires.
        ("Exporters must now obtain a licence before shipping such memory to China, and Samsung is expected to be the "
         "most exposed.", "licence requirement", "CN"),
    ],
)
def test_targets_of_listings_countermeasures_and_licences(enrich, text: str, measure: str, target: str) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert event.target_id == target


@pytest.mark.parametrize(
    ("text", "tag", "expected"),
    [
        # A cue inside a longer cue of another kind is not read on its own: "no" in "no longer".
        ("Exporters of hydrogen fluoride to South Korea no longer need export licences under the revised export "
         "controls, the trade ministry said.", "export_controls", "lifted"),
        # A measure in a bill is proposed until the bill is signed.
        ("Senator Lindsey Graham's Russia sanctions bill has more than 80 co-sponsors.", "sanctions", "hypothetical"),
        ("President Biden signed into law a bill imposing sanctions on Russian gold exports.", "sanctions", "asserted"),
        # 实施的 modifies the controls; the sentence says they expire.
        ("商务部、海关总署2023年对部分无人机实施的临时出口管制将于本月底到期。", "export_controls", "lifted"),
    ],
)
def test_modality_reads_the_longer_cue_bills_and_modifiers(enrich, text: str, tag: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text))[tag] == expected


def test_after_a_lede_that_lifts_a_measure_the_sentences_stating_it_do_not_make_it_imposed(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich(
        "India scraps its 11% import duty on raw cotton until September. The import duty was imposed in 2021."
    )
    assert tags(result)["tariffs"] == "lifted"


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target"),
    [
        # A name before a title qualifies the person after it.
        ("Britain on Thursday froze the UK assets of Chelsea owner Roman Abramovich.", "asset freeze", "GB",
         "roman-abramovich"),
        # A party dealt with does not act, nor one the gazetteer does not know.
        ("欧盟理事会27日宣布延长对俄制裁。措施包括禁止与俄罗斯央行进行任何交易，以及冻结其在欧盟境内的储备资产。", "asset freeze",
         "council-of-the-european-union", None),
        ("The U.S. Treasury on Wednesday sanctioned two officers of Iran's Ministry of Intelligence, freezing any "
         "assets they hold under U.S. jurisdiction.", "asset freeze", "us-treasury", None),
    ],
)
def test_who_acts_is_not_a_qualifier_a_counterpart_or_a_found_name(enrich, text: str, measure: str, actor: str, target: str | None) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert event.actor_id == actor and (target is None or event.target_id == target)


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target"),
    [
        # The country of a licence issues it; the firm that needs it holds it.
        ("ASML will need Dutch export licences for its older immersion scanners from September.", "licence requirement",
         "NL", "asml"),
        # Where goods go does not act.
        ("From today, exporters to South Korea no longer need individual licences, the trade ministry in Tokyo said.",
         "licence requirement", None, None),
    ],
)
def test_a_licences_issuer_and_its_destination(enrich, text: str, measure: str, actor: str | None, target: str | None) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert event.actor_id != "KR" and (actor is None or (event.actor_id, event.target_id) == (actor, target))


def test_parties_in_two_countries_joined_by_and_are_two_targets(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("The European Union's next package of Russia sanctions will list two refineries in China and a "
                    "trading house in Kazakhstan, according to three diplomats.")
    assert {event.target_id for event in result.events if event.measure == "sanctions"} == {"CN", "KZ"}


def test_the_demos_japanese_controls_have_no_target_from_their_agents_or_a_where_clause(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("The move follows similar controls on chipmaking tools announced by the United States and the "
                    "Netherlands, where ASML is based.")
    assert [(event.actor_id, event.target_id) for event in result.events if event.measure == "export controls"] == [
        ("US", None)
    ]


def test_countries_joined_by_a_hyphen_are_no_organisation(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("The United States has introduced unilateral sanctions and restrictions on China-US economic and "
                    "trade cooperation.")
    assert not [entity for entity in result.entities if not entity.known]


@pytest.mark.parametrize(
    "text",
    [
        "Cypriot authorities have frozen bank accounts that belong to companies linked to a sanctioned oligarch.",
        "The Treasury designated the shipping firm on Monday, and its property in the United States is blocked.",
        "A draft resolution would have renewed the travel bans and asset freezes for another year.",
    ],
)
def test_asset_freezes_in_the_words_news_uses(enrich, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "asset freeze" in {event.measure for event in enrich(text).events}


def test_a_name_for_two_countries_mentions_both(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("商务部新闻发言人表示，目前中美双方没有进行任何经贸谈判。")
    assert {"CN", "US"} <= {entity.id for entity in result.entities}


def test_the_country_whose_list_it_is_is_not_put_on_it(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("NOTICE TO EXPORTERS: The order adds quantum computing items to the UK Strategic Export Control Lists "
                    "under new control entries.")
    assert "GB" not in {event.target_id for event in result.events}


def test_an_export_control_has_no_person_as_its_target(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("The Bureau of Industry and Security said on Tuesday it had rescinded the Biden-era AI diffusion "
                    "rule, which would have required export licences for advanced AI chips.")
    assert [event.target_id for event in result.events if event.measure == "licence requirement"] == [None]


@pytest.mark.parametrize(
    "text",
    [
        "China's commerce ministry said graphite shipments to U.S. buyers would face stricter end-use and end-user "
        "reviews, and banned exports of gallium to the United States.",
        "商务部决定对石墨两用物项对美出口实施更严格的最终用户和最终用途审查。",
    ],
)
def test_end_use_reviews_are_export_controls(enrich, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "export controls" in {event.measure for event in enrich(text).events}


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("The U.S. Commerce Department has begun issuing licences that allow AMD to ship its accelerators to China.",
         "licence approval"),
        ("Samsung expects Washington to grant it annual licences to keep shipping American tools to its China fabs.",
         "licence approval"),
        ("出口经营者出口上述物项，应当依照《出口管制法》和《两用物项出口管制条例》的规定，向商务部申请许可。", "licence requirement"),
    ],
)
def test_licences_in_every_form_of_their_verbs(enrich, text: str, measure: str) -> None:  # type: ignore[no-untyped-def]
    assert measure in {event.measure for event in enrich(text).events}


def test_suspended_licences_are_a_revocation(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Britain suspended 30 of its 350 arms export licences to Israel on Monday after a review.")
    assert ("licence revocation", "GB") in {(event.measure, event.actor_id) for event in result.events}


def test_two_unknown_bodies_joined_by_and_are_two_and_a_supplier_holds_no_licence_of_its_customers(enrich) -> None:  # type: ignore[no-untyped-def]
    names = {entity.name for entity in enrich(
        "The ministers removed 24 entities, among them the Commercial Bank of Syria and Syrian Arab Airlines, from the "
        "asset-freeze list.").entities}
    assert {"Commercial Bank of Syria", "Syrian Arab Airlines"} <= names
    result = enrich("The U.S. Commerce Department has revoked the export licences that let Qualcomm sell chips to Huawei. "
                    "Intel, which supplied processors for Huawei laptops under a separate licence, confirmed it had "
                    "received a revocation notice.")
    assert [event.target_id for event in result.events if event.measure == "licence revocation"] == ["qualcomm", "intel"]


def test_an_adjective_made_of_a_name_is_no_party_and_a_found_name_is_no_agent(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Qatar's central bank has frozen assets held by Doha-based affiliates of Rosneft, the state oil group.")
    assert not [entity for entity in result.entities if entity.name.endswith("-based")]
    assert {(event.measure, event.actor_id) for event in result.events} == {("asset freeze", "QA")}


@pytest.mark.parametrize(
    ("text", "measure", "targets"),
    [
        # Parties named together before a passive are all reached, and so are Chinese ones a few words apart.
        ("Rosneft and Lukoil were designated by the Treasury on Wednesday.", "sanctions", {"rosneft", "lukoil"}),
        ("Rosneft, which supplies most of India's crude imports, and Lukoil were designated by the Treasury on "
         "Wednesday.", "sanctions", {"rosneft", "lukoil"}),
        ("外交部决定对雷神公司2名高管及洛克希德·马丁公司采取反制措施。", "countermeasures", {"raytheon", "lockheed-martin"}),
        # Why the parties are targeted names others, who are not reached.
        ("The State Department sanctioned three tanker operators for carrying Iranian crude.", "sanctions", {None}),
        ("美国财政部将一家炼油厂列入特别指定国民清单，理由是其采购伊朗原油。", "entity listing", {None}),
        # Countries exempted from a licence requirement, and where an entry ban keeps people out, are not reached.
        ("A licence is now required to export such items to all destinations except Canada and Mexico, the Commerce "
         "Department said.", "licence requirement", {None}),
        ("日本经济产业省规定，企业向美国、韩国、台湾等42个国家和地区以外的目的地出口上述设备时，须逐案申请经产省许可。",
         "licence requirement", {None}),
        ("The new rule requires a licence for exports of the tools, though Japan and the Netherlands are exempted from "
         "it.", "licence requirement", {None}),
        ("Beijing sanctioned two U.S. lawmakers on Friday, barring them from entering mainland China, Hong Kong and "
         "Macau.", "sanctions", {"US"}),
        # A clause of its own after the measure names other parties.
        ("Malaysia will require a permit for exports of advanced AI chips, as Washington presses Southeast Asian "
         "countries to stop chips being diverted.", "licence requirement", {None}),
        # Where goods or rules come from is not what the measure reaches.
        ("Japan tightened its export controls on chipmaking tools to match U.S. rules.", "export controls", {None}),
        ("The Dutch government widened export controls on scanners built with U.S. technology.", "export controls", {None}),
    ],
)
def test_the_parties_a_measure_reaches_and_those_named_for_another_reason(enrich, text: str, measure: str, targets: set[str | None]) -> None:  # type: ignore[no-untyped-def]
    assert {event.target_id for event in enrich(text).events if event.measure == measure} == targets


def test_a_measure_someone_evades_is_no_event(enrich) -> None:  # type: ignore[no-untyped-def]
    events = enrich("Britain sanctioned a trader accused of helping Iran evade the oil embargo.").events
    assert [(event.measure, event.actor_id, event.target_id) for event in events] == [("sanctions", "GB", None)]


@pytest.mark.parametrize(
    "text",
    [
        "South Korean exporters do not need a licence to ship the chips to Japan, the trade ministry said.",
        "Such memory modules do not require a licence for shipment to Vietnam, the company said.",
    ],
)
def test_a_licence_not_needed_is_no_export_control(enrich, text: str) -> None:  # type: ignore[no-untyped-def]
    found = tags(enrich(text))
    assert "export_licenses" in found and "export_controls" not in found


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target"),
    [
        # A government named before 政府颁发 issues the licence.
        ("宁德时代称已获得日本政府颁发的出口许可证。", "licence approval", "JP", "catl"),
        # A country named as where parties are does not act.
        ("Carmakers in Germany and Japan are scrambling for magnets after Beijing said it would require export "
         "licences for some rare earths.", "licence requirement", "CN", "DE"),
        # A body before a title qualifies the person after it, who is reached; "in the United States of" is no name.
        ("The Treasury on Friday blocked all property in the United States of Wagner Group commander Dmitry Utkin.",
         "asset freeze", "us-treasury", "dmitry-utkin"),
    ],
)
def test_issuers_named_with_their_government_and_people_named_by_their_post(enrich, text: str, measure: str, actor: str, target: str) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert (event.actor_id, event.target_id) == (actor, target)


def test_parties_named_together_taken_off_a_list_are_each_a_lifting(enrich) -> None:  # type: ignore[no-untyped-def]
    events = enrich(
        "The EU on Monday removed 12 entities and individuals, among them Rosneft and Lukoil, from its asset-freeze list."
    ).events
    assert {(event.measure, event.target_id, event.modality) for event in events} == {
        ("asset freeze", "rosneft", "lifted"), ("asset freeze", "lukoil", "lifted"),
    }


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # Who blocks a measure neither takes it nor is reached by it; the measure is the bloc's.
        ("EU ministers did not agree new sanctions on Monday. Diplomats said Hungary had blocked agreement on a "
         "package of travel bans and asset freezes.", "EU"),
        ("Hungary vetoed the EU sanctions on Russian oil.", "EU"),
    ],
)
def test_who_blocks_a_measure_does_not_take_it(enrich, text: str, actor: str) -> None:  # type: ignore[no-untyped-def]
    events = enrich(text).events
    assert events and all(event.actor_id == actor and event.target_id != "HU" for event in events)


def test_executives_barred_from_entering_is_a_sanction(enrich) -> None:  # type: ignore[no-untyped-def]
    events = enrich("外交部宣布对美国国防承包商安杜里尔公司采取反制措施，冻结其在华资产，其高管不得入境。").events
    assert {event.measure for event in events} == {"countermeasures", "asset freeze", "sanctions"}


@pytest.mark.parametrize(
    ("text", "controls"),
    [
        # Permission or a licence required for a class of exports is a control on them.
        ("Seoul will require government permission for exports of 50 more items to Russia from next month.", True),
        ("Beijing now requires exporters of graphite anodes to apply to the commerce ministry for a licence for each "
         "shipment.", True),
        ("The rule would have capped exports of advanced AI chips to most of the world.", True),
        # Plant-health controls on exports are not export controls.
        ("Kenya tightened pest controls on mango exports after EU inspectors found fruit flies.", False),
    ],
)
def test_export_controls_worded_as_permission_and_caps_but_not_pest_controls(enrich, text: str, controls: bool) -> None:  # type: ignore[no-untyped-def]
    assert ("export_controls" in tags(enrich(text))) is controls


def test_firms_put_on_a_list_are_all_listed_however_long_their_names(enrich) -> None:  # type: ignore[no-untyped-def]
    events = enrich(
        "South Korea has put ZTE Corporation and Semiconductor Manufacturing International Corp (SMIC), together with "
        "40 of their affiliates, on its entity list."
    ).events
    assert {(event.actor_id, event.target_id) for event in events if event.measure == "entity listing"} == {
        ("KR", "zte"), ("KR", "smic"),
    }


def test_a_condition_put_first_holds_the_whole_main_clause(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich(
        "If Washington presses ahead, the Chinese side will have no choice but to take resolute countermeasures "
        "against the arms makers involved in the latest package of weapons for the island, including putting the "
        "relevant American defence companies on its unreliable entity list."
    )
    assert tags(result)["sanctions"] == "hypothetical"


@pytest.mark.parametrize(
    "text",
    [
        "Japan's trade ministry said it would add testing equipment to its export control list, with exporters required "
        "to obtain licences from May 28.",
        "Exporters have needed a licence for the chips since May, the Bureau of Industry and Security said.",
    ],
)
def test_the_month_of_may_is_no_hedge(enrich, text: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text))["export_licenses"] == "asserted"


@pytest.mark.parametrize(
    ("text", "measure", "actor", "target", "modality"),
    [
        ("Japan has no plans to widen restrictions on exports of chipmaking equipment to China, the minister said.",
         "export controls", "JP", "CN", "negated"),
        ("Beijing will require foreign firms to obtain Chinese government approval to export magnets made with its rare "
         "earths.", "licence requirement", "CN", None, "asserted"),
    ],
)
def test_controls_and_requirements_in_the_tags_wordings_are_events(enrich, text: str, measure: str, actor: str, target: str | None, modality: str) -> None:  # type: ignore[no-untyped-def]
    event = next(event for event in enrich(text).events if event.measure == measure)
    assert (event.actor_id, event.target_id, event.modality) == (actor, target, modality)


def test_relief_sought_from_a_tariff_says_it_is_in_force(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Seoul's trade minister flew to Washington on Monday, as South Korea seeks relief from the 25% U.S. "
                    "tariff on its steel that took effect in March.")
    assert tags(result)["tariffs"] == "asserted"


@pytest.mark.parametrize(
    "text",
    [
        "Porto taxi tariffs will rise 4% from April under a deal between the city and the drivers' union.",
        "The agreement still needs approval from the state regulator, which sets the pipeline's transport tariffs.",
        # Goods meeting a definition are no meeting.
        "Items meeting these specifications may not be exported without a licence from the commerce ministry.",
    ],
)
def test_a_word_in_another_sense_is_no_anchor_for_another_tag(enrich, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "negotiations" not in tags(enrich(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The duties of an anti-dumping case are the trade remedy's, not a tariff.
        ("The EU imposed provisional anti-dumping duties on Chinese biodiesel on Friday. Importers must lodge "
         "securities for the duties until a final decision.", {"trade_remedies"}),
        # Beside a tariff of its own, both are found.
        ("The EU imposed anti-dumping duties on Chinese biodiesel, and Beijing answered with retaliatory tariffs on "
         "European pork.", {"trade_remedies", "tariffs"}),
    ],
)
def test_duties_of_a_trade_remedy_are_no_tariff(enrich, text: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert set(tags(enrich(text))) == expected


def test_a_negotiators_title_says_nothing_of_the_talks(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Japan's chief trade negotiator Ryosei Akazawa said he was prepared to fly to Washington next week "
                    "for talks on tariffs.")
    assert tags(result)["negotiations"] == "hypothetical"


@pytest.mark.parametrize(
    "text",
    [
        "With the approval of the State Council, the Ministry of Commerce will impose export controls on graphite from "
        "December 1.",
        "商务部、海关总署公告：经国务院批准，决定对石墨相关物项实施出口管制。",
    ],
)
def test_the_body_that_approves_another_bodys_measure_does_not_take_it(enrich, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [(event.measure, event.actor_id) for event in enrich(text).events] == [("export controls", "mofcom")]


def test_a_dialogue_on_export_controls_is_talks_not_a_control(enrich) -> None:  # type: ignore[no-untyped-def]
    found = tags(enrich("两天前，中欧出口管制对话机制第二次会议在北京举行，双方就稀土出口审批交换了意见。"))
    assert "negotiations" in found and "export_controls" not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A licence requirement ended is a lifting ...
        ("From Monday, exporters of photoresists to South Korea no longer need individual licences for each shipment, "
         "the trade ministry said.", "lifted"),
        # ... though a licence revoked is a measure taken.
        ("The Commerce Department revoked the licences that let Intel ship laptop chips to Huawei.", "asserted"),
    ],
)
def test_a_requirement_ended_is_lifted_and_a_licence_revoked_is_taken(enrich, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text))["export_licenses"] == expected


@pytest.mark.parametrize(
    ("text", "tag", "expected"),
    [
        # What a measure would have done takes the modality of the measure named before it.
        ("The Treasury on Monday repealed the 2019 order, which would have imposed sanctions on buyers of Venezuelan gold.",
         "sanctions", "lifted"),
        ("Parliament did not adopt the regulation, which would have required export licences for commercial drones.",
         "export_licenses", "negated"),
        ("Under the draft rule, exporters of lidar sensors would have needed an export licence for every shipment.",
         "export_licenses", "hypothetical"),
        # Named first, the measure is what would have happened.
        ("The retaliatory tariffs would have hit French cheese, wine and handbags.", "tariffs", "hypothetical"),
    ],
)
def test_what_a_measure_would_have_done_follows_the_measure_it_describes(enrich, text: str, tag: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text))[tag] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Documents a named body released are on the record; documents only "seen by" a newspaper are a report.
        ("The Commerce Department granted 40 export licences for shipments to SMIC last year, according to documents "
         "released by the House Select Committee on the CCP.", "asserted"),
        ("The Commerce Department granted 40 export licences for shipments to SMIC last year, according to documents "
         "seen by the Financial Times.", "reported"),
    ],
)
def test_documents_released_by_a_named_body_are_no_anonymous_report(enrich, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text))["export_licenses"] == expected
