from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import Role
from huiyi.core.translation import localize


class MonthlyReportForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send the monthly report"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles receiving it"), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [
            (role.key, localize(role.name) or role.key) for role in Role.objects.order_by("key")
        ]
