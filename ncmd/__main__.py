"""The `ncmd` command: Django's management commands under the project's settings.

`ncmd migrate`, `ncmd synth --years 5 --seed 1`, `ncmd dictionary diff 2019-04 2025-04`, ...
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncmd.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ncmd", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
