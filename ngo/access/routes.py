"""The catalogue of routes: for every URL name of the screens and the API, the
rule that guards it.

Each app declares its routes next to its access rules (`<app>/access_rules.py`):

    routes.register({
        "counselling:caseload": routes.page(gate=routes.Gate("caseload", may_see_caseload)),
        "counselling:case_detail": routes.page(gate=reads_cases, record=Case),
        "api:case-list": routes.api_list(Case),
    })

A route names who may open it at all (its gate: a capability, or a rule of
the access module), the record its address names (whose access rule decides:
404 outside her scope, 403 if she may read but not change it), and the
methods it answers with what each needs of that record. `Route.answer()`
tells what a person gets, from the same rules the views ask;
tests/test_permission_matrix.py requests every route of the URL configuration
as every role and compares. A route without an entry fails that test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from ngo import access
from ngo.access import Need

# What a request gets, in the matrix's words. OK: the permission check let her
# through (a page, a file, a redirect onward; for a write, also the 400 of
# the empty form or body, or the 428 of a missing If-Match, that the check
# lets through).
OK = "ok"
LOGIN = "login"  # a screen sends an anonymous visitor to the sign-in page
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405


@dataclass(frozen=True)
class Gate:
    """Who may open a route at all, as a rule over the user."""

    label: str
    allows: Callable[..., bool]


SIGNED_IN = Gate("signed in", lambda user: True)


def has(capability) -> Gate:
    return Gate(f"capability {capability}", lambda user: user.can(capability))


def readers(model: type[models.Model]) -> Gate:
    """Given some read scope by the model's access rule."""
    return Gate(
        f"reads {model._meta.label}",
        lambda user: access.condition(user, model, Need.READ) is not None,
    )


@dataclass(frozen=True)
class Route:
    gate: Gate = SIGNED_IN
    refused: int = NOT_FOUND  # what the gate answers to a signed-in person it refuses
    record: type[models.Model] | None = None  # the record named by the address
    methods: Mapping[str, Need] = field(
        default_factory=lambda: MappingProxyType({"GET": Need.READ})
    )
    creates: type[models.Model] | None = None  # its writes create one (403 unless she may)
    # Whether she may read the record, where that is another record's rule
    # (a reminder opens the record it is about); the record's own rule otherwise.
    reads: Callable[..., bool] | None = None
    # A rule the access module's Q cannot hold, asked with the record (or None)
    # after the record's own rule: 403 when it refuses. `check` is asked of
    # every method (who sees the branch caseload), `write_check` of the writes
    # (who sets a branch's shelters up).
    check: Callable[..., bool] | None = None
    write_check: Callable[..., bool] | None = None
    api: bool = False
    public: bool = False  # open to anonymous visitors (the sign-in page)

    def answer(self, user, obj, method: str):
        """What `user` (None: anonymous) gets for `method` on this route, `obj`
        being the record its address names (None if it names none)."""
        if self.public:
            return OK if method in self.methods else NOT_ALLOWED
        if user is None:
            return FORBIDDEN if self.api else LOGIN
        if not self.gate.allows(user):
            return self.refused
        if method not in self.methods:
            return NOT_ALLOWED
        need = self.methods[method]
        if self.record is not None and obj is not None:
            reads = self.reads or (lambda user, obj: access.can(user, obj, Need.READ))
            if not reads(user, obj):
                return NOT_FOUND
            if need is Need.WRITE and not access.can(user, obj, Need.WRITE):
                return FORBIDDEN
        if need is Need.WRITE:
            if self.creates is not None and not access.can_create(user, self.creates):
                return FORBIDDEN
            if self.write_check is not None and not self.write_check(user, obj):
                return FORBIDDEN
        if self.check is not None and not self.check(user, obj):
            return FORBIDDEN
        return OK


def _methods(**needs: Need) -> Mapping[str, Need]:
    return MappingProxyType(needs)


READ_ONLY = _methods(GET=Need.READ)


# --- Screens ---------------------------------------------------------------------------


def page(gate: Gate = SIGNED_IN, record=None, **options) -> Route:
    """A page she reads (GET)."""
    return Route(gate=gate, record=record, methods=READ_ONLY, **options)


