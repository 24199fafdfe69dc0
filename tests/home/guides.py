"""The guides the seed publishes, by slug: the footer and the home page link to them."""

GUIDE_SLUGS = [
    "annual-review",
    "advocacy",
    "if-you-disagree",
    "preparing-for-adulthood",
    "words-we-use",
    "help",
    "accessibility",
    "privacy",
]
