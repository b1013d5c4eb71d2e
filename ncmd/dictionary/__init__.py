"""The versioned data dictionary: forms, fields, code lists and rules, loaded from YAML files.

`get_dictionary()` loads it once per process. Everything that accepts, shows, checks or exports
answers reads the dictionary rather than hard-coding a field.
"""

from functools import cache


@cache
def get_dictionary():
    from .loader import load_dictionary

    try:
        from django.conf import settings

        directory = settings.NCMD_DICTIONARY_DIR if settings.configured else None
    except ImportError:  # used outside Django
        directory = None
    return load_dictionary(directory)
