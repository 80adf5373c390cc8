"""Who may write what, checked in ``create`` and ``write`` of the dunning models.

In Odoo any writable field can be written over XML-RPC / JSON-RPC by whoever may write
its model, whatever the views show. The state the dunning engine owns (levels, dates,
blocks, the trace) is therefore refused to every caller but the engine, which writes it
in superuser mode after its own checks: ``env.su`` cannot be set over RPC, unlike a
context key. A value equal to the current one is not a change and passes, so that a
client writing back what it read, or Odoo's contact merge, is not refused.
"""

from odoo.exceptions import AccessError
from odoo.tools import clean_context


def changed_fields(records, vals, names):
    """The fields among ``names`` whose value in ``vals`` differs on one of ``records``.

    ``records`` empty (a ``create``): a field counts as changed when its value is
    set and is not the field's own default; a computed field, when it is given at
    all (its value is the computation's, which a given value would replace). The
    ``default_<field>`` keys of the context count as given: ``create`` applies them
    after this check.
    """
    if not records:
        context = records.env.context
        vals = {
            **{
                name: context[f"default_{name}"]
                for name in names
                if f"default_{name}" in context
            },
            **vals,
        }
    names = sorted(set(names) & set(vals))
    if not names:
        return []
    if not records:
        # The field's own defaults: an environment without the context's defaults.
        plain = records.with_env(records.env(context=clean_context(context)))
        defaults = plain.default_get(names)
    changed = []
    for name in names:
        field = records._fields[name]
        value = vals[name]
        if field.type in ("one2many", "many2many"):
            # Any command changes a relation.
            if value:
                changed.append(field)
            continue
        if not records and field.compute:
            changed.append(field)
            continue
        new = field.convert_to_record(
            field.convert_to_cache(value, records, validate=False), records
        )
        if not records:
            default = field.convert_to_record(
                field.convert_to_cache(defaults.get(name), records, validate=False),
                records,
            )
            if new and new != default:
                changed.append(field)
        elif any(record[name] != new for record in records):
            changed.append(field)
    return changed


def field_labels(records, fields):
    """The fields' labels in the user's language, for an error message."""
    descriptions = records.fields_get([field.name for field in fields], ["string"])
    return ", ".join(
        "“%s”" % descriptions.get(field.name, {}).get("string", field.name)
        for field in fields
    )


def check_engine_fields(records, vals, names):
    """Refuse, but to the engine, a change to the fields it owns."""
    if records.env.su:
        return
    changed = changed_fields(records, vals, names)
    if changed:
        raise AccessError(
            records.env._(
                "The dunning engine alone sets %(fields)s on %(model)s: "
                "they cannot be written directly.",
                fields=field_labels(records, changed),
                model=records._description,
            )
        )


def check_manager_fields(records, vals, names, message):
    """Refuse a change to ``names`` but to dunning managers (and the engine)."""
    if (
        not records.env.su
        and changed_fields(records, vals, names)
        and not records.env.user.has_group("account_dunning.group_dunning_manager")
    ):
        raise AccessError(message)


def check_append_only(records):
    """Refuse, but to the engine, any creation, change or deletion of a history."""
    if not records.env.su:
        raise AccessError(
            records.env._(
                "%(model)s is a history kept by the dunning engine: it cannot be "
                "created, changed or deleted by hand.",
                model=records._description,
            )
        )
