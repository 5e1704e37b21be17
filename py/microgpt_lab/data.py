"""Documents and the character tokenizer, as microgpt builds them."""
import hashlib

BOS_LABEL = "BOS"  # how the lab shows the begin/end-of-document token


class DataError(ValueError):
    """A dataset that cannot be trained on; the message says why."""


def split_docs(text):
    """One document per line, stripped, empty lines dropped (as the original reads input.txt).

    Mixed line endings are normalised first, as Python's text-mode open() does,
    and a leading byte-order mark is dropped, as the browser's decoder does
    (it is how a file was encoded, not a character of its first document).
    The page's preview follows this rule exactly (web/js/sessions/datasets.js).
    """
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]


def clean_docs(docs):
    if isinstance(docs, str) or not all(isinstance(doc, str) for doc in docs):
        raise DataError("docs must be a list of strings (one document per line)")
    docs = [doc.strip() for doc in docs if doc.strip()]
    if not docs:
        raise DataError("the dataset has no documents: every line is empty")
    return docs


def fingerprint(docs):
    """A stable id of a dataset: sha256 of its documents in file order."""
    return hashlib.sha256("\n".join(docs).encode("utf-8")).hexdigest()


class Tokenizer:
    """Characters -> ids: uchars sorted, then BOS = len(uchars) as the one special token."""

    def __init__(self, docs):
        self.uchars = sorted(set("".join(docs)))
        self.index = {ch: i for i, ch in enumerate(self.uchars)}
        self.BOS = len(self.uchars)
        self.vocab_size = len(self.uchars) + 1

    def encode(self, doc):
        return [self.BOS] + [self.index[ch] for ch in doc] + [self.BOS]

    def decode(self, ids):
        return "".join(self.uchars[i] for i in ids if i != self.BOS)

    def label(self, token_id):
        """How the lab shows a token: its character, or BOS."""
        return BOS_LABEL if token_id == self.BOS else self.uchars[token_id]
