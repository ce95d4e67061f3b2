from rest_framework.authentication import TokenAuthentication


class BearerOrTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, the documented form. 401 responses name the scheme."""

    keyword = "Token"
