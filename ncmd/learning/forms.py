"""The learning pages' forms. They check what a form can check (required fields, dates, choices)
and hand the rest to the actions; `NHSForm` gives every widget the NHS.UK frontend's classes and
lists the errors for the error summary."""

from django import forms

from ncmd.quality.definitions import indicators
from ncmd.registry.models import Organisation, OrganisationType

from .audiences import Audience
from .models import (
    Goal,
    InterventionKind,
    PlanAction,
    PPIGroupKind,
    Recommendation,
    ReportKind,
    Theme,
    Workstream,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class NHSForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = {
                forms.Textarea: "nhsuk-textarea",
                forms.Select: "nhsuk-select",
                forms.SelectMultiple: "nhsuk-select ncmd-multiselect",
                forms.CheckboxSelectMultiple: "",
            }.get(type(widget), "nhsuk-input")
            if isinstance(widget, DateInput):
                css = "nhsuk-input nhsuk-input--width-10"
            if isinstance(widget, forms.NumberInput):
                css = "nhsuk-input nhsuk-input--width-4"
            if css:
                widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":
                widget.attrs["rows"] = 4  # Django's default of 10 rows is too tall for a note

    def error_list(self):
        """(anchor, message) pairs for the error summary, in the order of the fields."""
        errors = [("", e) for e in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                errors.append((f"#id_{name}", f"{field.label}: {message}"))
        return errors


def _organisations(*types):
    return Organisation.objects.filter(type__in=types).order_by("type", "name")


def _grouped(queryset):
    """Organisation choices grouped by type, partners first, for a long select box."""
    labels = {OrganisationType.PARTNER: "Partner organisations", OrganisationType.CDOP: "CDOPs",
              OrganisationType.AGENCY: "Agencies"}  # fmt: skip
    groups = {label: [] for label in labels.values()}
    for organisation in queryset:
        groups[labels[organisation.type]].append((organisation.pk, organisation.name))
    return [(label, options) for label, options in groups.items() if options]


def _indicator_choices():
    return [(name, d.title) for name, d in indicators().items()]


class ReportForm(NHSForm):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(label="Kind of report", choices=ReportKind.choices)
    published_on = forms.DateField(label="Published on", widget=DateInput())
    summary = forms.CharField(widget=forms.Textarea, help_text="What the report found.")
    key_findings = forms.CharField(
        label="Key findings", required=False, widget=forms.Textarea, help_text="One a line."
    )
    url = forms.URLField(
        label="Web address of the report", required=False, assume_scheme="https",
        help_text="Where the published report can be read, if it is online.",
    )  # fmt: skip


class RecommendationForm(NHSForm):
    text = forms.CharField(label="Recommendation", widget=forms.Textarea)
    theme = forms.ChoiceField(choices=Theme.choices)
    organisations = forms.ModelMultipleChoiceField(
        label="Addressed to these organisations", required=False,
        queryset=_organisations(OrganisationType.PARTNER, OrganisationType.CDOP,
                                OrganisationType.AGENCY),
        help_text="Each reports its own progress. Hold Ctrl (or Cmd) to choose several.",
    )  # fmt: skip
    audiences = forms.MultipleChoiceField(
        label="Addressed to these audiences", required=False, choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    owner = forms.CharField(label="Owner in the programme", max_length=200)
    due_on = forms.DateField(label="Due by", widget=DateInput())
    indicator = forms.ChoiceField(
        label="Quality indicator it should move", required=False,
        help_text="Its movement before and after the issue date is shown in the quarterly review.",
    )  # fmt: skip
    review_interval_days = forms.IntegerField(
        label="Ask for an update every (days)", min_value=7, max_value=366, initial=90
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].widget.attrs["size"] = 10
        self.fields["organisations"].choices = _grouped(self.fields["organisations"].queryset)
        self.fields["indicator"].choices = [("", "None")] + _indicator_choices()

    def clean(self):
        data = super().clean()
        if not data.get("organisations") and not data.get("audiences"):
            self.add_error("organisations", "Choose at least one organisation or audience.")
        return data


class MoveForm(NHSForm):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea,
        help_text="What has been done, or why. Required for every move except acknowledging.",
    )  # fmt: skip
    links = forms.CharField(
        label="Links to evidence", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Web addresses, one a line: a published policy, guidance or audit.",
    )  # fmt: skip
    next_review_on = forms.DateField(
        label="Next review", required=False, widget=DateInput(),
        help_text="For plan actions: when the action should next be reviewed (default: in 90 "
        "days).",
    )  # fmt: skip

    def for_move(self, transition):
        """Label the note for what `transition` needs, and require it when it needs one."""
        note = self.fields["note"]
        if transition is None:
            return self
        note.required = bool(transition.needs)
        if transition.needs == "reason":
            note.label, note.help_text = "Reason", "Why: it is kept with the response."
        elif transition.needs == "evidence":
            note.help_text = "What was done. Add at least one link or file as evidence."
        elif transition.needs == "note":
            note.help_text = "What is being done."
        else:
            note.help_text = "Anything to add (optional)."
        return self

    def link_list(self):
        return [line.strip() for line in self.cleaned_data.get("links", "").splitlines()
                if line.strip()]  # fmt: skip


class PackForm(NHSForm):
    audience = forms.ChoiceField(choices=Audience.choices)
    title = forms.CharField(max_length=300)
    summary = forms.CharField(
        label="One-page summary", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why this report matters to this audience, in plain words.",
    )  # fmt: skip
    key_findings = forms.CharField(label="Key findings", widget=forms.Textarea,
                                   help_text="One a line.")  # fmt: skip
    recommendations = forms.ModelMultipleChoiceField(
        queryset=Recommendation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to include those addressed to the audience.",
    )  # fmt: skip
    aim = forms.CharField(label="QI plan: aim", widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(
        label="QI plan: measures",
        widget=forms.Textarea,
        help_text="Outcome, process and balancing measures, one a line.",
    )
    change_ideas = forms.CharField(label="QI plan: change ideas", widget=forms.Textarea,
                                   help_text="One a line.")  # fmt: skip
    pdsa_cycles = forms.CharField(
        label="QI plan: PDSA cycles",
        widget=forms.Textarea,
        help_text="Suggested plan-do-study-act cycles, one a line.",
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = report.recommendations.all()
        self.fields["recommendations"].label_from_instance = lambda r: f"{r.number}. {r.text}"


class MaterialForm(NHSForm):
    title = forms.CharField(max_length=300)
    url = forms.URLField(label="Link", required=False, assume_scheme="https")
    file = forms.FileField(label="Or a document", required=False)


class GoalForm(NHSForm):
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea)


class WorkstreamForm(NHSForm):
    goal = forms.ModelChoiceField(queryset=Goal.objects.all())
    title = forms.CharField(max_length=300)
    lead = forms.CharField(label="Workstream lead", required=False, max_length=200)


class PlanActionForm(NHSForm):
    workstream = forms.ModelChoiceField(queryset=Workstream.objects.select_related("goal"))
    text = forms.CharField(label="Action", widget=forms.Textarea)
    lead = forms.ModelChoiceField(
        label="Lead partner", queryset=_organisations(OrganisationType.PARTNER,
                                                      OrganisationType.CDOP),
    )  # fmt: skip
    support = forms.ModelMultipleChoiceField(
        label="Supporting partners", required=False,
        queryset=_organisations(OrganisationType.PARTNER, OrganisationType.CDOP),
    )  # fmt: skip
    next_review_on = forms.DateField(label="Next review", widget=DateInput())
    due_on = forms.DateField(label="Due by", required=False, widget=DateInput())
    recommendation = forms.ModelChoiceField(
        label="Recommendation it carries out", required=False,
        queryset=Recommendation.objects.filter(issued_at__isnull=False).select_related("report"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support"].widget.attrs["size"] = 6
        self.fields["workstream"].label_from_instance = lambda w: f"{w.goal.number}. {w.title}"

    def partners(self):
        partners = dict.fromkeys(self.cleaned_data["support"], "support")
        partners[self.cleaned_data["lead"]] = "lead"
        return partners


class InterventionForm(NHSForm):
    kind = forms.ChoiceField(label="Kind of intervention", choices=InterventionKind.choices)
    title = forms.CharField(max_length=200)
    held_on = forms.DateField(label="Date", widget=DateInput())
    description = forms.CharField(required=False, widget=forms.Textarea)
    cdops = forms.ModelMultipleChoiceField(
        label="CDOPs reached", required=False, queryset=_organisations(OrganisationType.CDOP),
        help_text="The intervention appears on these CDOPs' data quality charts.",
    )  # fmt: skip
    audiences = forms.MultipleChoiceField(
        label="Audiences reached", required=False, choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    indicators = forms.MultipleChoiceField(
        label="Indicators it aims to move", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to show it on every indicator's chart.",
    )  # fmt: skip
    plan_action = forms.ModelChoiceField(
        label="QI plan action it belongs to", required=False, queryset=PlanAction.objects.all()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cdops"].widget.attrs["size"] = 10
        self.fields["indicators"].choices = _indicator_choices()

    def clean(self):
        data = super().clean()
        if not data.get("cdops") and not data.get("audiences"):
            self.add_error("cdops", "Choose the CDOPs or the audiences it reached.")
        return data


class ConsultationForm(NHSForm):
    recommendation = forms.ModelChoiceField(
        label="On one recommendation", required=False, queryset=Recommendation.objects.none(),
        help_text="Leave empty when the group was consulted on the whole report.",
    )  # fmt: skip
    group = forms.CharField(label="Who was consulted", max_length=200,
                            help_text="Like 'NCMD PPI group' or 'The Lullaby Trust'.")  # fmt: skip
    group_kind = forms.ChoiceField(label="Kind of group", choices=PPIGroupKind.choices)
    consulted_on = forms.DateField(label="Consulted on", widget=DateInput())
    asked = forms.CharField(label="What they were asked", widget=forms.Textarea)
    changed = forms.CharField(label="What changed as a result", widget=forms.Textarea)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = report.recommendations.all()
        self.fields["recommendation"].label_from_instance = lambda r: f"{r.number}. {r.text[:90]}"
