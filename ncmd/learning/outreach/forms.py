"""The forms of the outreach pages. Each page shows every problem in an error summary, and each
field's own message beside it (templates outreach/_field.html and _errors.html)."""

from django import forms
from django.forms.utils import pretty_name
from django.utils import timezone

from ncmd.learning.audiences import Audience

from .models import (
    EventKind,
    LawfulBasis,
    MessageKind,
    Sector,
    StakeholderOrganisation,
    TopicProposal,
    TopicStatus,
)

RATINGS = [(n, str(n)) for n in range(1, 6)]
CLASSES = {"select": "nhsuk-select", "textarea": "nhsuk-textarea", "clearablefile": "nhsuk-input",
           "file": "nhsuk-input"}  # fmt: skip


def _required_message(name, field, kind):
    label = str(field.label or pretty_name(name))
    if label.endswith("?"):
        return "Answer this question."
    verb = "Choose" if kind in ("checkboxselectmultiple", "radioselect", "select") else "Enter"
    if kind in ("clearablefile", "file"):
        verb = "Choose"
    if isinstance(field, AudiencesField):
        return "Choose at least one audience."
    if not label[1:2].isupper():
        label = label[0].lower() + label[1:]
    return f"{verb} the {label}."


class NhsForm(forms.Form):
    """Gives each widget the NHS design system's class and describes it by its hint and error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            kind = self[name].widget_type
            field.error_messages["required"] = _required_message(name, field, kind)
            if kind in ("checkboxselectmultiple", "radioselect", "checkbox"):
                continue
            attrs = field.widget.attrs
            attrs["class"] = CLASSES.get(kind, "nhsuk-input")
            if field.help_text:
                attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        """After checking, point each field in error at its message too."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                hint = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{hint} id_{name}-error".strip()


class AudiencesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Audience.choices)
        super().__init__(**kwargs)


class OrganisationForm(NhsForm):
    name = forms.CharField(max_length=200)
    sector = forms.ChoiceField(choices=Sector.choices)
    audiences = AudiencesField(required=False, help_text="Who at this organisation we reach.")
    website = forms.URLField(required=False, assume_scheme="https")
    influence = forms.TypedChoiceField(
        choices=RATINGS,
        coerce=int,
        initial=3,
        help_text="1 low to 5 high: power over what changes.",
    )
    interest = forms.TypedChoiceField(
        choices=RATINGS, coerce=int, initial=3, help_text="1 low to 5 high: how much it cares."
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = StakeholderOrganisation.objects.filter(name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"There is already an organisation called {name}.")
        return name


class ContactForm(NhsForm):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(label="E-mail address")
    organisation = forms.ModelChoiceField(
        queryset=StakeholderOrganisation.objects.all(), required=False, empty_label="None"
    )
    job_title = forms.CharField(max_length=200, required=False)
    audiences = AudiencesField(
        help_text="The groups this person belongs to. Messages to any of "
        "these audiences reach them, if they have consented."
    )


class ConsentForm(NhsForm):
    given_on = forms.DateField(label="Date consent was given", help_text="For example, 2025-03-27.")
    source = forms.CharField(
        max_length=200,
        label="Where the consent came from",
        help_text="For example: sign-up form at the regional conference.",
    )
    lawful_basis = forms.ChoiceField(choices=LawfulBasis.choices, initial=LawfulBasis.CONSENT)

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The consent date cannot be in the future.")
        return value


class ImportForm(NhsForm):
    file = forms.FileField(label="CSV file", help_text="Saved as CSV UTF-8, up to 5 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB: split it.")
        return upload


class ThemeForm(NhsForm):
    title = forms.CharField(max_length=200, label="Theme")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    copy_from = forms.ChoiceField(
        required=False,
        label="Start from the ratings of",
        help_text="The map is redrawn from these; edit them next.",
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].choices = [("", "The general map")] + [
            (str(t.pk), t.title) for t in themes
        ]


class MessageForm(NhsForm):
    kind = forms.ChoiceField(
        choices=MessageKind.choices, widget=forms.RadioSelect, initial=MessageKind.SAFETY_MESSAGE
    )
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Plain text or Markdown: **bold**, # heading, - list, "
        "[link text](https://...). HTML is shown as text.",
    )
    audiences = AudiencesField()
    public = forms.BooleanField(
        required=False, label="Publish the web version in the public archive of messages"
    )


