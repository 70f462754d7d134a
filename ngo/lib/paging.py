"""Pages of long lists whose cost does not grow with the archive.

Django's Paginator counts every row of the list to number its pages: over the
sessions of a branch (hundreds of thousands after ten years) that count is most
of the cost of showing 50 of them. `CappedPaginator` counts at most
`COUNT_CAP` rows. Up to that it is Django's Paginator, exact. Past it the total
is "more than 10,000" (`exact` is False, `count` is the cap): pages still go
on for as long as there are rows (a page reads one row more than it shows to
know whether another follows), only the number of the last page is not known.
Nothing is cut: every row stays reachable page after page, and a filter
narrows the list to an exact count again.
"""

from __future__ import annotations

import math
from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _

COUNT_CAP = 10_000


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool | None = None):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self) -> bool:
        if self._more is not None:
            return self._more
        return super().has_next()

    def end_index(self) -> int:
        if self._more is not None:
            return self.start_index() + len(self.object_list) - 1 if self.object_list else 0
        return super().end_index()


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def counted(self) -> int:
        """The rows of the list, counted up to one more than the cap."""
        object_list = self.object_list
        if hasattr(object_list, "order_by"):  # a queryset: COUNT over a LIMIT
            return object_list.order_by()[: self.cap + 1].count()
        return len(object_list)

    @property
    def exact(self) -> bool:
        return self.counted <= self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @cached_property
    def num_pages(self) -> int:
        """The number of pages; past the cap, those of the rows counted (more follow)."""
        if self.exact:
            return super().num_pages
        return math.ceil(self.cap / self.per_page)

    @property
    def pages_label(self) -> str:
        """The number of pages, for a person: "201" or "200+"."""
        return str(self.num_pages) if self.exact else f"{self.num_pages}+"

    @property
    def count_label(self) -> str:
        """The number of rows, for a person: "1,234" or "more than 10,000"."""
        if self.exact:
            return f"{self.count:,}"
        return str(_("more than %(cap)s") % {"cap": f"{self.cap:,}"})

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if self.exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        return CappedPage(rows[: self.per_page], number, self, more=more)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)

    def get_page(self, number):
        """Like Django's: a page number that is not one gives the first page; past
        the last page, the last page (the first, when the last is not known)."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages if self.exact else 1)
