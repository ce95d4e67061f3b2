"""OpenAPI extensions: the schema at /api/v1/schema/ says what the API really answers (issue 10).

- Every error answers with one shape, {"error": {"code", "message", "fields"}} (api.errors). drf-spectacular
  documents only the success responses; `document_error_responses` adds the errors each operation can
  answer (a client — or schemathesis — would otherwise meet a 404 the schema never mentioned). Codes an
  operation documents itself (e.g. check-in's 422) are left as they are.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: a stable code, a message in the user's language, the fields at fault.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}
METHODS = ("get", "put", "post", "patch", "delete")
WRITES = ("put", "post", "patch", "delete")


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "huiyi.api.authentication.BearerOrTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token-based authentication: `Token <key>` from POST /api/v1/auth/token/.",
        }


def _error_responses(method: str, operation: dict) -> dict[str, str]:
    parameters = operation.get("parameters", [])
    security = operation.get("security") or []
    signed_in = bool(security) and {} not in security
    responses = {}
    if method in WRITES or "requestBody" in operation or any(p["in"] != "path" for p in parameters):
        responses["400"] = "Invalid input; error.fields names each field at fault."
    if signed_in:
        responses["401"] = "No credentials, or credentials that are not valid."
        responses["403"] = "Signed in, but not allowed to do this."
    if any(p["in"] == "path" for p in parameters):
        responses["404"] = "Not found, or not visible to the signed-in user."
    elif any(p["in"] == "query" and p["name"] == "page" for p in parameters):
        responses["404"] = "No such page of results."
    return responses


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors it can answer, each with
    the shared Error body; an error a view documents without a body (`OpenApiResponse(description=…)`)
    gets the Error body too."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in _error_responses(method, operation).items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code[0] in "45" and "content" not in response:
                    response["content"] = content
    return result
