"""Imports in the staff admin, where the records they write are kept: a menu item for
those who may import, and the screens' URLs (imports/urls.py)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from imports.views import may_import_something


class ImportsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import_something(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ImportsMenuItem("Imports", reverse("imports:index"), icon_name="upload", order=450)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("imports/", include("imports.urls"))]
