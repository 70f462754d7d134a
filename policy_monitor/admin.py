"""Administrators maintain the catalogues here: mechanisms (and the UHRI
aliases imports match on), thesaurus terms, SDG targets and word limits.
Saves go through the services, so they are validated and audited."""

from django.contrib import admin

from policy_monitor import services
from policy_monitor.models import Mechanism, SdgTarget, Term, WordLimit


class ServiceAdmin(admin.ModelAdmin):
    """Create and change through the record's services (audited); nothing is
    deleted from here, records in use are protected."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form has already set the new values on obj: the service compares
        # them with the stored record, so it is given a fresh copy.
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        self.save_through_service(request.user, obj, values, change)

    def save_through_service(self, actor, obj, values, change):
        raise NotImplementedError


@admin.register(WordLimit)
class WordLimitAdmin(ServiceAdmin):
    list_display = ["mechanism", "kind", "max_words", "max_words_joint", "note"]
    list_filter = ["mechanism", "kind"]

    def save_through_service(self, actor, obj, values, change):
        if change:
            current = WordLimit.objects.get(pk=obj.pk)
            services.word_limit_update(actor=actor, limit=current, **values)
        else:
            saved = services.word_limit_create(
                actor=actor, **{n: getattr(obj, n) for n in services.WORD_LIMIT_FIELDS}
            )
            obj.pk = saved.pk


@admin.register(Term)
class TermAdmin(ServiceAdmin):
    list_display = ["label_en", "label_ko", "vocabulary", "parent"]
    list_filter = ["vocabulary"]
    search_fields = ["label_en", "label_ko"]

    def save_through_service(self, actor, obj, values, change):
        if change:
            services.term_update(actor=actor, term=Term.objects.get(pk=obj.pk), **values)
        else:
            saved = services.term_create(
                actor=actor, **{n: getattr(obj, n) for n in services.TERM_FIELDS}
            )
            obj.pk = saved.pk


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ko", "kind"]
    readonly_fields = ["code", "kind"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "label"]
    search_fields = ["code", "label"]

    def has_delete_permission(self, request, obj=None):
        return False
