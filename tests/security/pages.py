"""What every HTML page the suite opens is checked for: the Content-Security-Policy header, nothing inline that the
policy would block (scripts, event handlers, styles, ``javascript:`` links), nothing loaded from another origin, and
Django's CSRF token in every form that posts."""

from html.parser import HTMLParser

from django.urls import reverse

# Script types a browser does not execute (data blocks); CSP does not apply to them.
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
# Attributes that load something.
_LOADING_ATTRIBUTES = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("form", "action")}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.forms: list[dict] = []
        self._script: dict | None = None
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            lowered = name.lower()
            if lowered.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an inline event handler")
            if lowered.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…>: htmx inline code")
            if lowered == "style":
                self.problems.append(f"<{tag} style=…>: an inline style (style-src 'self' blocks it)")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>: a javascript: URL")
            if (tag, lowered) in _LOADING_ATTRIBUTES and value and value.strip().startswith(("http:", "https:", "//")):
                self.problems.append(f"<{tag} {name}={value!r}>: loads from another origin")
        if tag == "script":
            self._script = {"src": values.get("src"), "type": (values.get("type") or "").lower(), "text": ""}
        elif tag == "style":
            self.problems.append("<style>: an inline style sheet (style-src 'self' blocks it)")
        elif tag == "form":
            self._form = {
                "method": (values.get("method") or "get").lower(),
                "action": values.get("action"),
                "csrf": False,
            }
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and values.get("name") == "csrfmiddlewaretoken":
            self._form["csrf"] = bool(values.get("value"))

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            script, self._script = self._script, None
            if not script["src"] and script["type"] not in _DATA_SCRIPT_TYPES and script["text"].strip():
                self.problems.append(f"inline <script>: {script['text'].strip()[:60]!r}")
        elif tag == "form":
            self._form = None


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def page_problems(response, *, inline_styles_known: bool = False) -> list[str]:
    """Everything wrong with an HTML response, as messages; an empty list for a clean page. ``inline_styles_known``:
    the page's inline styles are a known finding (routes.KNOWN_INLINE_STYLES), not reported again."""
    problems = []
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        problems.append("no Content-Security-Policy header")
    else:
        directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
        script_src = directives.get("script-src", directives.get("default-src", []))
        if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src or "*" in script_src:
            problems.append(f"script-src allows inline or any script: {script_src}")
        if directives.get("object-src") != ["'none'"]:
            problems.append(f"object-src is not 'none': {directives.get('object-src')}")
    parser = _PageParser()
    parser.feed(response.content.decode(response.charset or "utf-8", errors="replace"))
    parser.close()
    problems += [p for p in parser.problems if not (inline_styles_known and "inline style" in p)]
    problems += [
        f"a form posting to {form['action'] or 'itself'} without the CSRF token"
        for form in parser.forms
        if form["method"] == "post" and not form["csrf"]
    ]
    return problems


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def is_second_factor_redirect(response) -> bool:
    targets = (reverse("mfa_activate_totp"), reverse("mfa_reauthenticate"))
    return response.status_code == 302 and response["Location"].startswith(targets)
