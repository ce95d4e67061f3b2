"""Object permissions of internal audits (django-rules). Anything not granted here is denied.

A role grants the action (``role_permissions.yaml``); being named on an audit's team lets a person conduct
that audit (assess its checklist), and auditors and auditees see the audit they take part in.
"""

import rules

from huiyi.core.rules import role_grants


@rules.predicate
def on_team(user, audit):
    if audit is None or not user.is_authenticated:
        return False
    return audit.lead_auditor_id == user.pk or audit.auditors.filter(pk=user.pk).exists()


@rules.predicate
def is_auditee(user, audit):
    return audit is not None and user.is_authenticated and audit.auditees.filter(pk=user.pk).exists()


rules.add_perm("audits.view", rules.is_superuser | role_grants("audits.view_audit") | on_team | is_auditee)
rules.add_perm("audits.plan", rules.is_superuser | role_grants("audits.add_audit"))
rules.add_perm("audits.edit_team", rules.is_superuser | role_grants("audits.change_audit"))
rules.add_perm("audits.conduct", rules.is_superuser | on_team)
rules.add_perm("audits.close", rules.is_superuser | role_grants("audits.close_audit"))
rules.add_perm("audits.dashboard", rules.is_superuser | role_grants("audits.view_audit"))
