from django.urls import path

from careers import views

app_name = "careers"

urlpatterns = [
    path("", views.home, name="home"),
    path("offices/<slug:office>/", views.office_detail, name="office"),
    path("offices/<slug:office>/<slug:role>/", views.role_detail, name="role"),
    path("glossary/", views.glossary, name="glossary"),
    path("consultation/", views.consultation, name="consultation"),
    path("consultation/thanks/", views.consultation_thanks, name="consultation_thanks"),
    path("privacy/", views.privacy, name="privacy"),
]
