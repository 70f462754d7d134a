from ngo.directory.models import Organisation
from ngo.lib import access
from ngo.lib.access import Need


def directory_nav(request):
    """Whether the menu links the directory: its access rule grants her a read."""
    user = getattr(request, "user", None)
    return {"nav_directory": access.condition(user, Organisation, Need.READ) is not None}
