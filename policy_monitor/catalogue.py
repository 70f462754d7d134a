"""Seed lists: the UN mechanisms (with the names UHRI uses for them), the UHRI
themes and affected-persons terms relevant to migrant women in Korea, and the
word limits the mechanisms publish. Used by the data migration and the tests."""

# code, kind, name_ko, name_en, aliases (as UHRI and documents write them)
MECHANISMS = [
    (
        "CEDAW",
        "treaty_body",
        "여성차별철폐위원회",
        "Committee on the Elimination of Discrimination against Women",
        ["CEDAW", "Committee on the Elimination of Discrimination against Women"],
    ),
    (
        "CERD",
        "treaty_body",
        "인종차별철폐위원회",
        "Committee on the Elimination of Racial Discrimination",
        ["CERD", "Committee on the Elimination of Racial Discrimination"],
    ),
    (
        "CESCR",
        "treaty_body",
        "사회권규약위원회",
        "Committee on Economic, Social and Cultural Rights",
        ["CESCR", "Committee on Economic, Social and Cultural Rights"],
    ),
    (
        "CCPR",
        "treaty_body",
        "자유권규약위원회",
        "Human Rights Committee",
        ["CCPR", "HRCttee", "Human Rights Committee"],
    ),
    (
        "CAT",
        "treaty_body",
        "고문방지위원회",
        "Committee against Torture",
        ["CAT", "Committee against Torture"],
    ),
    (
        "CRC",
        "treaty_body",
        "아동권리위원회",
        "Committee on the Rights of the Child",
        ["CRC", "Committee on the Rights of the Child"],
    ),
    (
        "CMW",
        "treaty_body",
        "이주노동자권리위원회",
        "Committee on Migrant Workers",
        [
            "CMW",
            "Committee on Migrant Workers",
            "Committee on the Protection of the Rights of All Migrant Workers "
            "and Members of Their Families",
        ],
    ),
    (
        "CRPD",
        "treaty_body",
        "장애인권리위원회",
        "Committee on the Rights of Persons with Disabilities",
        ["CRPD", "Committee on the Rights of Persons with Disabilities"],
    ),
    (
        "UPR",
        "upr",
        "국가별 정례인권검토",
        "Universal Periodic Review",
        ["UPR", "Universal Periodic Review", "UPR Working Group"],
    ),
    (
        "SP",
        "special_procedure",
        "특별절차",
        "Special procedures",
        [
            "Special Procedures",
            "SP",
            "Special Rapporteur",
            "Working Group",
            "Independent Expert",
            "SR on",
            "WG on",
            "IE on",
        ],
    ),
]
# Aliases of special procedures are prefixes: "SR on trafficking in persons..." etc.
PREFIX_ALIASES = {
    "SP": ("special rapporteur", "working group", "independent expert", "sr ", "wg ", "ie ")
}

# UHRI themes (English label as UHRI writes it, Korean label).
THEMES = [
    ("Women's rights", "여성의 권리"),
    ("Migrants", "이주민"),
    ("Discrimination against women", "여성에 대한 차별"),
    ("Gender-based violence", "젠더 기반 폭력"),
    ("Domestic violence", "가정폭력"),
    ("Trafficking in persons", "인신매매"),
    ("Racial discrimination", "인종차별"),
    ("Equality & non-discrimination", "평등과 차별금지"),
    ("Access to justice", "사법 접근권"),
    ("Right to work", "노동권"),
    ("Just and favourable conditions of work", "공정하고 유리한 노동조건"),
    ("Labour rights and right to work", "노동권"),
    ("Right to health", "건강권"),
    ("Family life", "가족생활"),
    ("Marriage and family", "혼인과 가족"),
    ("Asylum-seekers and refugees", "난민과 난민신청자"),
    ("Nationality", "국적"),
    ("Birth registration", "출생등록"),
    ("Administration of justice & fair trial", "사법행정과 공정한 재판"),
    (
        "National Human Rights Action Plans (NHRAP) / specific policies",
        "국가인권정책기본계획 / 개별 정책",
    ),
    ("Legal and institutional reform", "법·제도 개혁"),
    ("Cooperation with treaty bodies", "조약기구와의 협력"),
    ("Sexual and reproductive health and rights", "성·재생산 건강과 권리"),
    ("Business & human rights", "기업과 인권"),
    ("Human rights education and training", "인권교육"),
]

AFFECTED_PERSONS = [
    ("Women", "여성"),
    ("Girls", "여아"),
    ("Migrants", "이주민"),
    ("Migrant workers", "이주노동자"),
    ("Non-citizens", "비국적자"),
    ("Asylum-seekers", "난민신청자"),
    ("Refugees", "난민"),
    ("Stateless persons", "무국적자"),
    ("Children", "아동"),
    ("Persons with disabilities", "장애인"),
    ("Persons living in rural areas", "농어촌 거주자"),
    ("Racial, ethnic, linguistic, religious or descent-based groups", "인종·민족·언어·종교 집단"),
    ("Victims of trafficking", "인신매매 피해자"),
    ("Domestic workers", "가사노동자"),
    ("Members of minorities", "소수자"),
    ("Lesbian, gay, bisexual, transgender and intersex persons", "성소수자"),
    ("Persons deprived of their liberty", "자유를 박탈당한 사람"),
    ("General", "일반"),
]

# mechanism code (None: any), submission kind, max words, max words when joint, note
WORD_LIMITS = [
    ("CEDAW", "shadow_report", 6600, 11000, "CEDAW: NGO reports before the session"),
    ("CEDAW", "follow_up_report", 3300, None, "CEDAW follow-up procedure"),
    ("CERD", "shadow_report", 6600, None, "CERD: alternative reports"),
    ("UPR", "upr_stakeholder", 2815, 5630, "OHCHR technical guidelines for stakeholders"),
    (None, "opinion", 5000, None, "House rule for opinions to ministries"),
]
