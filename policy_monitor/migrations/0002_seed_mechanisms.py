"""The UN mechanism catalogue (with UHRI's names as aliases), the UHRI themes and
affected-persons terms relevant here, and the published word limits."""

from django.db import migrations

from policy_monitor.catalogue import AFFECTED_PERSONS, MECHANISMS, THEMES, WORD_LIMITS


def seed(apps, schema_editor):
    Mechanism = apps.get_model("policy_monitor", "Mechanism")
    Term = apps.get_model("policy_monitor", "Term")
    WordLimit = apps.get_model("policy_monitor", "WordLimit")
    for order, (code, kind, name_ko, name_en, aliases) in enumerate(MECHANISMS):
        Mechanism.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name_ko": name_ko,
                "name_en": name_en,
                "aliases": aliases,
                "order": order,
            },
        )
    for vocabulary, terms in (("theme", THEMES), ("affected_persons", AFFECTED_PERSONS)):
        for label_en, label_ko in terms:
            Term.objects.get_or_create(
                vocabulary=vocabulary, label_en=label_en, defaults={"label_ko": label_ko}
            )
    for code, kind, max_words, joint, note in WORD_LIMITS:
        mechanism = Mechanism.objects.get(code=code) if code else None
        WordLimit.objects.get_or_create(
            mechanism=mechanism,
            kind=kind,
            defaults={"max_words": max_words, "max_words_joint": joint, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("policy_monitor", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
