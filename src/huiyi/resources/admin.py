from django.contrib import admin

from . import models

for model in (
    models.Venue,
    models.Room,
    models.Equipment,
    models.SparePart,
    models.Supplier,
    models.ScorecardCriterion,
    models.ScorecardStanding,
    models.SupplierScorecard,
    models.MaterialAcceptance,
    models.Booking,
):
    admin.site.register(model)
