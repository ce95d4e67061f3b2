"""Links that people type into a record — a review's accountability record, for one (issue 10).

Such a field holds a path on this site (``/accountability/12/``), a full web address or a plain reference
("违纪 2026-03"). Two kinds of value are refused at input, with a message naming what is wrong:

* protocol-relative links (``//evil.example/x``, and ``/\\evil.example`` or ``\\\\evil.example``, which a
  browser reads alike): they look like paths of this site but take the reader to another host;
* ``javascript:``, ``vbscript:`` and ``data:`` links: they run script or carry content of their own.

The check reads the value as a browser does: tabs and line breaks anywhere and control characters and spaces
at either end are ignored, and the scheme's case does not matter (``JaVa\\tScript:``).

Showing a value is a second, stricter gate (:func:`local_href`): it is made a link only when it is a path of
this site or a web address on ``HUIYI_BASE_URL``'s host; anything else — an outside address, a reference, or
an old value written before the check or by another route — is shown as text. So no template can produce an
off-site or script link from it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

#: Schemes that run script or carry their own content.
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _as_browser_reads(value: str) -> str:
    """The value with what a browser's URL parser drops: tabs and line breaks anywhere, controls and spaces
    at either end."""
    return _IGNORED_INSIDE.sub("", value).strip("".join(chr(c) for c in range(0x21)))


def link_problem(value: str | None) -> str | None:
    """Why ``value`` cannot be kept as a link or reference (a translated sentence), or None when it can."""
    read = _as_browser_reads(value or "")
    if read[:2].replace("\\", "/") == "//":
        return _(
            "A link that starts with “//” leads to another site. Give a path on this site (such as "
            "/accountability/12/), a full web address (https://…) or a plain reference."
        )
    scheme = _SCHEME.match(read)
    if scheme and scheme.group(1).lower() in SCRIPT_SCHEMES:
        return _(
            "“%(scheme)s:” links can run code or carry hidden content and are not accepted. Give a path on "
            "this site (such as /accountability/12/), a full web address (https://…) or a plain reference."
        ) % {"scheme": scheme.group(1).lower()}
    return None


def validate_link_or_reference(value: str | None) -> None:
    """Raise a ValidationError (code ``unsafe_link``) when :func:`link_problem` finds one."""
    problem = link_problem(value)
    if problem:
        raise ValidationError(problem, code="unsafe_link")


def local_href(value: str | None) -> str:
    """``value`` when it may be put in an ``href``: a path of this site, or an http(s) address on the host of
    ``HUIYI_BASE_URL``; otherwise "" (show it as text)."""
    if not value or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in value):
        return ""
    if value.startswith("/"):
        local = url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    elif urlsplit(value).scheme.lower() in ("http", "https"):
        host = urlsplit(settings.HUIYI_BASE_URL).netloc
        local = url_has_allowed_host_and_scheme(value, allowed_hosts={host})
    else:
        local = False
    return value if local else ""
