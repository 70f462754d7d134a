from django.utils.translation import get_language


def bilingual(korean: str, english: str) -> str:
    """The Korean or English form, whichever matches the active language, else the other."""
    if (get_language() or "ko").startswith("ko"):
        return korean or english
    return english or korean


class bilingual_property:  # noqa: N801  (used like @property)
    """A model attribute that reads the Korean or the English column, whichever
    matches the active language, else the other:

        class Coalition(models.Model):
            name_ko = models.CharField(max_length=200, blank=True)
            name_en = models.CharField(max_length=200, blank=True)
            name = bilingual_property("name_ko", "name_en")
    """

    def __init__(self, korean: str, english: str):
        self.korean, self.english = korean, english

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return bilingual(getattr(instance, self.korean), getattr(instance, self.english))
