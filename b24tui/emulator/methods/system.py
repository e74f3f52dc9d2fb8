"""What the portal can do and what the caller may do: ``scope``, ``method.get``,
``methods``, ``app.info`` and ``server.time`` (``api-reference/common/system/*.md``,
scope ``basic``)."""

from __future__ import annotations

from typing import Any

from b24tui.emulator.dispatch import current_context
from b24tui.emulator.errors import RestError
from b24tui.emulator.methods._common import fmt_dt
from b24tui.emulator.params import flag
from b24tui.emulator.registry import REGISTRY, Call, Method, Registry

PORTAL_SCOPES: frozenset[str] = frozenset(
    [
        "ai_admin",
        "biconnector",
        "bizproc",
        "booking",
        "calendar",
        "call",
        "cashbox",
        "catalog",
        "contact_center",
        "crm",
        "documentgenerator",
        "delivery",
        "department",
        "disk",
        "entity",
        "humanresources",
        "humanresources.hcmlink",
        "im",
        "imbot",
        "imconnector",
        "imopenlines",
        "intranet",
        "landing",
        "lists",
        "log",
        "mailservice",
        "main",
        "messageservice",
        "mobile",
        "pay_system",
        "placement",
        "pull",
        "rpa",
        "sale",
        "salescenter",
        "sign.b2e",
        "sonet_group",
        "socialnetwork",
        "task",
        "telephony",
        "timeman",
        "user",
        "user_brief",
        "user_basic",
        "user.userfield",
        "userfieldconfig",
        "userconsent",
        "vote",
        "tasks",
        "tasks_extended",
        "tasksmobile",
    ]
)
"""Every scope a portal has (``api-reference/scopes/permissions.md``): ``scope`` with
``full=true`` lists them, whatever the caller was granted. The last three are the page's
footnote: deprecated ("should not be used") but still available."""


def _named(call: Call) -> dict[str, Any]:
    return call.params if isinstance(call.params, dict) else {}


def known_scopes(registry: Registry) -> set[str]:
    """Every scope some method of the portal needs (``basic`` aside: everyone has it)."""
    return {method.scope for method in registry.methods.values()} - {"basic"}


def _v1_methods(registry: Registry) -> list[Method]:
    return [method for (api, _), method in registry.methods.items() if api == "v1"]


@REGISTRY.method("scope", scope="basic")
def scope(call: Call) -> list[str]:
    """The scopes granted to the caller; with ``full`` every scope the portal has."""
    if flag(_named(call).get("full")):
        known = known_scopes(current_context().registry)
        return sorted((PORTAL_SCOPES | known | set(call.scopes)) - {"basic"})
    return sorted(set(call.scopes) - {"basic"})


@REGISTRY.method("method.get", scope="basic")
def method_get(call: Call) -> dict[str, bool]:
    """``{"isExisting", "isAvailable"}`` for the method ``name`` (v1, or v3 if enabled)."""
    context = current_context()
    name = _named(call).get("name")
    if not isinstance(name, str) or not name:
        return {"isExisting": False, "isAvailable": False}
    found = [context.registry.find("v1", name)]
    if call.portal.v3_enabled:
        found.append(context.registry.find("v3", name))
    existing = [method for method in found if method is not None]
    available = any(context.identity.grants(method.scope) for method in existing)
    return {"isExisting": bool(existing), "isAvailable": available}


@REGISTRY.method("methods", scope="basic")
def methods(call: Call) -> list[str]:
    """Method names: ``full`` all, ``scope=X`` those of scope ``X`` (empty: the common
    ``basic`` ones), otherwise those the caller may call."""
    context = current_context()
    params = _named(call)
    every = _v1_methods(context.registry)
    if flag(params.get("full")):
        chosen = every
    elif "scope" in params:
        wanted = str(params["scope"] or "basic")
        chosen = [method for method in every if method.scope == wanted]
    else:
        chosen = [method for method in every if context.identity.grants(method.scope)]
    return [method.name for method in chosen]


@REGISTRY.method("app.info", scope="basic")
def app_info(call: Call) -> dict[str, Any]:
    """The calling application; a webhook is not one (``ACCESS_DENIED``)."""
    if current_context().identity.kind == "webhook":
        raise RestError(400, "ACCESS_DENIED", "Access denied! Application context required")
    return {
        "ID": 1,
        "CODE": "local.b24tui",
        "VERSION": 1,
        "STATUS": "L",
        "INSTALLED": True,
        "PAYMENT_EXPIRED": "N",
        "DAYS": None,
        "LANGUAGE_ID": "en",
        "LICENSE": "en_ent250",
        "LICENSE_TYPE": "ent250",
        "LICENSE_FAMILY": "ent",
    }


@REGISTRY.method("server.time", scope="basic")
def server_time(call: Call) -> str | None:
    """The portal clock's time in the server's zone, ``2024-08-05T09:02:13+00:00``
    (``server-time.md``): what clients use to measure their clock's offset."""
    return fmt_dt(call.now, call.portal.tz)
