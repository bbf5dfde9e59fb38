"""Shared KPI snapshots, rollup runs and the alignment self-assessment."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class Dimension(models.TextChoices):
    ALL = "all", _("All")
    TEAM = "team", _("Team")
    USER = "user", _("User")
    CAMPAIGN = "campaign", _("Campaign")
    SEGMENT = "segment", _("Segment")


class KpiSnapshot(models.Model):
    """One figure of one metric for one period and one slice (design.md ★).

    `metric` is a key from design.md ("Shared KPIs"); breakdowns inside a metric
    use `key:part`, e.g. `pipeline_created:marketing` or `objections_top:price`.
    `dimension_id` is "" for `all`, a primary key for team/user/campaign and the
    segment name for `segment`.
    """

    metric = models.CharField(_("metric"), max_length=120)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    period_start = models.DateField(_("period start"))
    dimension = models.CharField(
        _("dimension"), max_length=10, choices=Dimension.choices, default=Dimension.ALL
    )
    dimension_id = models.CharField(_("dimension id"), max_length=120, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["metric", "period", "period_start", "dimension", "dimension_id"]
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period", "period_start", "dimension", "dimension_id"],
                name="kpi_snapshot_unique_figure",
            ),
        ]
        # The unique constraint's index serves lookups by metric; this one serves the
        # dashboard, which reads every metric of one slice.
        indexes = [
            models.Index(
                fields=["period", "dimension", "dimension_id", "period_start"],
                name="kpi_snapshot_dashboard_idx",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.metric} {self.period} {self.period_start} {self.dimension}={self.dimension_id}"
        )


class RollupRun(models.Model):
    """One run of the KPI rollup, nightly or asked for by a manager; shows progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    since = models.DateField(_("from"))
    until = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    metrics_total = models.PositiveIntegerField(_("metrics"), default=0)
    metrics_done = models.PositiveIntegerField(_("metrics done"), default=0)
    current_metric = models.CharField(_("current metric"), max_length=120, blank=True)
    rows_written = models.PositiveIntegerField(_("figures written"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("KPI rollup run")
        verbose_name_plural = _("KPI rollup runs")

    def __str__(self) -> str:
        return f"{self.since}–{self.until} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.metrics_total:
            return 0
        return min(100, round(100 * self.metrics_done / self.metrics_total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class AssessmentRound(models.Model):
    """A round of the alignment self-assessment, opened and closed by a manager."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AssessmentSide(models.TextChoices):
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")
    MANAGER = "manager", _("Managers")


class AssessmentResponse(models.Model):
    """One person's answers to one round; `side` is their role when they answered."""

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        related_name="assessment_responses",
    )
    side = models.CharField(_("side"), max_length=10, choices=AssessmentSide.choices)
    total = models.PositiveSmallIntegerField(_("total score"))
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("assessment response")
        verbose_name_plural = _("assessment responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"], name="assessment_response_once_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=20, total__lte=100),
                name="assessment_total_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} · {self.round} · {self.total}"


class AssessmentAnswer(models.Model):
    """The 1–5 score for one statement; `area` is stored so areas aggregate in SQL."""

    response = models.ForeignKey(
        AssessmentResponse, on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.CharField(_("statement"), max_length=40)
    area = models.CharField(_("area"), max_length=40, db_index=True)
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="assessment_answer_once_per_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="assessment_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement}={self.score}"
