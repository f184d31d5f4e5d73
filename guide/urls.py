from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "キャリアガイド管理"
admin.site.index_title = "管理メニュー"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    path("", include("careers.urls")),
]
