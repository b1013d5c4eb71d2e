"""Denominators: the child populations and live births that turn counts of deaths into rates.

Each import is one `DenominatorDataset` with its source, whether it is synthetic, and a hash of
its rows, so a published rate can say exactly which population it was divided by. Rows are never
edited: a corrected file is a new dataset.
"""

from django.db import models
from django.db.models import Q


class DenominatorKind(models.TextChoices):
    POPULATION = "population", "Population estimates"
    BIRTHS = "births", "Live births"


class BirthPeriod(models.TextChoices):
    CALENDAR = "calendar", "Calendar year (January to December)"
    FINANCIAL = "financial", "Financial year (April to March)"


class DenominatorDataset(models.Model):
    kind = models.CharField(max_length=20, choices=DenominatorKind.choices)
    name = models.CharField(max_length=200)
    source = models.CharField(
        max_length=500, help_text="Where the figures come from: a file name, a publication."
    )
    synthetic = models.BooleanField(
        help_text="True for the made-up denominators of the demonstration; never publish them as "
        "real figures."
    )
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the dataset's rows in a canonical order."
    )
    row_count = models.PositiveIntegerField()
    years = models.JSONField(default=list, help_text="The years the rows cover, ascending.")
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["kind", "imported_at"])]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()}, dataset {self.pk})"

    @property
    def citation(self):
        """How a table's notes name the dataset."""
        flag = "SYNTHETIC, made up for the demonstration; " if self.synthetic else ""
        return (
            f"{self.get_kind_display()}: {self.name} ({flag}source: {self.source}; dataset "
            f"{self.pk}, SHA-256 {self.content_hash})"
        )


class PopulationEstimate(models.Model):
    """A mid-year population estimate for an area, an age range and a sex; optionally broken down
    by ethnic group or by deprivation decile (blank and null mean "all")."""

    dataset = models.ForeignKey(DenominatorDataset, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The mid-year (30 June) of the estimate.")
    area_code = models.CharField(max_length=12, help_text="ONS GSS code of the area.")
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=3, help_text="M, F or all.")
    ethnicity_group = models.CharField(max_length=20, blank=True)
    imd_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["dataset", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(age_to__gte=models.F("age_from")),
                                   name="population_age_range_ordered"),
            models.CheckConstraint(condition=Q(sex__in=["M", "F", "all"]),
                                   name="population_sex_m_f_or_all"),
            models.CheckConstraint(
                condition=Q(imd_decile__isnull=True) | Q(imd_decile__gte=1, imd_decile__lte=10),
                name="population_imd_decile_1_to_10",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.area_code} {self.year} ages {self.age_from}-{self.age_to} {self.sex}"


class LiveBirths(models.Model):
    dataset = models.ForeignKey(DenominatorDataset, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(
        help_text="The calendar year, or the first calendar year of a financial year."
    )
    period = models.CharField(max_length=10, choices=BirthPeriod.choices)
    area_code = models.CharField(max_length=12)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["dataset", "year"])]

    def __str__(self):
        return f"{self.area_code} {self.year} ({self.period}): {self.count} live births"
