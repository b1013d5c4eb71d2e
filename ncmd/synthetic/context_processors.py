import json
import os

from django.conf import settings


def loading(request):
    """While `make demo` is still loading the synthetic data, every page says how far it is."""
    path = settings.VAR_DIR / "synth-progress.json"
    try:
        progress = json.loads(path.read_text())
        os.kill(int(progress["pid"]), 0)  # is the loader still running?
    except (FileNotFoundError, ValueError, KeyError, TypeError, ProcessLookupError):
        return {}
    except PermissionError:
        pass  # running, as another user
    return {"synthetic_loading": progress}
