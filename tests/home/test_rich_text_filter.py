from wagtail.rich_text import RichText

from home.templatetags.govuk_richtext import add_govuk_classes, govuk_richtext


def test_the_rich_text_filter_adds_govuk_classes():
    html = (
        '<h2 data-block-key="a">Time limits</h2><h3>Mediation</h3>'
        '<p data-block-key="b">Read <a href="/help/">help</a>.</p>'
        "<ul><li>one</li></ul><ol><li>first</li></ol>"
    )
    assert add_govuk_classes(html) == (
        '<h2 class="govuk-heading-m" data-block-key="a">Time limits</h2>'
        '<h3 class="govuk-heading-s">Mediation</h3>'
        '<p class="govuk-body" data-block-key="b">Read '
        '<a class="govuk-link" href="/help/">help</a>.</p>'
        '<ul class="govuk-list govuk-list--bullet"><li>one</li></ul>'
        '<ol class="govuk-list govuk-list--number"><li>first</li></ol>'
    )


def test_it_keeps_text_entities_and_other_tags_as_they_were():
    html = '<p>Fish &amp; chips &#8211; <b>bold</b><br/>next &lt;line&gt;</p><abbr>SEN</abbr>'
    assert add_govuk_classes(html) == (
        '<p class="govuk-body">Fish &amp; chips &#8211; <b>bold</b><br/>next &lt;line&gt;</p>'
        "<abbr>SEN</abbr>"
    )


def test_it_keeps_an_existing_class_and_escapes_attribute_values():
    html = '<a class="external" href="https://example.org/?a=1&amp;b=&quot;2&quot;">x</a>'
    assert add_govuk_classes(html) == (
        '<a class="govuk-link external" href="https://example.org/?a=1&amp;b=&quot;2&quot;">x</a>'
    )


def test_the_filter_renders_a_rich_text_value_and_database_html():
    assert govuk_richtext(RichText("<p>Hello</p>")) == '<p class="govuk-body">Hello</p>'
    assert govuk_richtext("<h2>Hello</h2>") == '<h2 class="govuk-heading-m">Hello</h2>'
    assert govuk_richtext(None) == ""
