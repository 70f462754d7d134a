"""Saves of watched records refresh their reminders after the transaction commits.

A source's `watch` maps a model to a function giving the ids of the source's
records that the saved instance affects. An automatically created many-to-many
table (e.g. Case.assigned.through) may be watched too: the function then gets
the instance whose relation changed."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from ngo.reminders import registry

_connected: set[tuple] = set()


def _ids(fn, instance):
    try:
        return [i for i in fn(instance) if i]
    except Exception:  # a half-deleted instance: the periodic scan settles it
        return []


def connect_watchers() -> None:
    from ngo.reminders.services import refresh_soon

    for source in registry.sources().values():
        for model, fn in source.watch.items():
            key = (source.key, model)
            if key in _connected:
                continue
            _connected.add(key)

            def on_change(sender, instance, _key=source.key, _fn=fn, **kwargs):
                if kwargs.get("raw"):
                    return
                refresh_soon(_key, _ids(_fn, instance))

            def on_m2m(sender, instance, action, _key=source.key, _fn=fn, **kwargs):
                if action in ("post_add", "post_remove", "post_clear"):
                    refresh_soon(_key, _ids(_fn, instance))

            uid = f"reminders:{source.key}:{model._meta.label}"
            if model._meta.auto_created:
                m2m_changed.connect(on_m2m, sender=model, weak=False, dispatch_uid=uid)
            else:
                post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid)
                post_delete.connect(
                    on_change, sender=model, weak=False, dispatch_uid=uid + ":delete"
                )
