from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, InformationPage


class PageTypeRules(WagtailPageTestCase):
    def test_the_home_page_sits_at_the_root_and_holds_information_pages(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {InformationPage})

    def test_an_information_page_goes_under_the_home_page_or_another_information_page(self):
        self.assertAllowedParentPageTypes(InformationPage, {HomePage, InformationPage})
        self.assertAllowedSubpageTypes(InformationPage, {InformationPage})
        self.assertCanNotCreateAt(Page, InformationPage)

    def test_there_is_only_one_home_page(self):
        self.assertEqual(HomePage.max_count, 1)

    def test_new_information_pages_are_listed_on_their_parent_by_default(self):
        self.assertTrue(InformationPage().show_in_menus)
