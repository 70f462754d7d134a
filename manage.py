#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from ngo.lib.env import SettingsError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - read the environment now, fail in one line
    except SettingsError as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
