from django.db import models


class JobRun(models.Model):
    """The last run of one periodic job: when it was claimed, when it ended, what it did.

    Claiming is one conditional UPDATE on ``started_at`` (see ``periodic.runner``), so two
    ``run_periodic`` processes started at once never run the same job twice in one interval.
    """

    name = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
