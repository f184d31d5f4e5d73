from django.conf import settings


def site(request):
    """Names every template may show; they come from settings, never from code."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_OPERATOR": settings.SITE_OPERATOR,
        "AGENCY_NAME": settings.AGENCY_NAME,
        "EDITORIAL_ORGANIZATION": settings.EDITORIAL_ORGANIZATION,
        "SITE_URL": settings.SITE_URL,
    }
