"""What admin tests share: URLs, a logged-in client, the data of an unchanged change form."""

from django.test import Client

ADMIN = "/admin/"
REQUESTS = "/admin/careers/consultationrequest/"
ACCESS_LOG = "/admin/careers/accesslog/"
MARKDOWNIFY = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"


def logged_in(user):
    client = Client()
    client.force_login(user)  # no authenticate(): django-axes needs a request for that
    return client


def change_url(obj):
    return f"{REQUESTS}{obj.pk}/change/"


def form_data(response):
    """What the browser would send back for an unchanged admin change form."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = "" if value is None else value
            if form.fields[name].show_hidden_initial:  # fields with a callable default
                data[form.add_initial_prefix(name)] = data[form.add_prefix(name)]

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data
