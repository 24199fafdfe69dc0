"""StreamField blocks for information pages, each rendering GOV.UK Frontend markup."""

from wagtail import blocks

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "ul", "ol", "link"]
SHORT_TEXT_FEATURES = ["bold", "link"]


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        template = "home/blocks/rich_text.html"
        icon = "pilcrow"
        label = "Text"


class InsetTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", SHORT_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        template = "home/blocks/inset_text.html"
        icon = "openquote"
        label = "Inset text"
        help_text = "Something the reader should not miss, such as a deadline or a right."


class WarningTextBlock(blocks.TextBlock):
    class Meta:
        template = "home/blocks/warning_text.html"
        icon = "warning"
        label = "Warning text"
        help_text = "Only for something with a legal or serious consequence, in one sentence."


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120, help_text="The link text, as a question.")
    text = RichTextBlock(features=["bold", "ul", "ol", "link"])

    class Meta:
        template = "home/blocks/details.html"
        icon = "help"
        label = "Details (show and hide)"


class AccordionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = RichTextBlock(features=["h3", "bold", "ul", "ol", "link"])

    class Meta:
        icon = "doc-full"
        label = "Section"


class AccordionBlock(blocks.StructBlock):
    sections = blocks.ListBlock(AccordionSectionBlock(), min_num=1)

    class Meta:
        template = "home/blocks/accordion.html"
        icon = "list-ul"
        label = "Accordion"


class ContactBlock(blocks.StructBlock):
    organisation = blocks.CharBlock(max_length=120)
    helps_with = blocks.TextBlock(label="What they help with")
    phone = blocks.CharBlock(max_length=40, required=False)
    email = blocks.EmailBlock(required=False)
    website = blocks.URLBlock(required=False)
    opening_hours = blocks.CharBlock(max_length=200, required=False)

    class Meta:
        template = "home/blocks/contact.html"
        icon = "user"
        label = "Contact details"
        help_text = "Put it under a heading: the organisation's name is a level 3 heading."


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(max_length=80, help_text="The word or the short form, as people "
                                                     "say it. For example: SENCO.")
    meaning = blocks.TextBlock(help_text="What it means, in one or two short sentences.")

    class Meta:
        icon = "help"
        label = "Word"


class GlossaryBlock(blocks.StructBlock):
    terms = blocks.ListBlock(GlossaryTermBlock(), min_num=1)

    class Meta:
        template = "home/blocks/glossary.html"
        icon = "list-ul"
        label = "Glossary (words and what they mean)"


class BodyBlock(blocks.StreamBlock):
    text = RichTextBlock()
    inset_text = InsetTextBlock()
    warning_text = WarningTextBlock()
    details = DetailsBlock()
    accordion = AccordionBlock()
    contact = ContactBlock()
    glossary = GlossaryBlock()
