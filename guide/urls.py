from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from careers import markdownx_views
from guide import health

admin.site.site_header = admin.site.site_title = "キャリアガイド管理"
admin.site.index_title = "管理メニュー"

urlpatterns = [
    path("admin/", admin.site.urls),
    # markdownx's own views answer anyone: these require a content editor.
    path("markdownx/markdownify/", markdownx_views.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", markdownx_views.upload, name="markdownx_upload"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("careers.urls")),
]

if settings.DEBUG:  # uploaded images; in production the web server serves MEDIA_ROOT
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Renders the site's 500 page without the database (and 503 for database errors).
handler500 = "guide.errors.server_error"
