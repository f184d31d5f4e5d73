from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "キャリアガイド"

    def ready(self):
        from django.db.models import fields

        from careers.admin.site import BLANK_CHOICE
        from careers.caching import bump_revision
        from careers.models import CONTENT_MODELS

        # Every select's blank choice, in the admin's forms, inlines and action lists
        # alike: Django 6.1's 「- Select an option -」 has no Japanese yet, and this is
        # the hook Django gives for it (django.db.models.fields.BLANK_CHOICE_LABEL).
        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE[0][1]

        for model in CONTENT_MODELS:
            post_save.connect(bump_revision, sender=model, dispatch_uid=f"bump-{model.__name__}")
            post_delete.connect(bump_revision, sender=model, dispatch_uid=f"del-{model.__name__}")
