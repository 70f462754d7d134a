from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language


def _korean_first() -> bool:
    return (get_language() or "ko").startswith("ko")


def bilingual(korean: str, english: str) -> str:
    """The Korean or English form, whichever matches the active language, else the other."""
    if _korean_first():
        return korean or english
    return english or korean


def bilingual_expression(korean: str, english: str) -> Coalesce:
    """`bilingual()` of two columns, computed by the database (NULL if both are empty)."""
    first, second = (korean, english) if _korean_first() else (english, korean)
    return Coalesce(NullIf(F(first), Value("")), NullIf(F(second), Value("")))


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
