from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiyi.documents import catalogue
from huiyi.documents.forms import StyledForm
from huiyi.documents.models import Confidentiality
from huiyi.projects.queries import visible_projects

from .queries import MAX_QUERY_LENGTH, Filters


class SearchForm(StyledForm):
    q = forms.CharField(label=_("Words"), max_length=MAX_QUERY_LENGTH, required=False)
    project = forms.TypedChoiceField(
        label=pgettext_lazy("search filter", "Meeting"), required=False, coerce=int, empty_value=None
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    cls = forms.ChoiceField(label=_("Confidentiality"), required=False)
    date_from = forms.DateField(
        label=_("Filed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Filed to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        projects = visible_projects(user).order_by("-start").values_list("pk", "code", "name")
        self.fields["project"].choices = [("", _("All meetings"))] + [
            (pk, f"{code} · {name}") for pk, code, name in projects
        ]
        self.fields["type"].choices = [("", _("All types"))] + catalogue.doc_types(rulebook)
        self.fields["cls"].choices = [("", _("All classes"))] + list(Confidentiality.choices)

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            project=data.get("project"),
            doc_type=data.get("type") or "",
            confidentiality=data.get("cls") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
