"""Demo partners, coalitions and campaigns for the quick start (never in
production), drawn from the centre's own history: the 70-organisation campaign
that made the 250-hour social-integration course optional, the agenda-based
networks, and the international partners. People and contact details are
fictional."""

from datetime import date

from django.utils import timezone

from campaigns import demo_evidence, services
from campaigns.models import Campaign, Coalition
from ngo.accounts.models import User
from ngo.directory import services as directory_services
from ngo.directory.models import ContactPerson, Organisation

# (name_ko, name_en, kind, country, scope, authority_type, tags)
ORGANISATIONS = [
    ("법무부", "Ministry of Justice", "government", "KR", "national", "ministry", ["immigration"]),
    (
        "여성가족부",
        "Ministry of Gender Equality and Family",
        "government",
        "KR",
        "national",
        "ministry",
        ["women", "multicultural families"],
    ),
    (
        "고용노동부",
        "Ministry of Employment and Labour",
        "government",
        "KR",
        "national",
        "ministry",
        ["labour"],
    ),
    ("국회", "National Assembly", "government", "KR", "national", "national_assembly", []),
    (
        "외국인정책위원회",
        "Foreigners' Policy Committee",
        "government",
        "KR",
        "national",
        "committee",
        ["immigration"],
    ),
    (
        "서울특별시",
        "Seoul Metropolitan Government",
        "government",
        "KR",
        "local",
        "local_government",
        [],
    ),
    (
        "",
        "UN Committee on the Elimination of Discrimination against Women (CEDAW)",
        "international",
        "CH",
        "international",
        "un_body",
        ["UN", "women"],
    ),
    (
        "",
        "UN Committee on the Rights of the Child (CRC)",
        "international",
        "CH",
        "international",
        "un_body",
        ["UN", "children"],
    ),
    (
        "",
        "Migrant Forum in Asia",
        "international",
        "PH",
        "international",
        "",
        ["international", "migrants"],
    ),
    (
        "이주민과 함께하는 공동위원회",
        "Joint Committee with Migrants in Korea",
        "ngo",
        "KR",
        "national",
        "",
        ["migrants"],
    ),
    (
        "",
        "Asia Pacific Forum on Women, Law and Development",
        "international",
        "TH",
        "international",
        "",
        ["international", "women"],
    ),
    (
        "국제앰네스티 한국지부",
        "Amnesty International Korea",
        "ngo",
        "KR",
        "national",
        "",
        ["human rights"],
    ),
    (
        "",
        "Asian Regional Exchange for New Alternatives (ARENA)",
        "international",
        "HK",
        "international",
        "",
        ["international"],
    ),
    (
        "이주노동자노동조합",
        "Migrants' Trade Union",
        "labour_union",
        "KR",
        "national",
        "",
        ["labour", "migrants"],
    ),
    (
        "공익인권법재단 공감",
        "Korean Public Interest Lawyers' Group GONGGAM",
        "lawyers",
        "KR",
        "national",
        "",
        ["lawyers"],
    ),
    ("난민인권센터", "Refugee Rights Center", "ngo", "KR", "national", "", ["refugees"]),
    (
        "한국 베트남 공동체",
        "Vietnamese Community in Korea",
        "community_group",
        "KR",
        "national",
        "",
        ["Vietnam", "community"],
    ),
    (
        "",
        "Vietnam Women's Union",
        "womens_organisation",
        "VN",
        "national",
        "",
        ["women", "sending country"],
    ),
    (
        "",
        "Cambodian Women's Crisis Center",
        "womens_organisation",
        "KH",
        "national",
        "",
        ["women", "sending country"],
    ),
    ("", "Gabriela", "womens_organisation", "PH", "national", "", ["women", "sending country"]),
    (
        "",
        "Mongolian Women's Fund (MONES)",
        "womens_organisation",
        "MN",
        "national",
        "",
        ["women", "sending country"],
    ),
    (
        "",
        "Awakening Foundation",
        "womens_organisation",
        "TW",
        "national",
        "",
        ["women", "sending country"],
    ),
    (
        "한국여성단체연합",
        "Korean Women's Associations United",
        "womens_organisation",
        "KR",
        "national",
        "",
        ["women"],
    ),
    (
        "천주교 이주사목위원회",
        "Catholic Committee for Migrants' Pastoral Care",
        "religious_body",
        "KR",
        "national",
        "",
        ["religious"],
    ),
]

