"""Fill in an admin change form the way a browser does: what the page shows, plus changes."""

import datetime


def _encode(value):
    if value is None:
        return None
    if value is True:
        return "on"
    if value is False:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _fields(form, data):
    for name in form.fields:
        if form.fields[name].disabled:
            continue
        encoded = _encode(form[name].value())
        if encoded is not None:
            data[form.add_prefix(name)] = encoded


def form_data(response, **changes):
    """The POST a browser sends for the admin form in `response`, with `changes` applied
    (keys are the inputs' names, such as "status" or "names-0-value"; None removes one)."""
    data = {}
    _fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _encode(management[name].value()) or "0"
        for form in formset.forms:
            _fields(form, data)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
