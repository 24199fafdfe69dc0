from home.blocks import AccordionBlock, ContactBlock


def test_a_contact_shows_only_the_details_it_has():
    block = ContactBlock()
    value = block.to_python(
        {"organisation": "Demo SENDIASS", "helps_with": "Free advice.", "phone": "0113 496 0100"}
    )
    html = block.render(value)
    assert '<h3 class="govuk-heading-s">Demo SENDIASS</h3>' in html
    assert 'href="tel:01134960100"' in html
    assert "Email" not in html
    assert "Website" not in html
    assert "Opening hours" not in html


def test_the_accordion_gives_each_section_its_own_ids():
    block = AccordionBlock()
    value = block.to_python(
        {
            "sections": [
                {"heading": "One", "text": "<p>1</p>"},
                {"heading": "Two", "text": "<p>2</p>"},
            ]
        }
    )
    html = block.render(value, context={"id": "abc"})
    assert 'id="accordion-abc"' in html
    assert 'id="accordion-abc-heading-1"' in html
    assert 'id="accordion-abc-content-2"' in html
    assert '<p class="govuk-body">2</p>' in html
