"""Staff keep each authority's mediation service in the Wagtail admin: its contact details go
in every decision letter."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from decisions.models import MediationService


class MediationServiceViewSet(ModelViewSet):
    model = MediationService
    icon = "help"
    menu_label = "Mediation services"
    add_to_settings_menu = True
    form_fields = ["authority", "name", "phone", "email", "website"]
    list_display = ["name", "authority"]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return MediationServiceViewSet("decisions_mediation_service",
                                   url_prefix="decisions/mediation-services")
