"""Organisation page panels: the one way an app shows its own records on the
directory's organisation page, without the directory depending on that app.

An app writes one function per panel, decorated with `@register`, in its own
`organisation_panels.py` (imported from its AppConfig.ready):

    from ngo.directory.panels import Panel, register

    @register
    def partnership_panel(user, organisation) -> Panel | None:
        if not user.can(Capability.READ_CAMPAIGNS):
            return None                                  # nothing for this person
        return Panel(
            template="campaigns/_organisation_panel.html",
            context=selectors.organisation_partnership(user=user, organisation=organisation),
        )

and its template reads the context as `panel`:

    {% load i18n %}<h2 class="h5">{% translate "Coalitions" %}</h2>
    <ul>{% for m in panel.memberships %}<li>{{ m.coalition.name }}</li>{% endfor %}</ul>

The organisation page (ngo.directory.views.organisation_detail) calls every
registered function with the person reading the page and the organisation she
may read, and includes each template that comes back, in the order the apps
were registered (INSTALLED_APPS). The page stays the directory's: a panel only
adds a section to it.

What a panel owes the page:

- **Scope**: it reads through its app's selectors with `user`, so it shows only
  what she may read; it returns None when she may read none of it.
- **Bounded queries**: a fixed number of queries whatever the number of rows
  (select_related / prefetch_related in the selector, lists evaluated once);
  the organisation page's query-count test holds every panel to it.
- **No case data**: the directory is read by volunteers too; a count is fine,
  a client's name or a case code is not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Panel(NamedTuple):
    template: str
    context: dict


PanelFunction = Callable[..., Panel | None]
_PANELS: list[PanelFunction] = []


def register(panel: PanelFunction) -> PanelFunction:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def panels_for(*, user, organisation) -> list[Panel]:
    """The panels to show `user` on the page of `organisation`."""
    return [p for p in (panel(user, organisation) for panel in _PANELS) if p is not None]
