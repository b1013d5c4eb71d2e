import json

from django.conf import settings


def loading(request):
    """While `make demo` is still loading the synthetic data, every page says how far it is."""
    path = settings.VAR_DIR / "synth-progress.json"
    try:
        progress = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}
    return {"synthetic_loading": progress}
