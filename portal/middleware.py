"""The portal's Content-Security-Policy, with the exceptions Wagtail's admin needs."""

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/cms/"


class PortalCSPMiddleware(CSPMiddleware):
    """Staff-only admin pages get what Wagtail 8's admin needs; every other page keeps
    script-src 'self' and style-src 'self', with no inline code or style at all.

    - Inline scripts: Wagtail's date pickers and inline panels write them (the page editor's
      schedule dialog has two), without a nonce it could carry; a nonce in the policy would
      turn 'unsafe-inline' off, so the admin keeps 'unsafe-inline'.
    - Inline styles: its rich text editor (Draftail) writes <style> elements from script,
      with varying content and no nonce, and its panels set style attributes, which no
      nonce can cover; blocked, they filled the page editor's console with violations.
      Styles run no code."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            update["style-src"] = [*update.get("style-src", []), "'unsafe-inline'"]
            parts.update = update
        return parts
