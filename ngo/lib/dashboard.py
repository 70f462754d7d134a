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


# --- Chart series that other apps contribute ------------------------------------------
#
# A chart may draw series that another app owns. The app registers a provider
# for the chart's name from its AppConfig.ready:
#
#     from ngo.lib.dashboard import register_series
#
#     @register_series("counselling.transfers")
#     def transfers_per_month(*, user, months):
#         # one GROUP BY query scoped to the user; one count per month in `months`
#         return [(_("transferred in"), [...]), (_("transferred out"), [...])]
#
# `months` are the first days of the months drawn, oldest first. A chart with
# no provider registered is not shown at all.

_SERIES: dict[str, list[Callable]] = {}


def register_series(chart: str) -> Callable[[Callable], Callable]:
    def add(provider: Callable) -> Callable:
        providers = _SERIES.setdefault(chart, [])
        if provider not in providers:
            providers.append(provider)
        return provider

    return add


def unregister_series(chart: str, provider: Callable) -> None:
    if provider in _SERIES.get(chart, []):
        _SERIES[chart].remove(provider)


def series_for(chart: str, **kwargs) -> list[tuple[str, list]]:
    """Every registered provider's series for `chart`, in registration order."""
    return [series for provider in _SERIES.get(chart, []) for series in provider(**kwargs)]
