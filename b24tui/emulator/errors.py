"""Errors the emulated portal answers with, in the documented shapes.

Handlers raise these; the ASGI app turns them into the v1 body
``{"error": CODE, "error_description": TEXT}`` or the v3 body
``{"error": {"code": CODE, "message": TEXT, "validation": [...]}}`` with the given HTTP status.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RestError(Exception):
    """A classic (v1) error: HTTP status, ``error`` code and ``error_description``."""

    status: int
    code: str
    description: str

    def body(self) -> dict[str, object]:
        return {"error": self.code, "error_description": self.description}


@dataclass
class V3Error(Exception):
    """A REST 3.0 error: ``{"error": {"code", "message", "validation"}}``."""

    status: int
    code: str
    message: str
    validation: list[dict[str, str]] = field(default_factory=list)

    def body(self) -> dict[str, object]:
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.validation:
            error["validation"] = self.validation
        return {"error": error}


V3_PREFIX = "BITRIX_REST_V3_EXCEPTION_"


def v3_validation(message: str, *fields: tuple[str, str]) -> V3Error:
    """A v3 request-validation error listing ``(field, message)`` pairs."""
    return V3Error(
        400,
        V3_PREFIX + "VALIDATION_REQUESTVALIDATIONEXCEPTION",
        message,
        [{"field": name, "message": text} for name, text in fields],
    )


def method_not_found(method: str) -> RestError:
    """The answer for a method the portal does not have at this path."""
    return RestError(404, "ERROR_METHOD_NOT_FOUND", f"Method not found! ({method})")