def form(gate: Gate = SIGNED_IN, record=None, **options) -> Route:
    """A form screen: GET shows the form, POST saves; both need the right to write."""
    return Route(
        gate=gate, record=record, methods=_methods(GET=Need.WRITE, POST=Need.WRITE), **options
    )


def action(gate: Gate = SIGNED_IN, record=None, **options) -> Route:
    """A button on a page: POST only (GET answers 405 once the gate lets her by)."""
    return Route(gate=gate, record=record, methods=_methods(POST=Need.WRITE), **options)


def page_with_forms(gate: Gate = SIGNED_IN, record=None, **options) -> Route:
    """A page she reads that also takes the POST of its own forms (a register,
    the members of a coalition): GET reads, POST writes."""
    return Route(
        gate=gate, record=record, methods=_methods(GET=Need.READ, POST=Need.WRITE), **options
    )


def form_fields(gate: Gate = SIGNED_IN, record=None, **options) -> Route:
    """The fields of a record's form, fetched on their own when the form is
    opened (GET): for those who may write the record."""
    return Route(gate=gate, record=record, methods=_methods(GET=Need.WRITE), **options)


def search_page(gate: Gate = SIGNED_IN, **options) -> Route:
    """A list whose search form POSTs (a name or a phone never goes in an
    address): GET and POST both read."""
    return Route(gate=gate, methods=_methods(GET=Need.READ, POST=Need.READ), **options)


# --- API ------------------------------------------------------------------------------


def api_list(
    model, *, create: bool = True, on_parent: bool = False, gate: Gate = SIGNED_IN, **options
) -> Route:
    """`/api/v1/<records>/`: GET lists her scope; POST creates one (403 unless
    she may). `on_parent`: a record created on another one that the body names
    (a session on its case): the body is validated first, then that record's
    rule decides (404 outside her scope, 403 if she may only read it), so an
    empty body answers 400 to anyone signed in."""
    methods = {"GET": Need.READ}
    if create:
        methods["POST"] = Need.WRITE
    return Route(
        gate=gate,
        refused=FORBIDDEN,
        methods=_methods(**methods),
        creates=model if create and not on_parent else None,
        api=True,
        **options,
    )


def api_detail(model, *, write=("PATCH",), gate: Gate = SIGNED_IN, **options) -> Route:
    """`/api/v1/<records>/<id>/`: GET reads it; the `write` methods change it."""
    methods = {"GET": Need.READ} | {method: Need.WRITE for method in write}
    return Route(
        gate=gate, refused=FORBIDDEN, record=model, methods=_methods(**methods), api=True, **options
    )


def api_action(
    model=None,
    *,
    method: str = "POST",
    gate: Gate = SIGNED_IN,
    record: bool = True,
    reads: bool = False,
    **options,
) -> Route:
    """An extra endpoint of a viewset (`{id}/status/`, `export.csv`...); a
    POST that only reads (`reads`: a search) needs no right to write."""
    need = Need.READ if method == "GET" or reads else Need.WRITE
    methods = {method: need}
    if method == "POST" and reads:
        methods = {"GET": Need.READ, "POST": Need.READ}
    return Route(
        gate=gate,
        refused=FORBIDDEN,
        record=model if record else None,
        methods=_methods(**methods),
        api=True,
        **options,
    )


def api_search(**options) -> Route:
    """`POST /api/v1/<records>/search/`: the list, filtered by a JSON body."""
    return Route(refused=FORBIDDEN, methods=_methods(POST=Need.READ), api=True, **options)


# --- The registry ---------------------------------------------------------------------

_ROUTES: dict[str, Route] = {}


def register(entries: Mapping[str, Route]) -> None:
    """Add routes to the catalogue, each URL name once."""
    for name, route in entries.items():
        if name in _ROUTES and _ROUTES[name] is not route:
            raise ImproperlyConfigured(f"The route {name} is already in the catalogue.")
        _ROUTES[name] = route


def catalogue() -> Mapping[str, Route]:
    return MappingProxyType(_ROUTES)


def route(name: str) -> Route:
    try:
        return _ROUTES[name]
    except KeyError:
        raise ImproperlyConfigured(f"The route {name} has no entry in the catalogue.") from None
