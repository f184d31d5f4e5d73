from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from careers import reader_views, seo, views
from careers.publishing import preview
from careers.sitemaps import SITEMAPS

app_name = "careers"

urlpatterns = [
    path("", views.home, name="home"),
    path("offices/<slug:office>/", views.office_detail, name="office"),
    path("offices/<slug:office>/<slug:role>/", views.role_detail, name="role"),
    path("glossary/", views.glossary, name="glossary"),
    path("compare/", views.compare, name="compare"),
    path("compare/roles/", views.compare_roles, name="compare_roles"),
    path("career-map/", views.career_map, name="career_map"),
    path("diagnosis/", views.diagnosis, name="diagnosis"),
    path("diagnosis/result/", views.diagnosis_result, name="diagnosis_result"),
    path("consultation/", views.consultation, name="consultation"),
    path("consultation/thanks/", views.consultation_thanks, name="consultation_thanks"),
    path("consultation/status/", reader_views.status_lookup, name="consultation_status_lookup"),
    path(
        "consultation/status/erased/",
        reader_views.status_erased,
        name="consultation_status_erased",
    ),
    path("consultation/status/<str:token>/", reader_views.status, name="consultation_status"),
    path(
        "consultation/status/<str:token>/<slug:action>/",
        reader_views.status_action,
        name="consultation_status_action",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("about/", views.about, name="about"),
    # A draft for an outside reviewer (監修者): signed, expiring, read-only.
    path("preview/<str:token>/", preview.shared_preview, name="shared_preview"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
