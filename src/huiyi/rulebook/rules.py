"""Who may do what with the rulebook (django-rules). Anything not granted here is denied.

Everyone signed in may read the rules in force and every version of them. Cloning, editing a draft and
activating it need ``rulebook.change_rulebookversion`` — held by superusers and granted to a role
(the quality officer's, by default) — because a new version changes the thresholds of every project that
starts afterwards.
"""

import rules

from huiyi.core.rules import role_grants

can_read_rulebook = rules.is_authenticated & rules.is_active
can_change_rulebook = rules.is_active & (rules.is_superuser | role_grants("rulebook.change_rulebookversion"))

rules.add_perm("rulebook.view_rulebookversion", can_read_rulebook)
rules.add_perm("rulebook.change_rulebookversion", can_change_rulebook)
