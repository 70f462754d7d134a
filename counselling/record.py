from django.db import models


class Record(models.Model):
    """Base of counselling records: a string form that never names anyone."""

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.model_name} #{self.pk}"