class TopicForm(NhsForm):
    """The public proposal form. `website` is a honeypot, hidden from people and left empty."""

    title = forms.CharField(max_length=200, label="Topic")
    description = forms.CharField(
        required=False,
        max_length=3000,
        label="What should it cover?",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    audiences = AudiencesField(required=False, label="Who is it for?")
    proposer_name = forms.CharField(max_length=200, required=False, label="Your name")
    proposer_email = forms.EmailField(
        required=False,
        label="Your e-mail address",
        help_text="Only so that we can tell you what we decide.",
    )
    proposer_organisation = forms.CharField(
        max_length=200, required=False, label="Your organisation"
    )
    website = forms.CharField(required=False, label="Leave this empty")


class TopicDecisionForm(NhsForm):
    status = forms.ChoiceField(
        choices=[(TopicStatus.OPEN, "Open for votes"), (TopicStatus.DECLINED, "Decline")]
    )
    note = forms.CharField(
        required=False, label="Reason or note", widget=forms.Textarea(attrs={"rows": 2})
    )


class EventForm(NhsForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=EventKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.DateTimeField(
        label="Start date and time", help_text="For example, 2026-03-12 14:00."
    )
    ends_at = forms.DateTimeField(
        label="End date and time", help_text="For example, 2026-03-12 15:30."
    )
    audiences = AudiencesField()
    topic = forms.ModelChoiceField(
        queryset=TopicProposal.objects.filter(
            status__in=[TopicStatus.OPEN, TopicStatus.PROPOSED, TopicStatus.SCHEDULED]
        ),
        required=False,
        empty_label="None",
        help_text="A topic proposed by stakeholders.",
    )
    capacity = forms.IntegerField(
        required=False, min_value=1, help_text="Leave empty for no limit."
    )
    location = forms.CharField(
        required=False, max_length=200, help_text="Online, or the venue's address."
    )
    joining_details = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown only to people who have registered.",
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The event must end after it starts.")
        return data


class MaterialForm(NhsForm):
    title = forms.CharField(max_length=200)
    url = forms.URLField(required=False, label="Link", assume_scheme="https")
    file = forms.FileField(
        required=False,
        help_text="PDF, PowerPoint, Word, Excel, OpenDocument, PNG, JPEG or text, up to 25 MB.",
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            self.add_error("url", "Give either a link or a file.")
        return data


class FeedbackForm(NhsForm):
    overall = forms.TypedChoiceField(
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        label="Overall, how good was the event?",
        help_text="1 poor to 5 excellent.",
    )
    usefulness = forms.TypedChoiceField(
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        label="How useful was it to your work?",
        help_text="1 not useful to 5 very useful.",
    )
    will_change_practice = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes",
        widget=forms.RadioSelect, label="Will you change anything in your practice because of it?",
    )  # fmt: skip
    comments = forms.CharField(
        required=False,
        max_length=5000,
        label="Anything else?",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ModuleForm(NhsForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    audiences = AudiencesField()
    content_url = forms.URLField(required=False, label="Link to the content", assume_scheme="https")
    duration_minutes = forms.IntegerField(
        required=False, min_value=1, label="Time it takes, in minutes"
    )
    active = forms.BooleanField(
        required=False, initial=True, label="Active (offered to new learners)"
    )


class CompletionForm(NhsForm):
    contact = forms.EmailField(label="Contact's e-mail address")
    completed_on = forms.DateField(label="Completed on", help_text="For example, 2026-01-15.")
