"""What a subject-access export holds: one section per kind of record about her.

Every app whose records are about a client registers a section, in its own
module imported at start-up (this app's `sections.py` does it for the records
that exist today). A section is a key, a bilingual title and a function that
collects her records:

    from counselling.rights.registry import register_section

    register_section(
        "letters",
        "확인서 / Confirmation letters",
        lambda client: [
            {"issued on": letter.issued_on, "purpose": letter.get_purpose_display()}
            for letter in client.letters.all()
        ],
        models=[Letter],
    )

`collect(client)` returns rows - a list of dicts of display values, her data as
stored (decrypted) - or a pair (rows, files) where files are [(name, bytes)]
put into the ZIP under `files/<key>/`. `models` names the models the section
covers: tests/test_rights_registry.py fails for a model with a foreign-key
path to Client that no section covers and that `not_personal()` does not list,
so a new kind of record cannot be left out of her copy by forgetting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import models

Row = dict[str, object]
Files = list[tuple[str, bytes]]
Collect = Callable[..., "list[Row] | tuple[list[Row], Files]"]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    collect: Collect
    models: tuple[type[models.Model], ...] = field(default=())

    def gather(self, client) -> tuple[list[Row], Files]:
        result = self.collect(client)
        if isinstance(result, tuple):
            rows, files = result
            return list(rows), list(files)
        return list(result), []


_SECTIONS: dict[str, Section] = {}
_NOT_PERSONAL: dict[type[models.Model], str] = {}


def register_section(
    key: str, title: str, collect: Collect, *, models: Iterable[type[models.Model]] = ()
) -> Section:
    """Add a section to every export, after those registered before it."""
    if key in _SECTIONS and _SECTIONS[key].collect is not collect:
        raise ImproperlyConfigured(f"The export section {key!r} is registered already.")
    section = Section(key=key, title=title, collect=collect, models=tuple(models))
    _SECTIONS[key] = section
    return section


def not_personal(model: type[models.Model], why: str) -> None:
    """Say that `model`, though linked to a client, holds nothing about her
    that her copy must show (with the reason, for the reader of the code)."""
    _NOT_PERSONAL[model] = why


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def covered_models() -> set[type[models.Model]]:
    return {model for section in _SECTIONS.values() for model in section.models}


def models_not_personal() -> dict[type[models.Model], str]:
    return dict(_NOT_PERSONAL)


def path_to_client(model: type[models.Model], client_model=None) -> str | None:
    """The lookup from `model` to its client over foreign keys ("case__client"),
    "" for the client model itself, None when no foreign key leads there."""
    from counselling.models import Client

    target = client_model or Client
    if model is target:
        return ""
    seen, frontier = {model}, [(model, "")]
    while frontier:
        following = []
        for current, prefix in frontier:
            for fk in current._meta.get_fields():
                if not (fk.is_relation and (fk.many_to_one or fk.one_to_one) and fk.concrete):
                    continue
                lookup = f"{prefix}{fk.name}"
                if fk.related_model is target:
                    return lookup
                if fk.related_model not in seen:
                    seen.add(fk.related_model)
                    following.append((fk.related_model, f"{lookup}__"))
        frontier = following
    return None


def records_of(model: type[models.Model], client) -> models.QuerySet:
    """Her records of `model` (those its foreign-key path leads to her from)."""
    lookup = path_to_client(model)
    if lookup is None:
        return model._default_manager.none()
    return model._default_manager.filter(**{lookup or "pk": client.pk})
