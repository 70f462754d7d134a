"""Campaign deadlines that reminders watch: tasks and sign-on deadlines."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import CLOSED_STATUSES, CampaignTask, SignOn
from ngo.accounts.roles import Role
from ngo.reminders.registry import Item, Rule, Source, people_with_role, register

COORDINATORS = {"coordinators": _("Campaign coordinators")}


@register
class TaskDue(Source):
    key = "campaigns.task_due"
    label = _("Campaign task due")
    model = CampaignTask
    due_field = "due_on"
    audiences = {"assignee": _("Assignee"), **COORDINATORS}
    default_rules = [Rule(1, "assignee"), Rule(0, "assignee"), Rule(-1, "coordinators")]
    watch = {CampaignTask: lambda task: [task.pk]}

    def queryset(self):
        return (
            CampaignTask.objects.filter(done=False)
            .exclude(campaign__status__in=CLOSED_STATUSES)
            .select_related("campaign")
        )

    def items(self, records):
        coordinators = people_with_role(Role.CAMPAIGN_COORDINATOR)
        for task in records:
            yield Item(
                record=task,
                due=task.due_on,
                reference=f"{task.campaign.title} · {task.title}"[:80],
                url=reverse("campaigns:campaign_detail", args=[task.campaign_id]),
                recipients={
                    "assignee": {task.assignee_id} if task.assignee_id else set(),
                    "coordinators": coordinators,
                },
            )


@register
class SignOnDeadline(Source):
    key = "campaigns.sign_on_deadline"
    label = _("Sign-on deadline")
    model = SignOn
    due_field = "deadline"
    audiences = COORDINATORS
    default_rules = [Rule(7, "coordinators"), Rule(1, "coordinators")]
    watch = {SignOn: lambda sign_on: [sign_on.pk]}

    def queryset(self):
        return SignOn.objects.exclude(campaign__status__in=CLOSED_STATUSES).select_related(
            "campaign"
        )

    def items(self, records):
        coordinators = people_with_role(Role.CAMPAIGN_COORDINATOR)
        for sign_on in records:
            yield Item(
                record=sign_on,
                due=sign_on.deadline,
                reference=sign_on.title[:80],
                url=reverse("campaigns:sign_on_detail", args=[sign_on.pk]),
                recipients={"coordinators": coordinators},
            )
