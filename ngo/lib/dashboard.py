"""Panels that apps add to the home page, without ngo depending on the apps.

An app registers a function `panel(user) -> dict | None`; the dict holds a
`template` and its context. None means nothing to show this person."""

from collections.abc import Callable

_PANELS: list[Callable] = []


def register(panel: Callable) -> Callable:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def panels_for(user) -> list[dict]:
    return [p for p in (panel(user) for panel in _PANELS) if p]
