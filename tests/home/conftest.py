import pytest

from home.demo import seed_pages


@pytest.fixture
def seeded(db):
    return seed_pages()
