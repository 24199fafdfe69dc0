"""The portal's Content-Security-Policy, with the one exception Wagtail's admin needs."""

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/cms/"


class PortalCSPMiddleware(CSPMiddleware):
    """Wagtail 8's admin still writes inline scripts (inline panels, the date picker,
    choosers). Staff-only admin pages allow them; every other page keeps script-src 'self'."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            parts.update = update
        return parts
