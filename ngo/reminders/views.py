from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo import access
from ngo.lib.paging import CappedPaginator
from ngo.lib.redirects import local_path_or
from ngo.reminders import registry, selectors, services
from ngo.reminders.forms import PreferenceForm
from ngo.reminders.models import DatedItem


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.notifications_for(request.user, unread_only=unread_only)
    page = CappedPaginator(rows, 30).get_page(request.GET.get("page"))
    upcoming = list(selectors.upcoming_items_for(request.user)[:50])
    items = [n.reminder.item for n in page.object_list] + upcoming
    notes = registry.inbox_notes(request.user, items)
    for item in items:
        item.notes = notes.get(item.pk, [])
    return render(
        request,
        "reminders/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "upcoming": upcoming,
            "now_marker": timezone.now(),
        },
    )


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("notification")
    try:
        ids = [int(i) for i in ids] if ids else None
    except ValueError:
        ids = []
    count = services.notification_mark_read(user=request.user, notification_ids=ids)
    messages.info(request, _("%(count)d notification(s) marked as read.") % {"count": count})
    return redirect(local_path_or(request, request.POST.get("next"), reverse("reminders:inbox")))


@login_required
def open_item(request, pk: int):
    """Follow a reminder to its record: the record's own access rule decides."""
    item = DatedItem.objects.filter(pk=pk).first()
    source = registry.get(item.source) if item else None
    if source is None:
        raise Http404
    record = access.get_for_user(request.user, source.model, item.object_id)
    services.notification_mark_read(
        user=request.user,
        notification_ids=request.user.notifications.filter(
            reminder__item=item, read_at__isnull=True
        ).values_list("pk", flat=True),
    )
    del record
    return redirect(item.url)


@login_required
def preferences(request):
    form = PreferenceForm(request.POST or None, instance=selectors.preference_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preference_update(user=request.user, email_mode=form.cleaned_data["email_mode"])
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"form": form})
