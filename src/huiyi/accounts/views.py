import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyi.core import ratelimit
from huiyi.core.audit import record_event

from . import queries
from .forms import SignInForm

log = logging.getLogger(__name__)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def _styled(form):
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    return form


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. The same answer whether or not the address belongs to an account.

    The link in the e-mail is built from HUIYI_BASE_URL, never from the request's Host header (a forged
    Host cannot send users a link to another site). Django's token is single-use: it is derived from the
    password hash and the last sign-in, so it stops working once the password is set (by this link or any
    other way) or the user signs in; it also expires (PASSWORD_RESET_TIMEOUT).

    Requests are limited per e-mail address and per client address (the address django-axes sees) over a
    window (HUIYI_PASSWORD_RESET_PER_EMAIL, HUIYI_PASSWORD_RESET_PER_IP, HUIYI_PASSWORD_RESET_WINDOW_MINUTES),
    known and unknown addresses alike: beyond the limit the answer is the same "sent" page, nothing is sent
    and a warning is logged, so nobody can flood a mailbox through Huiyi or learn whether an account exists.
    """

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form(self, form_class=None):
        return _styled(super().get_form(form_class))

    def form_valid(self, form):
        if not self._within_limits(form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"base_url": settings.HUIYI_BASE_URL.rstrip("/")}
        return super().form_valid(form)

    def _within_limits(self, email: str) -> bool:
        """Count this request against its e-mail address and its client address; False once either is over."""
        window = settings.HUIYI_PASSWORD_RESET_WINDOW_MINUTES * 60
        email = email.strip().lower()
        address = get_client_ip_address(self.request) or "unknown"
        over = [
            scope
            for scope, ident, limit in (
                ("email", email, settings.HUIYI_PASSWORD_RESET_PER_EMAIL),
                ("ip", address, settings.HUIYI_PASSWORD_RESET_PER_IP),
            )
            if not ratelimit.hit(f"password_reset:{scope}", ident, limit, window)
        ]
        if over:
            log.warning(
                "Password reset not sent: too many requests per %s (e-mail %s, client address %s)",
                " and ".join(over),
                email,
                address,
            )
        return not over


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password through the e-mailed link; every other session of the user ends with it."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_form(self, form_class=None):
        return _styled(super().get_form(form_class))

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(form.user, None, {"password": ["•••", _("reset by e-mail link")]})
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(self.request.user, self.request.user, {"password": ["•••", _("changed")]})
        messages.success(self.request, gettext_lazy("Your password has been changed."))
        return response

    def get_form(self, form_class=None):
        return _styled(super().get_form(form_class))


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes after too many failed sign-ins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        message = _("Too many failed sign-ins. This account is locked for a while; try again later.")
        return JsonResponse({"error": {"code": "locked_out", "message": message, "fields": {}}}, status=403)
    form = SignInForm(request)
    message = _("Too many failed sign-ins. Please wait %(minutes)d minutes and try again.") % {
        "minutes": minutes
    }
    return render(request, "accounts/login.html", {"form": form, "lockout_message": message}, status=403)


@login_required
def organisation(request):
    units = queries.visible_org_units(request.user)
    if not units.exists():
        raise PermissionDenied
    people = (
        queries.visible_users(request.user).select_related("org_unit").prefetch_related("memberships__role")
    )
    people_by_unit: dict[int, list] = {}
    for person in people:
        people_by_unit.setdefault(person.org_unit_id, []).append(person)
    rows = [(unit, depth, people_by_unit.get(unit.pk, [])) for unit, depth in queries.org_tree(units)]
    return render(request, "accounts/organisation.html", {"rows": rows})
