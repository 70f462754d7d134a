"""The update step every service shares: set what changed, validate, save."""

from collections.abc import Callable, Iterable

from ngo.lib.versions import claim_version, is_versioned


def changed_fields(instance, values: dict, allowed: Iterable[str]) -> list[str]:
    """Names of the allowed fields whose new value differs from the instance's."""
    return [k for k in allowed if k in values and getattr(instance, k) != values[k]]


def apply_changes(
    instance,
    values: dict,
    allowed: Iterable[str],
    *,
    before_save: Callable | None = None,
    expected_version: int | None = None,
) -> list[str]:
    """Set the changed fields, validate the whole record and save it.

    Returns the changed field names; nothing is saved when the list is empty.
    Validation runs before the save, so a bad value leaves the row untouched.
    A versioned record (ngo.lib.versions) is saved only if it is still at
    `expected_version` (the version the edit started from; by default the one
    read), and its version goes up by one; otherwise StaleVersion, nothing saved.
    An edit that changes nothing loses nobody's work and is never refused."""
    changed = changed_fields(instance, values, allowed)
    if not changed:
        return changed
    for name in changed:
        setattr(instance, name, values[name])
    if before_save is not None:
        before_save(instance)
    instance.full_clean()
    if is_versioned(instance):
        claim_version(instance, expected_version)
    instance.save()
    return changed


def set_many_to_many(instance, values: dict, names: Iterable[str]) -> list[str]:
    """Set the many-to-many fields among `names` that `values` gives (None: leave
    it as it is) to the records or ids given; returns the names whose members
    changed. The instance must be saved."""
    changed = []
    for name in names:
        if values.get(name) is None:
            continue
        manager = getattr(instance, name)
        new = {getattr(v, "pk", v) for v in values[name]}
        if new != set(manager.values_list("pk", flat=True)):
            manager.set(new)
            changed.append(name)
    return changed
