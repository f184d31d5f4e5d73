from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from careers import seo, views
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
    path("privacy/", views.privacy, name="privacy"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
