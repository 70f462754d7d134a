"""A notification is its recipient's alone; a dated item is seen by its recipients."""

from types import MappingProxyType

from django.db.models import Q

from ngo import access
from ngo.access import Need, routes
from ngo.reminders import registry
from ngo.reminders.models import DatedItem, Notification


@access.rule(Notification)
def _notification(user, need):
    return Q(recipient=user)


@access.rule(DatedItem)
def _item(user, need):
    if need is access.Need.WRITE:
        return None
    return Q(recipients=user)


def _reads_the_record_of(user, item: DatedItem) -> bool:
    """A reminder opens the record it is about: that record's rule decides."""
    source = registry.get(item.source)
    if source is None:
        return False
    return access.scope(user, source.model).filter(pk=item.object_id).exists()


routes.register(
    {
        "reminders:inbox": routes.page(),
        "reminders:mark_read": routes.action(),
        "reminders:open_item": routes.page(record=DatedItem, reads=_reads_the_record_of),
        "reminders:preferences": routes.page_with_forms(),
        "api:notification-list": routes.api_list(Notification, create=False),
        "api:notification-detail": routes.api_detail(Notification, write=()),
        "api:notification-mark-read": routes.api_action(record=False),
        "api:notification-settings": routes.Route(
            api=True,
            refused=routes.FORBIDDEN,
            methods=MappingProxyType({"GET": Need.READ, "PUT": Need.WRITE}),
        ),
    }
)
