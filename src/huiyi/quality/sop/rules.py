"""Permissions of the SOP library (django-rules). Every member of staff reads the procedures in force;
roles grant editing, approving and recording the quarterly meeting (role_permissions.yaml)."""

import rules

from huiyi.core.rules import role_grants

rules.add_perm("sop.read", rules.is_authenticated)
rules.add_perm("sop.edit", rules.is_superuser | role_grants("sop.add_procedure"))
rules.add_perm("sop.add_version", rules.is_superuser | role_grants("sop.add_procedureversion"))
rules.add_perm("sop.record_meeting", rules.is_superuser | role_grants("sop.add_optimisationmeeting"))
