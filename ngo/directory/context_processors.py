from ngo import access
from ngo.access import Need
from ngo.directory.models import Organisation


def directory_nav(request):
    """Whether the menu links the directory: its access rule grants her a read."""
    user = getattr(request, "user", None)
    return {"nav_directory": access.condition(user, Organisation, Need.READ) is not None}
