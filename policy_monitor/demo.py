"""Demo policy monitoring data for the quick start (never in production):
government bodies, the immigration basic plan, the human-rights and OGP
national action plans with commitments, the 19 NAP consultation sessions,
CEDAW/CERD/UPR reviews, recommendations about migrant women (paraphrased from
CEDAW/C/KOR/CO/9 and the UPR), assessments and submissions."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ngo.accounts.models import User
from ngo.directory import services as directory_services
from policy_monitor import services
from policy_monitor.models import (
    Mechanism,
    Policy,
    Recommendation,
    Review,
    Submission,
    Term,
    Vocabulary,
)
from policy_monitor.statistics import demo as statistics_demo
from policy_monitor.statistics.models import StatisticsDataset

GOVERNMENT = [
    ("법무부", "Ministry of Justice"),
    ("여성가족부", "Ministry of Gender Equality and Family"),
    ("고용노동부", "Ministry of Employment and Labor"),
    ("외국인정책위원회", "Foreigners' Policy Committee"),
    ("다문화가족정책위원회", "Multicultural Family Policy Committee"),
    ("국회", "National Assembly"),
    ("서울특별시", "Seoul Metropolitan Government"),
]
NGOS = [
    ("한국이주여성인권센터", "Korea Migrant Women Human Rights Center", "ngo"),
    ("이주민과 함께하는 공동위원회", "Joint Committee with Migrants in Korea", "ngo"),
    ("공익인권법재단 공감", "Korean Public Interest Lawyers' Group GONGGAM", "lawyers"),
]


def _organisation(name_ko, name_en, kind):
    # One directory: another app's demo may have added it under the same name.
    found = directory_services.organisation_duplicates(name_ko=name_ko, name_en=name_en).first()
    return found or directory_services.organisation_create(
        actor=None, name_ko=name_ko, name_en=name_en, kind=kind
    )


def _terms(vocabulary, *labels):
    return list(Term.objects.filter(vocabulary=vocabulary, label_en__in=labels))


@transaction.atomic
def load() -> None:
    _load_policy()
    statistics_demo.load()
    _link_evidence()


def _link_evidence() -> None:
    """The next CEDAW review (for a shadow-report draft) and the demo dataset
    linked to the recommendations and the draft follow-up it backs."""
    cedaw = Mechanism.objects.get(code="CEDAW")
    if Review.objects.filter(mechanism=cedaw, cycle="10th periodic report").exists():
        return
    officer = User.objects.get(email="policy@demo.hamkke.kr")
    services.review_create(actor=officer, mechanism=cedaw, cycle="10th periodic report")
    dataset = StatisticsDataset.objects.filter(title=statistics_demo.TITLE).first()
    if dataset is None:
        return
    for recommendation in Recommendation.objects.filter(
        document_symbol="CEDAW/C/KOR/CO/9", paragraph__in=["40", "48"]
    ):
        services.recommendation_update(
            actor=officer, recommendation=recommendation, datasets=[dataset]
        )
    follow_up = Submission.objects.filter(kind="follow_up_report", review__mechanism=cedaw).first()
    if follow_up is not None:
        services.submission_update(actor=officer, submission=follow_up, datasets=[dataset])


def _load_policy() -> None:
    if Policy.objects.exists():
        return
    officer = User.objects.get(email="policy@demo.hamkke.kr")
    today = timezone.localdate()
    gov = {en: _organisation(ko, en, "government") for ko, en in GOVERNMENT}
    ngo = {en: _organisation(ko, en, kind) for ko, en, kind in NGOS}
    centre = ngo["Korea Migrant Women Human Rights Center"]
    cedaw, cerd, upr = (Mechanism.objects.get(code=c) for c in ("CEDAW", "CERD", "UPR"))

    # --- Laws and plans ---------------------------------------------------------------
    immigration = services.policy_create(
        actor=officer,
        kind="five_year_plan",
        title_ko="제4차 외국인정책 기본계획(2023~2027)",
        title_en="4th Basic Plan for Immigration Policy (2023-2027)",
        responsible_body=gov["Foreigners' Policy Committee"],
        status="in_force",
        enacted_on=date(2023, 4, 27),
        in_force_on=date(2023, 5, 1),
        ends_on=date(2027, 12, 31),
    )
    nap = services.policy_create(
        actor=officer,
        kind="national_action_plan",
        title_ko="제4차 국가인권정책기본계획(2023~2027)",
        title_en="4th National Action Plan for the Promotion and Protection of Human Rights",
        responsible_body=gov["Ministry of Justice"],
        status="in_force",
        in_force_on=date(2023, 1, 1),
        ends_on=date(2027, 12, 31),
        summary="Co-ordinated by the Ministry of Justice; 19 consultation sessions with civil "
        "society were held while it was drafted.",
    )
    ogp = services.policy_create(
        actor=officer,
        kind="national_action_plan",
        title_ko="열린정부 국가실행계획",
        title_en="Open Government Partnership National Action Plan",
        number="OGP NAP",
        responsible_body=gov["Ministry of Justice"],
        status="in_force",
        summary="Co-created with civil society every two years.",
    )
    efw_act = services.policy_create(
        actor=officer,
        kind="act",
        title_ko="외국인근로자의 고용 등에 관한 법률",
        title_en="Act on the Employment, etc. of Foreign Workers",
        responsible_body=gov["Ministry of Employment and Labor"],
        status="in_force",
    )
    services.policy_create(
        actor=officer,
        kind="act",
        title_ko="다문화가족지원법",
        title_en="Multicultural Families Support Act",
        responsible_body=gov["Ministry of Gender Equality and Family"],
        status="in_force",
    )

    # --- Events ---------------------------------------------------------------------------
    services.policy_event_create(
        actor=officer,
        policy=efw_act,
        kind="amendment_proposed",
        title="Workplace change for E-9 workers facing harassment",
        happens_on=today - timedelta(days=20),
    )
    comment = services.policy_event_create(
        actor=officer,
        policy=immigration,
        kind="public_comment",
        title="Mid-term revision of the implementation plan",
        happens_on=today - timedelta(days=5),
        deadline=today + timedelta(days=12),
    )
    first_session = date(2022, 3, 7)
    for number in range(1, 20):
        services.policy_event_create(
            actor=officer,
            policy=nap,
            kind="consultation",
            title=f"NAP consultation session {number}/19",
            happens_on=first_session + timedelta(days=7 * (number - 1)),
            place="Seoul",
            organisations_present=[
                gov["Ministry of Justice"],
                ngo["Joint Committee with Migrants in Korea"],
            ],
            participants=[officer],
            notes="Raised: residence status of marriage migrants leaving violent homes."
            if number in (4, 11)
            else "",
        )
    services.monitoring_note_create(
        actor=officer,
        policy=immigration,
        text="The revision drops the spouse-guarantee requirement for F-6 renewals only in "
        "pilot regions; follow up with the Foreigners' Policy Committee.",
    )

    # --- Reviews ------------------------------------------------------------------------------
    cedaw_9 = services.review_create(
        actor=officer,
        mechanism=cedaw,
        cycle="9th periodic report",
        session="88th session",
        document_symbol="CEDAW/C/KOR/CO/9",
        ngo_deadline=date(2024, 4, 22),
        dialogue_on=date(2024, 5, 15),
        concluding_observations_on=date(2024, 5, 29),
        follow_up_deadline=today + timedelta(days=45),
    )
    cerd_next = services.review_create(
        actor=officer,
        mechanism=cerd,
        cycle="20th to 22nd periodic reports",
        ngo_deadline=today + timedelta(days=30),
    )
    upr_4 = services.review_create(
        actor=officer,
        mechanism=upr,
        cycle="4th cycle",
        session="42nd session",
        document_symbol="A/HRC/53/11",
        dialogue_on=date(2023, 1, 26),
    )

    # --- Recommendations and commitments ------------------------------------------------------
    women_migrants = _terms(Vocabulary.AFFECTED_PERSONS, "Women", "Migrants")
    recommendations = []
    for paragraph, text, themes in [
        (
            "40",
            "40. The Committee recommends that the State party ensure that migrant women who "
            "are victims of gender-based violence have access to shelters, counselling and "
            "legal aid irrespective of their residence status. (demo paraphrase)",
            ("Gender-based violence", "Migrants"),
        ),
        (
            "48",
            "48. The Committee recommends that the State party remove the requirement of "
            "spousal support for marriage migrants applying for renewal of their residence "
            "or for naturalization. (demo paraphrase)",
            ("Marriage and family", "Migrants"),
        ),
        (
            "36",
            "36. The Committee recommends that the State party allow migrant women workers "
            "under the Employment Permit System to change workplaces freely where they face "
            "sexual harassment. (demo paraphrase)",
            ("Right to work", "Women's rights"),
        ),
    ]:
        rec = services.recommendation_create(
            actor=officer,
            mechanism=cedaw,
            review=cedaw_9,
            text=text,
            document_symbol="CEDAW/C/KOR/CO/9",
            paragraph=paragraph,
            issued_on=date(2024, 5, 29),
            themes=_terms(Vocabulary.THEME, *themes),
            affected_persons=women_migrants,
        )
        recommendations.append(rec)
    upr_rec = services.recommendation_create(
        actor=officer,
        mechanism=upr,
        review=upr_4,
        text="126.150 Strengthen the protection of migrant workers, in particular women "
        "migrant workers, against exploitation and abuse. (demo paraphrase)",
        document_symbol="A/HRC/53/11",
        paragraph="126.150",
        issued_on=date(2023, 4, 5),
        recommending_states=["Philippines"],
        position="supported",
        themes=_terms(Vocabulary.THEME, "Migrants"),
    )
    commitments = [
        services.recommendation_create(
            actor=officer,
            source="plan",
            plan=nap,
            text="Provide interpretation at counselling centres and shelters for migrant "
            "women victims of violence.",
            issued_on=date(2023, 1, 1),
            affected_persons=women_migrants,
        ),
        services.recommendation_create(
            actor=officer,
            source="plan",
            plan=ogp,
            text="Publish the data on residence-status decisions for marriage migrants "
            "who leave violent homes.",
            issued_on=date(2023, 1, 1),
        ),
    ]

    # --- Submissions ---------------------------------------------------------------------------
    shadow = services.submission_create(
        actor=officer,
        kind="shadow_report",
        title="Joint NGO shadow report on migrant women to CEDAW",
        review=cedaw_9,
        lead_organisation=centre,
        co_signers=[
            ngo["Joint Committee with Migrants in Korea"],
            ngo["Korean Public Interest Lawyers' Group GONGGAM"],
        ],
        status="published",
        submitted_on=date(2024, 4, 20),
        language="en",
    )
    opinion = services.submission_create(
        actor=officer,
        kind="consultation_response",
        title="Opinion on the mid-term revision of the immigration basic plan",
        addressed_body=gov["Ministry of Justice"],
        policy=immigration,
        lead_organisation=centre,
        due_on=comment.deadline,
        language="ko",
    )
    services.submission_create(
        actor=officer,
        kind="follow_up_report",
        title="Follow-up information on CEDAW/C/KOR/CO/9 paragraphs 40 and 48",
        review=cedaw_9,
        lead_organisation=centre,
        due_on=cedaw_9.follow_up_deadline,
    )
    services.submission_create(
        actor=officer,
        kind="shadow_report",
        title="Alternative report to CERD on marriage migrants",
        review=cerd_next,
        lead_organisation=centre,
        due_on=cerd_next.ngo_deadline,
    )

    # --- Assessments ------------------------------------------------------------------------------
    services.assessment_record(
        actor=officer,
        recommendation=recommendations[0],
        assessed_on=date(2025, 3, 1),
        status="partially_implemented",
        evidence="Two regional shelters now admit undocumented women; no legal basis yet.",
        submissions=[shadow],
    )
    services.assessment_record(
        actor=officer,
        recommendation=recommendations[1],
        assessed_on=date(2025, 3, 1),
        status="not_implemented",
        evidence="Spousal guarantee still required outside the pilot regions.",
        policies=[immigration],
        submissions=[opinion],
    )
    services.assessment_record(
        actor=officer,
        recommendation=upr_rec,
        assessed_on=date(2024, 11, 1),
        status="partially_implemented",
        evidence="Workplace change allowed after proven harassment (amendment proposed).",
        policies=[efw_act],
    )
    services.assessment_record(
        actor=officer,
        recommendation=commitments[0],
        assessed_on=date(2025, 1, 15),
        status="implemented",
        evidence="Interpretation budget line added in 2025.",
    )