CONTACTS = [
    # (organisation name_en, name, title, email, phone) - fictional people.
    (
        "Migrant Forum in Asia",
        "Maria Santos",
        "Gender Task Force coordinator",
        "gtf@demo.example.org",
        "+63-2-0000-0001",
    ),
    (
        "Joint Committee with Migrants in Korea",
        "이연대",
        "사무국장",
        "jcmk@demo.example.org",
        "02-0000-0002",
    ),
    (
        "Asia Pacific Forum on Women, Law and Development",
        "Ploy Chaiyaporn",
        "Programme officer",
        "apwld@demo.example.org",
        "+66-53-000-003",
    ),
]

COALITIONS = [
    # (name_ko, name_en, purpose, founded, centre role, [(member name_en, role, joined, left)])
    (
        "사회통합프로그램 의무화 반대 공동행동",
        "Joint Action against Mandatory Social Integration Courses",
        "70 organisations against making 250 hours of Korean language and society a "
        "condition of naturalisation.",
        date(2009, 3, 1),
        "lead",
        [
            ("Joint Committee with Migrants in Korea", "steering", date(2009, 3, 1), None),
            ("Migrants' Trade Union", "member", date(2009, 3, 1), None),
            ("Korean Public Interest Lawyers' Group GONGGAM", "member", date(2009, 4, 1), None),
            (
                "Catholic Committee for Migrants' Pastoral Care",
                "member",
                date(2009, 5, 1),
                date(2011, 12, 31),
            ),
            ("Korean Women's Associations United", "member", date(2009, 3, 1), None),
        ],
    ),
    (
        "난민지원네트워크",
        "Korea Refugee Support Network",
        "Rights of refugees and asylum seekers.",
        date(2008, 6, 20),
        "member",
        [
            ("Refugee Rights Center", "lead", date(2008, 6, 20), None),
            ("Amnesty International Korea", "member", date(2008, 6, 20), None),
        ],
    ),
    (
        "보편적출생신고네트워크",
        "Universal Birth Registration Network",
        "Birth registration for every child born in Korea, whatever the parents' status.",
        date(2015, 5, 1),
        "steering",
        [
            ("Korean Public Interest Lawyers' Group GONGGAM", "lead", date(2015, 5, 1), None),
            ("Catholic Committee for Migrants' Pastoral Care", "member", date(2015, 5, 1), None),
        ],
    ),
    (
        "E-6-2 비자 대안 네트워크",
        "Alternative to E-6-2 Visa Network",
        "Against trafficking through the entertainment visa.",
        date(2014, 2, 1),
        "lead",
        [("Korean Women's Associations United", "steering", date(2014, 2, 1), None)],
    ),
    (
        "이주아동 기본권 개선 네트워크",
        "Network for Improving Fundamental Rights of Migrant Children",
        "Right to education, health and registration of migrant children.",
        date(2012, 9, 1),
        "member",
        [("Joint Committee with Migrants in Korea", "lead", date(2012, 9, 1), None)],
    ),
    (
        "",
        "Migrant Forum in Asia – Gender Task Force",
        "Regional advocacy of MFA members on women migrants' rights.",
        date(2006, 1, 1),
        "member",
        [
            ("Migrant Forum in Asia", "lead", date(2006, 1, 1), None),
            ("Cambodian Women's Crisis Center", "member", date(2010, 1, 1), None),
            ("Gabriela", "member", date(2008, 1, 1), None),
            ("Vietnam Women's Union", "observer", date(2012, 1, 1), None),
            ("Mongolian Women's Fund (MONES)", "member", date(2013, 1, 1), None),
            ("Awakening Foundation", "member", date(2011, 1, 1), None),
            ("Asia Pacific Forum on Women, Law and Development", "member", date(2007, 1, 1), None),
        ],
    ),
]


def _organisation(row, actor) -> Organisation:
    name_ko, name_en, kind, country, scope, authority, tags = row
    # One directory: another app's demo may have added it under the same name.
    found = directory_services.organisation_duplicates(name_ko=name_ko, name_en=name_en).first()
    if found is None:
        found = directory_services.organisation_create(
            actor=actor,
            name_ko=name_ko,
            name_en=name_en,
            kind=kind,
            country=country,
            scope=scope,
            authority_type=authority,
            tags=tags,
            confirm_duplicate=True,
        )
    elif authority and not found.authority_type:
        directory_services.organisation_update(
            actor=actor, organisation=found, authority_type=authority, tags=tags
        )
    return found


