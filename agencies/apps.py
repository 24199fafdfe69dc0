from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Agencies and people"

    def ready(self):
        from agencies import audit  # noqa: F401  (connects the sign-in and MFA receivers)
