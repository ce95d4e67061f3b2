from huiyi.core.audit import register

from .models import OrgMembership, OrgUnit, Role, User

register(User, exclude_fields=["password", "last_login"])
register(OrgUnit)
register(Role, m2m_fields={"permissions"})
register(OrgMembership)
