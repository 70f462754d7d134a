"""Case page panels: the one way a nested app (letters, say) shows its own
records on the case page without counselling depending on that app.

An app registers one function per panel in a module its AppConfig.ready
imports:

    from counselling.case_panels import Panel, register

    @register
    def letters_panel(user, case) -> Panel | None:
        if not user.can(Capability.READ_CASES):
            return None                      # nothing for this person
        return Panel(template="letters/_case_panel.html",
                     context={"letters": selectors.letter_list(user=user, case=case)})

The case page calls each with the person reading it and the case she may
read, and includes each template that comes back (its context as `panel`),
in the order the apps registered. A panel reads through its app's selectors
with `user`, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Panel(NamedTuple):
    template: str
    context: dict


_PANELS: list[Callable] = []


def register(panel: Callable) -> Callable:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def panels_for(user, case) -> list[Panel]:
    return [panel for make in _PANELS if (panel := make(user, case)) is not None]


# --- Timeline lines of the nested apps ------------------------------------------------------
#
# A nested app writes its own lines of the case timeline (CaseActivity) with a
# kind of its own, registered here so that the timeline shows it in words:
#
#     register_timeline_kind("incident", _("Incident recorded"),
#                            label=lambda code: ViolenceType(code).label, anchor="incidents")
#
# `label` turns the line's short code into words; `anchor` is the section of
# the case page the line leads to.


class TimelineKind(NamedTuple):
    title: object
    label: Callable[[str], str] | None = None
    anchor: str = ""


_TIMELINE_KINDS: dict[str, TimelineKind] = {}


def register_timeline_kind(kind: str, title, *, label=None, anchor: str = "") -> None:
    _TIMELINE_KINDS[kind] = TimelineKind(title=title, label=label, anchor=anchor)


def timeline_kind(kind: str) -> TimelineKind | None:
    return _TIMELINE_KINDS.get(kind)


def timeline_kinds() -> list[tuple[str, object]]:
    """The nested apps' kinds, with their titles."""
    return [(kind, registered.title) for kind, registered in _TIMELINE_KINDS.items()]


# --- Forms drawn when they are opened --------------------------------------------------------
#
# A form whose choices come from the database (the branch's staff, two thousand
# organisations, the branch's unlinked calls) is not drawn with the page: the
# page holds a placeholder that fetches the form's fields the first time she
# opens it (htmx), so that reading a case costs no query for choice lists she
# may never open. Each such form registers how it is built:
#
#     register_form("service", lambda user, case: forms.ServiceForm(user=user, prefix="service"))
#
# `build(user, case)` gets a case she may write and returns the unbound form (or
# None: nothing to offer). A form that comes back with errors is drawn in the
# page itself, bound, as before.


class FormOnDemand(NamedTuple):
    build: Callable
    template: str


_FORMS: dict[str, FormOnDemand] = {}


def register_form(name: str, build: Callable, *, template: str = "includes/fields.html") -> None:
    _FORMS[name] = FormOnDemand(build=build, template=template)


def form_on_demand(name: str) -> FormOnDemand | None:
    return _FORMS.get(name)
