import pytest

from demo.pages import seed_pages


@pytest.fixture
def seeded(db):
    return seed_pages()
