"""Permissions of the resources app (django-rules). Anything not granted here or by a role is denied.

Registers are organisation-wide and need a role permission (resources.view_venue …). A project's bookings
and checks follow the project: seeing it lets one read them, changing it lets one book (services check).
"""

import rules

from huiyi.core.rules import role_grants

for _model in ("venue", "room", "equipment", "supplier", "materialacceptance", "sparepart"):
    for _action in ("view", "add", "change"):
        _perm = f"resources.{_action}_{_model}"
        rules.add_perm(_perm, rules.is_superuser | role_grants(_perm))
rules.add_perm(
    "resources.add_supplierscorecard", rules.is_superuser | role_grants("resources.add_supplierscorecard")
)
rules.add_perm(
    "resources.add_equipmentcheck", rules.is_superuser | role_grants("resources.add_equipmentcheck")
)
