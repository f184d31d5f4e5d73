"""What every content record shares: Markdown rendered at save, and, for records with
their own file in content/, the loader's fingerprint and the editorial dates; and
the one counter of content changes that cached pages are keyed by.

Every Markdown field is stored twice: the editor's source and the sanitised HTML
rendered from it when the record is saved, so pages never render Markdown.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from careers.glossary_links import glossary_terms, link_terms
from careers.markdown import render, validate_markdown


class RenderedMarkdownModel(models.Model):
    """Renders each field named in `markdown_fields` into `<name>_html` on save.

    In `glossary_fields` the first mention of each glossary term also links to
    its entry (careers/glossary_links.py).
    """

    markdown_fields: tuple[str, ...] = ()
    glossary_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        """Field validation, plus the renderer's limits on each Markdown field: an
        admin form shows what is too long or nests too deep as that field's error."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in self.markdown_fields:
            if name in (exclude or ()) or name in errors:
                continue
            try:
                validate_markdown(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def render_markdown(self, *, terms=None):
        for name in self.markdown_fields:
            html = render(getattr(self, name))
            if name in self.glossary_fields:
                terms = glossary_terms() if terms is None else terms
                html = link_terms(html, terms, own_name=getattr(self, "name", ""))
            setattr(self, f"{name}_html", html)


class LoadedContentModel(RenderedMarkdownModel):
    """A record that has its own file in content/, published through revisions
    (careers/publishing/)."""

    # The fingerprint of the record as the content loader last wrote it; a record
    # whose current fingerprint differs was edited in admin since (see content.py).
    synced_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Editorial dates. Only review_by is edited (in drafts and front matter); the
    # other two are set on the live row by publishing and by 「変更なしで確認済み」.
    review_by = models.DateField(
        "次回見直し日",
        null=True,
        blank=True,
        help_text="この日を過ぎると編集ダッシュボードに「見直し日を過ぎたページ」として出ます",
    )
    content_updated_at = models.DateTimeField(
        "更新日", default=timezone.now, editable=False, help_text="文章が変わった最後の公開の日時"
    )
    last_reviewed_at = models.DateTimeField("最終確認日", null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class ContentRevision(models.Model):
    """One row counting content changes. Cached pages are keyed by its number, so
    a save anywhere (admin, loader) reaches every worker and replica at once."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "コンテンツの版"

    def __str__(self):
        return f"第{self.number}版"
