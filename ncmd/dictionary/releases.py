"""Reading answers captured under one release as the answers of another.

Each release declares how the answers of its previous release map onto it: renamed fields and
recoded code lists. Answers are stored as they were captured, with their release, and are upgraded
on the way out, so data from 2019 reads and analyses under the 2025 release without rewriting it.
"""


def release_path(dictionary, from_id, to_id):
    """The releases stepped through going from `from_id` to `to_id` (forward in time only)."""
    dictionary.release(from_id)
    path, current = [], dictionary.release(to_id)
    while current.id != from_id:
        if current.previous is None:
            raise ValueError(
                f"release {to_id} does not follow from {from_id}: answers can only be upgraded "
                "to a later release"
            )
        path.append(current)
        current = dictionary.release(current.previous)
    return list(reversed(path))


def upgrade_answers(dictionary, form_name, answers, from_id, to_id=None):
    """Map `answers` of `form_name`, captured under `from_id`, onto release `to_id` (the latest)."""
    to_id = to_id or dictionary.latest.id
    if from_id == to_id:
        return dict(answers)
    upgraded = dict(answers)
    for release in release_path(dictionary, from_id, to_id):
        for form, old, new in release.changes.renamed_fields:
            if form == form_name and old in upgraded:
                upgraded[new] = upgraded.pop(old)
        form = release.forms.get(form_name)
        if form is None:
            continue
        for codelist, mapping in release.changes.recoded:
            for name, spec in form.fields.items():
                if spec.codelist is None or spec.codelist.name != codelist or name not in upgraded:
                    continue
                upgraded[name] = _recode(upgraded[name], mapping)
    return upgraded


def _recode(value, mapping):
    if isinstance(value, list):
        return [mapping.get(v, v) for v in value]
    if isinstance(value, str):
        return mapping.get(value, value)
    return value  # a special answer