def load() -> None:
    actor = User.objects.filter(email="coordinator@demo.hamkke.kr").first()
    orgs = {row[1]: _organisation(row, actor) for row in ORGANISATIONS}
    for org_name, name, title, email, phone in CONTACTS:
        if not ContactPerson.objects.filter(organisation=orgs[org_name], name=name).exists():
            directory_services.contact_add(
                actor=actor,
                organisation=orgs[org_name],
                name=name,
                title=title,
                email=email,
                phone=phone,
            )
    if Campaign.objects.exists() or Coalition.objects.exists():
        return
    _load_campaigns(actor, orgs)
    demo_evidence.load(actor)


def _load_campaigns(actor, orgs) -> None:
    coalitions = {}
    for name_ko, name_en, purpose, founded, role, members in COALITIONS:
        coalition = services.coalition_create(
            actor=actor,
            name_ko=name_ko,
            name_en=name_en,
            purpose=purpose,
            founded_on=founded,
            centre_role=role,
        )
        coalitions[name_en] = coalition
        for member, member_role, joined, left in members:
            services.membership_add(
                actor=actor,
                coalition=coalition,
                organisation=orgs[member],
                role=member_role,
                joined_on=joined,
                left_on=left,
            )
    today = timezone.localdate()

    integration = services.campaign_create(
        actor=actor,
        title="사회통합프로그램 이수 의무화 반대",
        goal="Keep the 250-hour Korean language and society course voluntary for "
        "naturalisation of marriage migrants.",
        campaign_type="policy_change",
        status="won",
        coalition=coalitions["Joint Action against Mandatory Social Integration Courses"],
        lead_organisation=orgs["Joint Committee with Migrants in Korea"],
        starts_on=date(2009, 3, 1),
        ends_on=date(2010, 6, 30),
        outcome="The Ministry of Justice made the social-integration course optional.",
        outcome_on=date(2010, 6, 30),
    )
    services.demand_add(
        actor=actor,
        campaign=integration,
        addressed_to=orgs["Ministry of Justice"],
        text="Do not make 250 hours of the social-integration programme a condition of "
        "naturalisation.",
        response="The course was made optional.",
    )
    forum = services.action_record(
        actor=actor,
        campaign=integration,
        action_type="forum",
        title="Forum: integration or assimilation?",
        occurred_on=date(2009, 5, 12),
        place="Seoul",
        participants=120,
        organisations=[
            orgs["Joint Committee with Migrants in Korea"],
            orgs["Migrants' Trade Union"],
        ],
    )
    services.action_record(
        actor=actor,
        campaign=integration,
        action_type="press_conference",
        title="70 organisations' joint press conference",
        occurred_on=date(2009, 9, 3),
        place="Ministry of Justice, Gwacheon",
        participants=60,
        organisations=[
            orgs["Joint Committee with Migrants in Korea"],
            orgs["Korean Women's Associations United"],
        ],
        follow_up="Meeting with the immigration policy bureau requested.",
    )
    services.action_record(
        actor=actor,
        campaign=integration,
        action_type="meeting_officials",
        title="Meeting with the immigration policy bureau",
        occurred_on=date(2009, 11, 20),
        place="Gwacheon",
        participants=8,
    )
    letter = services.sign_on_create(
        actor=actor,
        campaign=integration,
        kind="letter",
        title="Joint statement: no compulsory integration course",
        text="We, 70 organisations of migrants and of Korean civil society, ...",
        deadline=date(2009, 8, 31),
        individual_signatures=1840,
        addressed_to=orgs["Ministry of Justice"],
    )
    for name in (
        "Joint Committee with Migrants in Korea",
        "Migrants' Trade Union",
        "Korean Public Interest Lawyers' Group GONGGAM",
        "Korean Women's Associations United",
        "Catholic Committee for Migrants' Pastoral Care",
    ):
        services.signatory_add(
            actor=actor, sign_on=letter, organisation=orgs[name], signed_on=date(2009, 8, 20)
        )
    del forum

    birth = services.campaign_create(
        actor=actor,
        title="Universal birth registration for migrant children",
        goal="A birth registration system for every child born in Korea.",
        campaign_type="law_reform",
        status="active",
        coalition=coalitions["Universal Birth Registration Network"],
        lead_organisation=orgs["Korean Public Interest Lawyers' Group GONGGAM"],
        starts_on=date(2015, 5, 1),
    )
    services.demand_add(
        actor=actor,
        campaign=birth,
        addressed_to=orgs["National Assembly"],
        text="Pass a universal birth registration act.",
    )
    services.demand_add(
        actor=actor,
        campaign=birth,
        addressed_to=orgs["UN Committee on the Rights of the Child (CRC)"],
        text="Recommend universal birth registration in the concluding observations.",
    )
    services.action_record(
        actor=actor,
        campaign=birth,
        action_type="international_advocacy",
        title="Joint NGO report to the CRC",
        occurred_on=date(2019, 2, 1),
        place="Geneva",
        organisations=[orgs["Korean Public Interest Lawyers' Group GONGGAM"]],
        links=["https://www.ohchr.org/en/treaty-bodies/crc"],
    )
    petition = services.sign_on_create(
        actor=actor,
        campaign=birth,
        kind="petition",
        title="Petition: every child's birth counts",
        text="Register every child born in Korea.",
        deadline=today.replace(day=28),
        individual_signatures=3520,
        addressed_to=orgs["National Assembly"],
    )
    services.signatory_add(
        actor=actor,
        sign_on=petition,
        organisation=orgs["Catholic Committee for Migrants' Pastoral Care"],
    )
    services.task_add(
        actor=actor,
        campaign=birth,
        title="Collect the last signatures",
        assignee=actor,
        due_on=today,
    )
    services.task_add(
        actor=actor,
        campaign=birth,
        title="Draft the next CRC follow-up note",
        assignee=actor,
        due_on=today.replace(day=1),
    )

    e62 = services.campaign_create(
        actor=actor,
        title="E-6-2 비자 인신매매 근절",
        goal="End trafficking of women through the E-6-2 entertainment visa.",
        campaign_type="law_reform",
        status="partly_won",
        coalition=coalitions["Alternative to E-6-2 Visa Network"],
        starts_on=date(2014, 2, 1),
        outcome="Screening of E-6-2 recruiters tightened; the visa itself remains.",
        outcome_on=date(2017, 12, 1),
    )
    services.demand_add(
        actor=actor,
        campaign=e62,
        addressed_to=orgs["Ministry of Gender Equality and Family"],
        text="Protect women on E-6-2 visas as trafficking survivors, not offenders.",
    )
    services.action_record(
        actor=actor,
        campaign=e62,
        action_type="public_comment",
        title="Comments on the draft anti-trafficking act",
        occurred_on=date(2016, 4, 11),
    )

    seoul = services.campaign_create(
        actor=actor,
        title="Seoul Statement on violence against migrant women",
        goal="A joint statement of women's organisations of sending and receiving countries.",
        campaign_type="international",
        status="planning",
        coalition=coalitions["Migrant Forum in Asia – Gender Task Force"],
        lead_organisation=orgs["Migrant Forum in Asia"],
        starts_on=today,
    )
    services.action_record(
        actor=actor,
        campaign=seoul,
        action_type="forum",
        title="Regional forum of women's organisations",
        occurred_on=today,
        place="Seoul",
        participants=85,
        organisations=[
            orgs["Migrant Forum in Asia"],
            orgs["Vietnam Women's Union"],
            orgs["Gabriela"],
            orgs["Cambodian Women's Crisis Center"],
            orgs["Awakening Foundation"],
        ],
    )
    services.task_add(
        actor=actor,
        campaign=seoul,
        title="Circulate the draft statement",
        assignee=actor,
        due_on=today,
    )

    alone = services.campaign_create(
        actor=actor,
        title="Stop discriminatory international-marriage advertising",
        goal="Remove advertisements that sell marriages with migrant women.",
        campaign_type="awareness",
        status="active",
        starts_on=date(2023, 3, 8),
    )
    services.demand_add(
        actor=actor,
        campaign=alone,
        addressed_to=orgs["Seoul Metropolitan Government"],
        text="Take down discriminatory marriage-brokerage banners in public places.",
    )
    services.action_record(
        actor=actor,
        campaign=alone,
        action_type="media_work",
        title="Press release on marriage-brokerage banners",
        occurred_on=date(2023, 3, 8),
    )
