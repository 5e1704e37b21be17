"""The schema describes the engine as it is: Config's fields, the glossary, the scalar engine's source."""
import json
import pathlib
import re
from dataclasses import fields

import pytest

from microgpt_lab import Config, scalar
from microgpt_lab.config import CHOICES, LIMITS, MIN_INCLUDED
from microgpt_lab.model import STAGES, describe
from microgpt_lab.schema import schema

SCHEMA = schema()


def test_config_fields_are_configs_own():
    assert [f["name"] for f in SCHEMA["config"]] == [f.name for f in fields(Config)]
    for entry, field in zip(SCHEMA["config"], fields(Config)):
        assert entry["default"] == field.default and entry["label"] and entry["help"].endswith(".")
        if entry["type"] == "choice":
            assert entry["choices"] == list(CHOICES[field.name])
        elif entry["type"] == "bool":
            assert field.type is bool and set(entry) == {"name", "label", "help", "type", "default"}
        else:
            assert (entry["min"], entry["max"]) == LIMITS[field.name]
            assert entry.get("min_exclusive", False) == (entry["type"] == "float" and field.name not in MIN_INCLUDED)
    for entry in SCHEMA["config"]:  # every range holds: one below min or above max is refused
        if entry["type"] == "int":
            for bad in (entry["min"] - 1, entry["max"] + 1):
                with pytest.raises(ValueError, match=entry["name"]):
                    Config(**{entry["name"]: bad})
        elif entry["type"] == "float":  # the smallest value is refused exactly when min_exclusive says so
            if entry["min_exclusive"]:
                with pytest.raises(ValueError, match=entry["name"]):
                    Config(**{entry["name"]: entry["min"]})
            else:
                assert getattr(Config(**{entry["name"]: entry["min"]}), entry["name"]) == entry["min"]


def test_config_texts_use_no_placeholders():
    for entry in SCHEMA["config"]:
        assert not re.findall(r"\{(\w+)\}", entry["help"]), entry["name"]


def test_the_cli_prints_it_and_writes_it(tmp_path, run_cli):
    printed = run_cli("schema")
    assert printed.returncode == 0 and json.loads(printed.stdout) == SCHEMA
    out = tmp_path / "schema.json"
    assert run_cli("schema", "--output", str(out)).returncode == 0
    assert json.loads(out.read_text()) == SCHEMA
    assert SCHEMA["trace"] == {"format": "microgpt-lab-trace", "version": 1} and SCHEMA["levels"] == ["loss", "full"]
    assert SCHEMA["model"] == {"version": describe(Config(), 27)["version"]}


def test_glossary_defines_every_term_the_lab_uses_once():
    glossary = SCHEMA["glossary"]
    words = [word.lower() for term in glossary for word in term["words"]]
    assert len(words) == len(set(words)), "a word may stand for one term only"
    for term in glossary:
        assert term["words"] and term["text"].endswith(".") and len(term["text"]) < 260, term["term"]
    needed = ["BOS", "token", "logits", "softmax", "temperature", "nats", "uniform", "loss", "EMA", "rmsnorm",
              "residual", "query", "attention weights", "head", "MLP", "relu", "lm_head", "gradient", "m and v",
              "learning-rate decay", "PCA", "variance explained", "checkpoint"]
    assert not [word for word in needed if word.lower() not in words]


def test_source_is_the_scalar_engines_own_lines():
    source = SCHEMA["source"]
    assert source["file"] == "microgpt_lab/scalar.py"
    text = (pathlib.Path(scalar.__file__)).read_text(encoding="utf-8").splitlines()
    functions = {f["name"]: f for f in source["functions"]}
    assert {"Value", "linear", "softmax", "rmsnorm", "gpt", "forward"} <= set(functions)
    for f in source["functions"]:
        first = f["first_line"]
        assert f["lines"] == text[first - 1 : first - 1 + len(f["lines"])], f["name"]
        assert f["lines"][0].lstrip().startswith(("def ", "class ")), f["name"]
    assert list(source["stages"]) == [stage.name for stage in STAGES]
    for stage in STAGES:
        entry = source["stages"][stage.name]
        code = [text[line - 1].split("#")[0].strip() for line in entry["lines"]]
        assert code == [line.strip() for line in stage.formula.splitlines()], stage.name
        assert set(entry["calls"]) <= set(functions), stage.name
    calls = {name: entry["calls"] for name, entry in source["stages"].items()}
    assert calls["rmsnorm"] == ["rmsnorm"] and calls["attn_wq"] == ["linear"] and calls["attention"] == ["softmax"]
    assert calls["relu"] == ["Value.relu"] and calls["loss"] == ["Value.log"] and calls["embedding"] == []
    gpt = functions["gpt"]
    assert all(gpt["first_line"] <= line < gpt["first_line"] + len(gpt["lines"]) for line in source["stages"]["lm_head"]["lines"])
