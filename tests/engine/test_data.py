"""Documents and the tokenizer, as microgpt builds them."""
import json
import math
import subprocess

import pytest

from microgpt_lab import Config, DataError, Session
from microgpt_lab.data import Tokenizer, clean_docs, fingerprint, split_docs


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
PREVIEW = """
import { readFileSync } from "node:fs";
const { fromBytes } = await import(process.argv[2]);
const cases = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map((text) => {
  const { num_docs, vocab } = fromBytes(new TextEncoder().encode(text), "case");
  return { num_docs, vocab };
})));
"""


def test_the_page_preview_splits_documents_as_the_engine_does(tmp_path, root):
    """The preview (web/js/sessions/datasets.js) counts the documents and
    characters the engine trains on, for every awkward character at a line's
    ends and inside it, and a byte-order mark (the CLI reads it, the browser's
    decoder drops it)."""
    filler = "emma\n" * 300  # keeps control characters under the preview's 1% binary threshold
    cases = [filler + f"{c}\n{c}ab{c}\n x{c}y \n{c}{c}" for c in AWKWARD]
    cases += ["\ufeffzoe\nava\n", "\ufeff\ufeffzoe\n", "mia\r\n\ufeffleo\r\r\n"]
    module = tmp_path / "datasets.mjs"
    module.write_text((root / "web" / "js" / "sessions" / "datasets.js").read_text())
    script = tmp_path / "preview.mjs"
    script.write_text(PREVIEW)
    result = subprocess.run(["node", str(script), str(module)], input=json.dumps(cases),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for text, preview in zip(cases, json.loads(result.stdout)):
        docs = split_docs(text)
        assert preview == {"num_docs": len(docs), "vocab": sorted(set("".join(docs)))}, repr(text[-20:])


def test_a_byte_order_mark_is_not_a_character(tmp_path):
    path = tmp_path / "names.txt"
    path.write_bytes("\ufeffemma\nava\n".encode("utf-8"))
    assert split_docs(path.read_text(encoding="utf-8")) == ["emma", "ava"]
