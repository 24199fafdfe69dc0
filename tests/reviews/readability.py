"""How hard a page is to read: the Flesch-Kincaid grade of the words a page shows in its
main content (this module holds no tests).

Each heading, paragraph, list item, table cell, label, hint and link is read as a sentence
of its own, as a reader meets it (a heading has no full stop, but it is not part of the next
sentence). What people typed (advice, views, reasons) is not the portal's to simplify, so
the fixtures give plain text there; form fields' own text is left out.
"""

import re
from html.parser import HTMLParser

import textstat

# Reading age 9 to 11: grade 5 or lower.
MAX_GRADE = 5.0

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "td", "th", "label", "legend",
           "a", "button", "span", "div", "caption", "summary", "strong", "title"}
_SKIPPED = {"script", "style", "textarea", "select", "option", "svg"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.in_main = False

    def _flush(self):
        text = re.sub(r"\s+", " ", " ".join(self.current)).strip()
        if text:
            self.pieces.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if ("id", "main-content") in attrs:
            self.in_main = True
        if tag in _SKIPPED:
            self.skipping += 1
        if tag in _BLOCKS or tag == "br":
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        if tag in _BLOCKS:
            self._flush()
        if tag == "main":
            self._flush()
            self.in_main = False

    def handle_data(self, data):
        if self.in_main and not self.skipping:
            self.current.append(data)


# Read out as an address or a number, not as words: left out.
_NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\b0\d{3,4}(?: \d{3,4}){1,2}\b")


def sentences(html: str) -> list[str]:
    """The main content's text, one sentence (or heading, item, label...) each."""
    parser = _Text()
    parser.feed(html)
    parser._flush()
    return split(parser.pieces)


def email_sentences(text: str) -> list[str]:
    """A plain text email's sentences: each line is read as its own."""
    return split(text.splitlines())


def split(pieces) -> list[str]:
    found = []
    for piece in pieces:
        piece = _NOT_WORDS.sub("", piece)
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", piece) if re.search(r"\w", s)]
    return found


def grade(texts: list[str]) -> float:
    """Flesch-Kincaid grade of these sentences, each ended with a full stop."""
    text = " ".join(t if t[-1] in ".!?" else f"{t}." for t in texts)
    return textstat.flesch_kincaid_grade(text)


def hardest(texts: list[str], n: int = 8) -> list[tuple[float, str]]:
    """The sentences that raise the grade most: what to rewrite first."""
    return sorted(((textstat.flesch_kincaid_grade(t if t[-1] in ".!?" else f"{t}."), t)
                   for t in texts), reverse=True)[:n]
