"""A client with cookies, and the values a browser would submit from a form (bench/drill.py)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import cluster


class Browser:
    def __init__(self, headers=None):
        self.cookies, self.headers = {}, headers or {}

    def go(self, port, path, data=None):
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            pairs = data.items() if isinstance(data, dict) else data
            body = urlencode([(name, value) for name, value in pairs])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, text = cluster.request(
            port, path, method="POST" if data is not None else "GET", body=body, headers=headers
        )
        for line in response_headers.get("set-cookie", "").splitlines():
            name, _, value = line.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        return status, response_headers, text


class FormFields(HTMLParser):
    """The values a browser would submit from the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file", "image"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append([attrs["name"], attrs.get("value", "")])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.fields.append(self.textarea)
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append([self.select, attrs.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
