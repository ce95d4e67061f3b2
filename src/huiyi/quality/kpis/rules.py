"""Who may see the KPI dashboard (REQ-QLT-09). Anything not granted here is denied.

A role grants the dashboard (``role_permissions.yaml``: quality officer, directors, managers); the figures are
always over the projects the person sees, and a unit they do not see is refused (``queries.UnitNotVisible``).
"""

import rules

from huiyi.core.rules import role_grants

rules.add_perm("kpis.dashboard", rules.is_superuser | role_grants("kpis.view_dashboard"))
rules.add_perm(
    "kpis.export",
    rules.is_superuser | (role_grants("kpis.view_dashboard") & role_grants("kpis.export_dashboard")),
)
rules.add_perm("kpis.settings", rules.is_superuser | role_grants("kpis.change_monthlyreportsetting"))
