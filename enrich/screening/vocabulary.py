"""Words that decide how a name is matched: company forms, name particles, titles, and the common words
that make a name too generic to find in running text.

Company forms are written in the folded form of `normalize.fold` (lower-case ASCII words; Chinese forms
as characters) and mapped to one canonical form each, so "Co., Ltd", "Limited", 有限公司 and "youxian
gongsi" are one form, "OOO", "LLC", "GmbH" and "Limited Liability Company" another.
"""

from __future__ import annotations

_FORMS = {
    "llc": "llc, l l c, limited liability company, ooo, obshchestvo s ogranichennoi otvetstvennostiu, "
           "obshchestvo s ogranichennoy otvetstvennostyu, tov, gmbh, g m b h, sarl, s a r l, srl, s r l, sp z o o, spzoo, "
           "llp, l l p, youxian zeren gongsi",
    "ltd": "ltd, limited, co ltd, company limited, co limited, pte ltd, pty ltd, private limited, pvt ltd, ltda, "
           "youxian gongsi, sdn bhd",
    "jsc": "jsc, ojsc, cjsc, pjsc, pao, oao, zao, ao, nao, joint stock company, open joint stock company, "
           "closed joint stock company, public joint stock company, aktsionernoe obshchestvo, aktsionernoye obshchestvo, "
           "publichnoe aktsionernoe obshchestvo, ak, ag, a g, sa, s a, spa, s p a, nv, n v, as, a s, ab, oy, kk, "
           "kabushiki kaisha, gufen youxian gongsi",
    "inc": "inc, incorporated, corp, corporation, co, company, plc, public limited company, lp, l p, fze, fzco, fzc, "
           "dmcc, bv, b v, kg, se, pte, pty, pvt, bhd, tbk",
}
_CJK_FORMS = {
    "股份有限公司": "jsc", "有限责任公司": "llc", "有限公司": "ltd", "公司": "inc", "株式会社": "jsc", "总公司": "inc",
}


def _forms() -> dict[tuple[str, ...], str]:
    forms: dict[tuple[str, ...], str] = {}
    for canonical, phrases in _FORMS.items():
        for phrase in phrases.split(","):
            forms[tuple(phrase.split())] = canonical
    for phrase, canonical in _CJK_FORMS.items():
        forms[tuple(phrase)] = canonical
    return forms


# Folded token sequence -> canonical form.
COMPANY_FORMS: dict[tuple[str, ...], str] = _forms()
LONGEST_FORM = max(len(phrase) for phrase in COMPANY_FORMS)

# Abbreviations company names are written with, to the word they stand for (folded forms).
ABBREVIATIONS = {
    "intl": "international", "natl": "national", "mfg": "manufacturing", "mfr": "manufacturer", "engg": "engineering",
    "svcs": "services", "svc": "service", "bros": "brothers", "assn": "association", "mgmt": "management",
    "dev": "development", "devt": "development", "ind": "industries", "inds": "industries", "univ": "university",
    "inst": "institute", "elec": "electronics", "chem": "chemical", "petrochem": "petrochemical", "sci": "science",
}

# Arabic articles written apart from the word ("al-Qaida", "el Sisi"): names match with or without them.
PARTICLES = frozenset({"al", "el", "ul", "the"})
# A name of common words is matched in full only; its article counts ("The Base" is not "base").
ARTICLE = "the"
# Title and connector words that may stand before a person's name in text ("Foreign Minister Sergei Lavrov").
TITLE_WORDS = frozenset(
    "mr mrs ms dr president minister secretary general chairman chairwoman chief executive director deputy vice prime "
    "foreign defence defense finance commander ambassador senator governor mullah sheikh shaykh emir king prince "
    "leader founder spokesman judge colonel major lieutenant admiral marshal brigadier captain oligarch tycoon businessman".split()
)

# Words common enough that a name made only of them ("Golden Star", "New Horizon Trading", "The Base") says
# nothing on its own in running text. Written for trade and company names, not a general frequency list.
COMMON_WORDS = frozenset(
    """
    a an and the of for in on at to by with from new old first second third one two three north south east west
    northern southern eastern western central middle great grand royal national international global world universal
    general united union federal state public private free open best top prime premier first golden gold silver star
    stars sun sunrise sunshine moon sky sea ocean ocean river mountain lake island bay coast port harbor harbour city
    town land earth green blue red white black yellow orange bright light power energy oil gas petroleum fuel coal
    steel metal metals iron mining mineral minerals chemical chemicals industrial industries industry trade trading
    traders trader commerce commercial business enterprise enterprises service services solutions solution systems
    system technology technologies tech digital data network networks media communication communications telecom
    electronics electronic electric engineering construction development developments investment investments capital
    finance financial bank banking credit trust fund funds insurance holding holdings group partners partner alliance
    association society foundation institute center centre office agency bureau house home family friends people
    shipping ship ships marine maritime logistics transport transportation express air airlines aviation auto motor
    motors machinery equipment supply supplies import export imports exports products product goods materials
    resources resource food foods agro agriculture farm fresh pure nature natural life health medical pharma care
    security defense defence force forces army guard base peace freedom victory hope future progress pioneer
    vision horizon horizons frontier bridge gate way road path link line point peak summit crown eagle lion tiger
    falcon phoenix dragon orient oriental asia asian europe european america american africa african pacific atlantic
    arab arabian gulf euro trans inter standard quality smart fast rapid quick ideal perfect classic modern unique
    direct real true good fine royal elite alpha beta delta omega nova neo max plus pro
    """.split()
)
