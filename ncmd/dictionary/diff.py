"""What changed between two releases of the dictionary, as lines a person can read."""

_COMPARED = ("label", "type", "help", "min", "max", "identifying", "allow", "unit", "section")


def diff_releases(old, new):
    """Lines describing every change from release `old` to release `new`."""
    lines = []
    renamed = (
        {(f, a): b for f, a, b in new.changes.renamed_fields} if new.previous == old.id else {}
    )
    for name in sorted(set(old.forms) | set(new.forms)):
        if name not in new.forms:
            lines.append(f"form {name}: removed")
            continue
        if name not in old.forms:
            lines.append(f"form {name}: added ({new.forms[name].title})")
            continue
        lines += _diff_form(old.forms[name], new.forms[name], renamed)
    lines += _diff_codelists(old, new)
    return lines


def _diff_form(old, new, renamed):
    lines = []
    if old.title != new.title:
        lines.append(f"form {new.name}: title {old.title!r} -> {new.title!r}")
    matched = set()
    for name, field in old.fields.items():
        target = renamed.get((new.name, name), name)
        if target not in new.fields:
            lines.append(f"form {new.name}: field {name} removed")
            continue
        matched.add(target)
        if target != name:
            lines.append(f"form {new.name}: field {name} renamed to {target}")
        lines += _diff_field(new.name, field, new.fields[target])
    for name, field in new.fields.items():
        if name not in matched:
            lines.append(f"form {new.name}: field {name} added ({field.type}, {field.label!r})")
    old_rules = {r.name: r for r in old.rules}
    new_rules = {r.name: r for r in new.rules}
    for name in sorted(set(old_rules) | set(new_rules)):
        if name not in new_rules:
            lines.append(f"form {new.name}: rule {name} removed")
        elif name not in old_rules:
            lines.append(f"form {new.name}: rule {name} added: {new_rules[name].check.source}")
        elif old_rules[name].check.source != new_rules[name].check.source:
            lines.append(
                f"form {new.name}: rule {name} check {old_rules[name].check.source!r} -> "
                f"{new_rules[name].check.source!r}"
            )
    return lines


def _diff_field(form, old, new):
    lines = []
    where = f"form {form}: field {new.name}"
    for attribute in _COMPARED:
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            lines.append(f"{where}: {attribute} {before!r} -> {after!r}")
    if old.required_source() != new.required_source():
        lines.append(f"{where}: required {old.required_source()!r} -> {new.required_source()!r}")
    old_show = old.show_when.source if old.show_when else None
    new_show = new.show_when.source if new.show_when else None
    if old_show != new_show:
        lines.append(f"{where}: show_when {old_show!r} -> {new_show!r}")
    old_list = old.codelist.name if old.codelist else None
    new_list = new.codelist.name if new.codelist else None
    if old_list != new_list:
        lines.append(f"{where}: code list {old_list!r} -> {new_list!r}")
    return lines


def _diff_codelists(old, new):
    lines = []
    recoded = dict(new.changes.recoded) if new.previous == old.id else {}
    for name in sorted(set(old.codelists) | set(new.codelists)):
        if name not in new.codelists:
            lines.append(f"code list {name}: removed")
            continue
        if name not in old.codelists:
            lines.append(f"code list {name}: added ({len(new.codelists[name].codes)} codes)")
            continue
        before, after = old.codelists[name].by_code, new.codelists[name].by_code
        mapping = recoded.get(name, {})
        for code, entry in before.items():
            target = mapping.get(code, code)
            if code in mapping and target != code:
                lines.append(f"code list {name}: code {code!r} recoded to {target!r}")
            if target not in after:
                lines.append(f"code list {name}: code {code!r} removed")
            elif after[target].label != entry.label:
                lines.append(
                    f"code list {name}: code {target!r} label {entry.label!r} -> "
                    f"{after[target].label!r}"
                )
        targets = {mapping.get(c, c) for c in before}
        for code, entry in after.items():
            if code not in targets:
                lines.append(f"code list {name}: code {code!r} added ({entry.label!r})")
    return lines
