"""Error pages: generic, translated, with the request id and nothing else."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

_API_MESSAGES = {
    400: _("Bad request."),
    403: _("You do not have permission to do this."),
    404: _("Not found."),
    500: _("Something went wrong on our side. The error has been logged."),
}


def _page(request, status: int, template: str):
    context = {"request_id": getattr(request, "request_id", ""), "status": status}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": {
                    "status": status,
                    "code": "error",
                    "message": str(_API_MESSAGES[status]),
                    "fields": {},
                },
                "request_id": context["request_id"],
            },
            status=status,
        )
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "errors/400.html")


def permission_denied(request, exception=None):
    return _page(request, 403, "errors/403.html")


def page_not_found(request, exception=None):
    return _page(request, 404, "errors/404.html")


def server_error(request):
    return _page(request, 500, "errors/500.html")
