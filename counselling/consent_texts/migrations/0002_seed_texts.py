"""The consent texts every installation starts with, in the ten languages
clients most often speak (texts.json). Written by the project, not yet
reviewed by native speakers: each prints with the unreviewed notice until an
administrator marks it reviewed."""

import json
from pathlib import Path

from django.db import migrations

TEXTS = Path(__file__).resolve().parent.parent / "texts.json"


def seed(apps, schema_editor):
    ConsentText = apps.get_model("consent_texts", "ConsentText")
    texts = json.loads(TEXTS.read_text(encoding="utf-8"))["texts"]
    for language, sections in texts.items():
        for section, text in sections.items():
            if ConsentText.objects.filter(language=language, section=section).exists():
                continue
            ConsentText.objects.create(
                language=language,
                section=section,
                heading=text["heading"],
                body=text["body"],
                version=1,
                is_current=True,
            )


class Migration(migrations.Migration):
    dependencies = [("consent_texts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
