"""Documents and the tokenizer, as microgpt builds them."""
import math

import pytest

from microgpt_lab import Config, DataError, Session, data
from microgpt_lab.data import Tokenizer, clean_docs, describe, fingerprint, split_docs


@pytest.mark.parametrize("docs", [[], ["", "  ", "\t"]])
def test_empty_dataset(docs):
    with pytest.raises(DataError, match="no documents"):
        Session(Config(), docs)


def test_text_splitting_matches_the_original():
    text = "emma\r\nolivia\n\n  ava  \rmia\n"
    assert Session.from_text(Config(), text).file_docs == ["emma", "olivia", "ava", "mia"]


def test_unicode_documents_train():
    session = Session(Config(n_embd=8, n_head=2), ["zoë", "chloé", "😀smile", "naïve"])
    assert "😀" in session.vocab
    assert math.isfinite(session.step()["loss"])




def test_tokens_are_sorted_characters_then_bos():
    tokenizer = Tokenizer(["ava", "emma"])
    assert tokenizer.uchars == ["a", "e", "m", "v"] and tokenizer.BOS == 4 and tokenizer.vocab_size == 5
    assert tokenizer.encode("emma") == [4, 1, 2, 2, 0, 4]
    assert tokenizer.decode([4, 1, 2, 2, 0, 4]) == "emma"
    assert [tokenizer.label(i) for i in (0, 4)] == ["a", "BOS"]


def test_docs_are_cleaned_and_fingerprinted_in_file_order():
    assert split_docs("a\r\nb\rc\n") == ["a", "b", "c"]
    with pytest.raises(DataError, match="list of strings"):
        clean_docs("emma\nava")
    assert fingerprint(["emma", "ava"]) != fingerprint(["ava", "emma"])
    assert len(fingerprint(["emma"])) == 64


# Python's whitespace, JavaScript's trim() set, a byte-order mark, and their neighbours.
AWKWARD = "\t\x0b\x0c\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\x7f"


def test_the_preview_describes_what_the_engine_trains_on():
    """describe (the page's preview) counts the documents and characters the tokenizer sees, for every
    awkward character at a line's ends and inside it, and a byte-order mark."""
    filler = "emma\n" * 300  # keeps control characters under the 1% binary threshold
    cases = [filler + f"{c}\n{c}ab{c}\n x{c}y \n{c}{c}" for c in AWKWARD]
    cases += ["\ufeffzoe\nava\n", "\ufeff\ufeffzoe\n", "mia\r\n\ufeffleo\r\r\n"]
    for text in cases:
        preview = describe(text)
        docs = split_docs(text)
        assert preview["num_docs"] == len(docs) and preview["vocab"] == Tokenizer(docs).uchars, repr(text[-20:])
        assert preview["num_bytes"] == len(text.encode("utf-8"))
    assert describe("ava\r\n\r\n  sophia \nmia")["longest"] == {"line": 3, "chars": 6}


def test_one_size_limit_for_every_text_said_without_contradiction():
    limit = data.MAX_BYTES
    exact = ("a" * 999 + "\n") * 10485 + "a" * 759 + "\n"
    assert describe(exact)["num_bytes"] == limit
    with pytest.raises(DataError, match=r"^the text is 12\.0 MB, over the limit of 10 MB$"):
        describe("anna\n" * (12 * 1024 * 1024 // 5))
    with pytest.raises(DataError, match=r"^the text is 10,485,761 bytes, over the limit of 10,485,760 bytes \(10 MB\)$"):
        describe("é" + exact[1:])  # é is 2 bytes in UTF-8: one over
    with pytest.raises(DataError, match=r"^the file is 10,485,761 bytes, over the limit of 10,485,760 bytes \(10 MB\)$"):
        data.check_size(limit + 1)
    with pytest.raises(DataError, match=r"^the file is 20\.0 MB, over the limit of 10 MB$"):
        data.check_size(20 * 1024 * 1024)
    data.check_size(limit)


@pytest.mark.parametrize("text, problem", [
    ("", "the text is empty"),
    ("emma\nav\ud800a\n", "line 2, character 3 is half of a character (the lone surrogate U+D800)"),
    ("emma\n\udc00", "line 2, character 1 is half of a character (the lone surrogate U+DC00)"),
    ("anna\x00bob\n" * 10, "binary file (it contains NUL characters)"),
    ("a\x01b\x02c\x03\n" * 20, "60 of its 140 characters are control characters"),
    ("\n   \r\n\t\n", "only blank lines"),
    ("a\n" * 200_001, "it has 200,001 documents (non-blank lines), over the limit of 200,000"),
    ("\ufeffanna\r\nbob\n" + "x" * 1001 + "\n", "line 3 is 1,001 characters long"),
], ids=["empty", "lone-high-surrogate", "lone-low-surrogate", "nul", "control", "blank", "many", "long-line"])
def test_a_text_the_engine_cannot_train_on_is_named(text, problem):
    with pytest.raises(DataError) as refused:
        describe(text)
    assert problem in str(refused.value)


def test_a_byte_order_mark_is_not_a_character(tmp_path):
    path = tmp_path / "names.txt"
    path.write_bytes("\ufeffemma\nava\n".encode("utf-8"))
    assert split_docs(path.read_text(encoding="utf-8")) == ["emma", "ava"]
