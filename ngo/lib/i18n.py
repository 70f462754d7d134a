from django.utils.translation import get_language


def bilingual(korean: str, english: str) -> str:
    """The Korean or English form, whichever matches the active language, else the other."""
    if (get_language() or "ko").startswith("ko"):
        return korean or english
    return english or korean
