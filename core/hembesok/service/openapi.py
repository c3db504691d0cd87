"""The OpenAPI 3.1 document of the HTTP service, generated from the shipped JSON Schemas.

OpenAPI 3.1 speaks JSON Schema 2020-12, the dialect of `schemas/`, so the case, plan
and other schemas go into `components.schemas` as `hembesok schema NAME` prints them,
with only their references rewritten to point into the document. A journal vendor's
integration test and code generator read the same contract the engine validates with.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from hembesok.io import schemas as schema_store
from hembesok.render.problem_details import MEDIA_TYPE
from hembesok.service.routes import Endpoint
from hembesok.version import __version__

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Statuses every endpoint with a body may answer, besides its own `errors`.
_BODY_ERRORS = (408, 413, 415, 503)
_DESCRIPTIONS = {
    400: "Malformed request: a body that is not JSON (located), or a bad query parameter",
    408: "The body did not arrive within the service's body timeout",
    413: "The body is larger than the service's limit (refused before it is read)",
    404: "No such path: for CDS Hooks, an unknown service id (GET /cds-services lists them)",
    412: "CDS Hooks: a prefetch the service needs is missing; it never fetches from the FHIR server",
    415: "The body is not sent as one of the media types of `requestBody` (charset utf-8 only)",
    422: "The case has problems; each is located (line, column, JSON path) and never quotes a value",
    500: "Internal error: a bug in hembesok",
    503: "The service is handling as many requests as it may; try again after Retry-After seconds",
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
#: Every answer's request id: the request's X-Request-ID if a plain token, else a new UUID4.
_REQUEST_ID = {
    "X-Request-ID": {
        "description": "The request's X-Request-ID if it was at most 128 characters of "
        "A-Z a-z 0-9 and ._:+/=@-, else a new UUID4; also in the access log line.",
        "schema": {"type": "string", "maxLength": 128},
    }
}

_REQUEST_ID_PARAMETER = MappingProxyType(
    {
        "name": "X-Request-ID",
        "in": "header",
        "required": False,
        "description": "An id to follow the request by (echoed); else the service makes one.",
        "schema": {"type": "string", "maxLength": 128},
    }
)

#: RFC 9457 problem details, with the located problems of an invalid document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details. For an invalid case, `problems` locates every problem.",
    "required": ["type", "title"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {
            "type": "string",
            "description": "The request's id, as in the X-Request-ID header of the answer",
        },
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["file", "line", "column", "path", "message"],
                "properties": {
                    "file": {"type": "string"},
                    "line": {"type": "integer"},
                    "column": {"type": "integer"},
                    "path": {"type": "string", "description": "JSON path of the value at fault"},
                    "message": {"type": "string"},
                    "severity": {"type": "string"},
                    "schema_path": {"type": "string"},
                },
            },
        },
    },
}


def openapi_document(endpoints: Sequence[Endpoint]) -> dict[str, Any]:
    """The OpenAPI document describing `endpoints`."""
    ids = {schema_store.schema_id(name): name for name in schema_store.NAMES}
    schemas: dict[str, Any] = {
        name: _embedded(name, schema_store.schema(name), ids) for name in schema_store.NAMES
    }
    schemas["problem"] = copy.deepcopy(PROBLEM_SCHEMA)
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "hembesok",
            "version": __version__,
            "summary": "Swedish child health programme rules: eligibility, visits and screening.",
            "description": (
                "Plans a child's and family's programmes as of a date. Served on loopback by "
                "default; it has no authentication of its own, so put it behind the journal "
                "system's own gateway. Errors are application/problem+json (RFC 9457)."
            ),
        },
        "servers": [
            {"url": "/", "description": "the service that served this document"},
            {"url": "http://127.0.0.1:8000", "description": "hembesok serve's default"},
        ],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _embedded(name: str, schema: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """A shipped schema as a component: references rewritten to point into this document.

    Its `$id` goes: most OpenAPI tools resolve `#` against the document, not against an
    embedded `$id`, so `#/$defs/date` becomes `#/components/schemas/case/$defs/date` and
    `urn:hembesok:schema:response:1` becomes `#/components/schemas/response`.
    """

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {key: rewrite(value) for key, value in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str):
                target, _, fragment = ref.partition("#")
                owner = ids.get(target, name) if target else name
                out["$ref"] = f"#/components/schemas/{owner}{fragment}"
            return out
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    out: dict[str, Any] = rewrite(copy.deepcopy(dict(schema)))
    out.pop("$id", None)
    out.pop("$schema", None)
    return out


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": copy.deepcopy(_REQUEST_ID),
            "content": {"application/json": {"schema": _schema(endpoint.response_schema)}},
        }
    }
    statuses = set(endpoint.errors) | {500}
    if endpoint.request_schema is not None:
        statuses |= {400, *_BODY_ERRORS}
    for status in sorted(statuses):
        responses[str(status)] = {
            "description": _DESCRIPTIONS.get(status, "Error"),
            "headers": copy.deepcopy(_REQUEST_ID),
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/problem"}}},
        }
        if status == 503:
            responses[str(status)]["headers"].update(copy.deepcopy(_RETRY_AFTER))
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary,
        "responses": responses,
    }
    operation["parameters"] = [
        *(dict(p) for p in endpoint.parameters),
        copy.deepcopy(dict(_REQUEST_ID_PARAMETER)),
    ]
    if endpoint.request_schema is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {
                media: {"schema": _schema(endpoint.request_schema)}
                for media in sorted(endpoint.media_types)
            },
        }
    return operation


def _schema(spec: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(spec, str):
        return {"$ref": f"#/components/schemas/{spec}"}
    return copy.deepcopy(dict(spec))
