"""OpenAPI extensions: the schema at /api/v1/schema/ says what the API really answers (issue 10).

- Every error answers with one shape, {"error": {"code", "message", "fields"}} (api.errors). drf-spectacular
  documents only the success responses; `document_error_responses` adds the errors each operation can
  answer (a client — or schemathesis — would otherwise meet a 404 the schema never mentioned). Codes an
  operation documents itself (e.g. check-in's 422) are left as they are.
- A declared related field (`owner = StringRelatedField()`) or a read-only choice field
  (`read_only_fields`) loses what the model knows: that the relation may be empty (null) or the choice not
  made yet (""). drf-spectacular then documents a non-nullable string or an enum without "", and the API
  answers null or "". The two field extensions below put the model's null/blank back into the response
  schema.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

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


class AutoSchema(SpectacularAutoSchema):
    """Only reading a list (GET) is paginated: a write that answers with several rows (starting a review
    chain answers with its steps) answers them all, and takes no `page` parameter."""

    def _get_paginator(self):
        return super()._get_paginator() if self.method == "GET" else None


def _model_fields(field) -> list[models.Field] | None:
    """The model fields a serializer field's source walks through (owner.display_name → [owner, display_name
    of User]), or None when the source is not a plain chain of model fields of a ModelSerializer."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not isinstance(parent, serializers.ModelSerializer) or field.source == "*":
        return None
    chain = []
    for attr in field.source_attrs:
        if model is None:
            return None
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        chain.append(model_field)
        model = model_field.related_model if model_field.is_relation else None
    return chain


class NullableRelatedFieldScheme(OpenApiSerializerFieldExtension):
    """A related field whose source crosses a nullable relation answers null: say so in responses."""

    target_class = serializers.RelatedField
    match_subclasses = True
    priority = -1  # a more specific extension wins

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        chain = _model_fields(self.target)
        if direction == "response" and chain and any(f.null for f in chain):
            schema["nullable"] = True
        return schema


class UnsetChoiceFieldScheme(OpenApiSerializerFieldExtension):
    """A read-only choice field of a model field that may be blank or null answers "" or null: add them to
    the response enum, as drf-spectacular does for a writable field (allow_blank / allow_null)."""

    target_class = serializers.ChoiceField
    match_subclasses = True
    priority = -1

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        chain = _model_fields(self.target)
        if direction != "response" or not chain or "enum" not in schema:
            return schema
        if isinstance(self.target, serializers.MultipleChoiceField):
            return schema
        if chain[-1].blank and "" not in schema["enum"]:
            schema["enum"] = [*schema["enum"], ""]
        if any(f.null for f in chain) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
            schema["nullable"] = True
        return schema


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
    if "requestBody" in operation:
        responses["415"] = "The body is not in one of the documented media types."
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
