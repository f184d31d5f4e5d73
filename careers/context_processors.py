from django.conf import settings


def site(request):
    """Names every template may show; they come from settings, never from code.
    PREVIEW is the revision a preview shows (careers/publishing/preview.py), else None."""
    return {
        "PREVIEW": getattr(request, "preview", None),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_OPERATOR": settings.SITE_OPERATOR,
        "AGENCY_NAME": settings.AGENCY_NAME,
        "AGENCY_LICENSE_NUMBER": settings.AGENCY_LICENSE_NUMBER,
        "AGENCY_ADDRESS": settings.AGENCY_ADDRESS,
        "AGENCY_EMAIL": settings.AGENCY_EMAIL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "EDITORIAL_ORGANIZATION": settings.EDITORIAL_ORGANIZATION,
        "SITE_URL": settings.SITE_URL,
        # The promised first reply, said before sending and after (careers/business_days.py).
        "REPLY_BUSINESS_DAYS": settings.CONSULTATION_REPLY_BUSINESS_DAYS,
    }
