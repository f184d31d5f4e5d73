"""Form fields that normalise what is typed before they validate it.

Django's CharField counts `max_length` on the text as sent; these count it on the
text as it will be stored (careers/japanese.py), so a length error is the field's
error and never the database's.
"""

from collections.abc import Callable

from django import forms


class NormalizingMixin:
    """to_python() applies `normalize` (str → str) after Django's own cleaning, so
    `required`, `max_length` and every validator see the stored form."""

    def __init__(self, *, normalize: Callable[[str], str], **kwargs):
        self.normalize = normalize
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if value else value


class NormalizedCharField(NormalizingMixin, forms.CharField):
    """A CharField whose value is `normalize(value)`."""


class NormalizedEmailField(NormalizingMixin, forms.EmailField):
    """An EmailField whose value is `normalize(value)`, validated after normalising."""
