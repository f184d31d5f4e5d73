from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "キャリアガイド"

    def ready(self):
        from careers.caching import bump_revision
        from careers.models import CONTENT_MODELS

        for model in CONTENT_MODELS:
            post_save.connect(bump_revision, sender=model, dispatch_uid=f"bump-{model.__name__}")
            post_delete.connect(bump_revision, sender=model, dispatch_uid=f"del-{model.__name__}")
