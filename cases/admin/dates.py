"""One field for every date that has a precision: typed as volunteers say it, read by the
import's parser (cases.imports.partial_dates), which decides the precision itself."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.imports.partial_dates import PartialDateError, parse_partial_date
from casetracker.dates import editable_partial_date

EXAMPLES = _("For example: 2018 · 03.2018 · март 2018 · весна 2018 · около 2019 · 6.11.2019")


class PartialDateField(forms.CharField):
    """Cleans to (date, precision), or (None, "") when left empty."""

    def __init__(self, *, label=None, required=False, **kwargs):
        kwargs.setdefault("help_text", EXAMPLES)
        kwargs.setdefault("max_length", 40)
        super().__init__(label=label, required=required, **kwargs)
        self.widget.attrs.setdefault("class", "partial-date")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, tuple):
            return editable_partial_date(*value)
        if isinstance(value, datetime.date):
            return value.strftime("%d.%m.%Y")
        return super().prepare_value(value)

    def clean(self, value):
        text = super().clean(value)
        try:
            return parse_partial_date(text)
        except PartialDateError as error:
            raise ValidationError(
                _("“%(value)s” is not a date this page reads (%(why)s). %(examples)s"),
                params={"value": text, "why": str(error), "examples": EXAMPLES},
                code="invalid",
            ) from None

    def has_changed(self, initial, data):
        return self.prepare_value(initial or "") != (data or "").strip()


class PartialDatesFormMixin:
    """For a model form whose model stores `<field>` and `<field>_precision`: the form shows one
    PartialDateField per date (declared as `<field>`) and sets both from it."""

    partial_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._precisions = {}
        if not self.is_bound:
            for name in self.partial_dates:
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = (value, getattr(self.instance, f"{name}_precision"))

    def _clean_fields(self):
        super()._clean_fields()
        for name in self.partial_dates:
            if isinstance(self.cleaned_data.get(name), tuple):
                date, precision = self.cleaned_data[name]
                self.cleaned_data[name] = date
                if date is not None:
                    self._precisions[name] = precision

    def _post_clean(self):
        for name, precision in self._precisions.items():
            setattr(self.instance, f"{name}_precision", precision)
        super()._post_clean()
