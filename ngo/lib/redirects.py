from django.utils.http import url_has_allowed_host_and_scheme


def local_path_or(request, candidate: str | None, default: str) -> str:
    """`candidate` if it is a path on this site ("/..."), else `default`.

    A bare word is not followed: `redirect()` would take it for a URL name and
    fail, and a relative path lands somewhere nobody meant.
    """
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default
