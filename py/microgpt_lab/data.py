"""Documents and the character tokenizer, as microgpt builds them, and the limits of a dataset."""
import hashlib
import re

BOS_LABEL = "BOS"  # how the lab shows the begin/end-of-document token

# What a browser tab can hold and train on; one rule for a file, a download and pasted text.
MAX_BYTES = 10 * 1024 * 1024  # the text in UTF-8 (a file's size), "10 MB"
MAX_DOCS = 200_000
MAX_DOC_CHARS = 1_000
MAX_CONTROL_SHARE = 0.01  # more control characters than this share of the text: not text
MB = 1024 * 1024
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair, which JSON can carry from the page
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # but tab, line feed, form feed, carriage return


class DataError(ValueError):
    """A dataset that cannot be trained on; the message says why."""


def split_docs(text):
    """One document per line, stripped, empty lines dropped (as the original reads input.txt).

    Mixed line endings are normalised first, as Python's text-mode open() does,
    and a leading byte-order mark is dropped, as the browser's decoder does
    (it is how a file was encoded, not a character of its first document).
    The page's preview is the engine's (describe).
    """
    return [line.strip() for line in lines(text) if line.strip()]


def lines(text):
    """The text's lines: a leading byte-order mark dropped, \\r\\n, \\r and \\n all ending one."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_size(num_bytes, what="the file"):
    """Refuse a dataset of more than MAX_BYTES (a file's size, before it is read)."""
    if num_bytes > MAX_BYTES:
        raise DataError(f"{what} is {over_limit(num_bytes, MAX_BYTES)}")


def over_limit(num_bytes, limit):
    """ "12.1 MB, over the limit of 10 MB", in bytes where megabytes would read as no excess
    ("10.0 MB, over the limit of 10 MB")."""
    shown, most = f"{num_bytes / MB:.1f} MB", f"{limit / MB:g} MB"
    if shown == f"{limit / MB:.1f} MB":
        shown, most = f"{num_bytes:,} bytes", f"{limit:,} bytes ({most})"
    return f"{shown}, over the limit of {most}"


def describe(text):
    """Check a dataset's text before anything trains on it, and describe it for the page's preview:
    {num_docs, vocab, longest: {line, chars}, num_bytes}. The documents are split_docs'; a DataError
    names the first problem (empty, half a character, too large, binary, blank, a line too long, too many)."""
    if not text:
        raise DataError("the text is empty")
    half = LONE_SURROGATE.search(text)
    if half:
        before = text[: half.start()]
        line, column = before.count("\n") + 1, half.start() - before.rfind("\n")
        raise DataError(f"line {line}, character {column} is half of a character (the lone surrogate "
                        f"U+{ord(half.group()):04X}): the text was cut or copied badly there; remove it")
    num_bytes = len(text.encode("utf-8"))
    check_size(num_bytes, "the text")
    if "\x00" in text:
        raise DataError("this looks like a binary file (it contains NUL characters), not text")
    control = len(CONTROL.findall(text))
    if control > len(text) * MAX_CONTROL_SHARE:
        raise DataError(f"this looks like a binary file: {control:,} of its {len(text):,} characters are control "
                        "characters")
    num_docs, characters, longest = 0, set(), {"line": 0, "chars": 0}
    for number, line in enumerate(lines(text), 1):
        doc = line.strip()
        if not doc:
            continue
        num_docs += 1
        characters.update(doc)
        if len(doc) > longest["chars"]:
            longest = {"line": number, "chars": len(doc)}
        if len(doc) > MAX_DOC_CHARS:
            raise DataError(f"line {number:,} is {len(doc):,} characters long; a document (one line) may have at "
                            f"most {MAX_DOC_CHARS:,}")
    if not num_docs:
        raise DataError("it has only blank lines; put one document (a name, a word, a line of text) per line")
    if num_docs > MAX_DOCS:
        raise DataError(f"it has {num_docs:,} documents (non-blank lines), over the limit of {MAX_DOCS:,}")
    return {"num_docs": num_docs, "vocab": sorted(characters), "longest": longest, "num_bytes": num_bytes}


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
