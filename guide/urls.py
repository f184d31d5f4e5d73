from django.contrib import admin
from django.urls import include, path

from guide import health

admin.site.site_header = admin.site.site_title = "キャリアガイド管理"
admin.site.index_title = "管理メニュー"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("careers.urls")),
]

# Renders the site's 500 page without the database (and 503 for database errors).
handler500 = "guide.errors.server_error"
