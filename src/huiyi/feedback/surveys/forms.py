"""Forms of the survey pages; they collect input, the services validate and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyi.onsite.attendees.models import Category

from .models import Audience, Dimension, QuestionKind, Revisit, SurveyTemplate

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class SurveyForm(StyledForm):
    template = forms.ModelChoiceField(label=_("Template"), queryset=SurveyTemplate.objects.none())
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)
    only_checked_in = forms.BooleanField(
        label=_("Only attendees who checked in"),
        required=False,
        initial=True,
        help_text=_("Attendee surveys: the collection rate counts only those who came."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Attendee categories"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = SurveyTemplate.objects.filter(superseded_at__isnull=True).order_by(
            "audience", "name"
        )
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.name} v{t.version} · {t.get_audience_display()}"
        )


class AnalysisForm(StyledForm):
    analysis = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_("What the answers say, what went well, what must improve."),
    )


class RevisitForm(StyledForm):
    contact = forms.CharField(label=_("Contact"), max_length=120)
    channel = forms.ChoiceField(label=_("Channel"), choices=Revisit.Channel.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Revisit.Outcome.choices, initial=Revisit.Outcome.DONE
    )
    score = forms.IntegerField(label=_("Satisfaction score (0–100)"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TemplateForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    intro = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    intro_en = forms.CharField(
        label=_("English introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    copy_from = forms.ModelChoiceField(
        label=_("Start from the questions of"), required=False, queryset=SurveyTemplate.objects.none()
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["audience"]
            del self.fields["copy_from"]
        else:
            self.fields["copy_from"].queryset = SurveyTemplate.objects.filter(superseded_at__isnull=True)


def parse_choices(text: str) -> list[dict]:
    """One option per line, "中文 | English" (the English part optional)."""
    options = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        zh, _sep, en = line.partition("|")
        options.append({"zh-hans": zh.strip(), "en": en.strip()})
    return options


def format_choices(choices: list[dict]) -> str:
    return "\n".join(
        f"{c.get('zh-hans', '')} | {c.get('en', '')}" if c.get("en") else c.get("zh-hans", "")
        for c in choices
    )


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    text_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)
    dimension = forms.ChoiceField(
        label=_("Dimension"),
        required=False,
        choices=[("", "—"), *Dimension.choices],
        help_text=_("Scale questions of a dimension share its weight in the rulebook."),
    )
    weight = forms.DecimalField(
        label=_("Own weight"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("Empty: the rulebook's weight of the dimension."),
    )
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Choice questions: one option per line, “中文 | English”."),
    )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = parse_choices(data.get("choices", ""))
        return data
