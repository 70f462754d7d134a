"""Policy deadlines that reminders watch: NGO submission and follow-up deadlines
of UN reviews, public-comment deadlines, and submissions due."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ngo.accounts.roles import Role
from ngo.reminders.registry import Item, Rule, Source, people_with_role, register
from policy_monitor.models import PolicyEvent, PolicyEventKind, Review, Submission, SubmissionStatus

OFFICERS = {"officers": _("Policy officers")}


class _ReviewDeadline(Source):
    model = Review
    audiences = OFFICERS
    default_rules = [Rule(30, "officers"), Rule(7, "officers"), Rule(1, "officers")]
    watch = {Review: lambda review: [review.pk]}

    def queryset(self):
        return Review.objects.select_related("mechanism")

    def items(self, records):
        officers = people_with_role(Role.POLICY_OFFICER)
        for review in records:
            yield Item(
                record=review,
                due=getattr(review, self.due_field),
                reference=str(review)[:80],
                url=reverse("policy_monitor:review_detail", args=[review.pk]),
                recipients={"officers": officers},
            )


@register
class ReviewNgoDeadline(_ReviewDeadline):
    key = "policy.review_ngo_deadline"
    label = _("NGO submission deadline of a UN review")
    due_field = "ngo_deadline"


@register
class ReviewFollowUpDeadline(_ReviewDeadline):
    key = "policy.review_follow_up_deadline"
    label = _("Follow-up deadline of a UN review")
    due_field = "follow_up_deadline"


@register
class PublicCommentDeadline(Source):
    key = "policy.public_comment_deadline"
    label = _("Public-comment deadline")
    model = PolicyEvent
    due_field = "deadline"
    audiences = OFFICERS
    default_rules = [Rule(7, "officers"), Rule(1, "officers")]
    watch = {PolicyEvent: lambda event: [event.pk]}

    def queryset(self):
        return PolicyEvent.objects.filter(kind=PolicyEventKind.PUBLIC_COMMENT).select_related(
            "policy"
        )

    def items(self, records):
        officers = people_with_role(Role.POLICY_OFFICER)
        for event in records:
            yield Item(
                record=event,
                due=event.deadline,
                reference=str(event.policy)[:80],
                url=reverse("policy_monitor:policy_detail", args=[event.policy_id]),
                recipients={"officers": officers},
            )


@register
class SubmissionDue(Source):
    key = "policy.submission_due"
    label = _("Submission due")
    model = Submission
    due_field = "due_on"
    audiences = {"author": _("Who created it"), **OFFICERS}
    default_rules = [Rule(7, "officers"), Rule(1, "author"), Rule(1, "officers")]
    watch = {Submission: lambda submission: [submission.pk]}

    def queryset(self):
        return Submission.objects.filter(status=SubmissionStatus.DRAFTING)

    def items(self, records):
        officers = people_with_role(Role.POLICY_OFFICER)
        for submission in records:
            yield Item(
                record=submission,
                due=submission.due_on,
                reference=submission.title[:80],
                url=reverse("policy_monitor:submission_detail", args=[submission.pk]),
                recipients={
                    "author": {submission.created_by_id} if submission.created_by_id else set(),
                    "officers": officers,
                },
            )
