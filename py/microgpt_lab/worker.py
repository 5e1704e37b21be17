"""SCAFFOLD (replaced when h-engine merges): call(name, fields_json) over lab.py."""
import json

from . import lab


def call(name, fields_json):
    f = json.loads(fields_json)
    s = f.get("session")
    if name == "open":
        return lab.open(s, json.dumps(f["config"]), f["text"])
    if name == "restore":
        return lab.restore(s, json.dumps(f["checkpoint"]), f["text"])
    if name == "step":
        return lab.step(s, f.get("level", "full"))
    if name == "sample":
        return lab.sample(s, f["num_samples"], f["temperature"])
    if name in ("reset", "checkpoint", "close", "embedding_map"):
        return getattr(lab, name)(s)
    if name == "check_config":
        return lab.check_config(json.dumps(f["config"]))
    if name == "check_trace":
        return lab.check_trace(f["text"])
    if name == "matrix":
        return lab.inspect_matrix(s, f["name"])
    if name == "next_token":
        return lab.probe(s, f["context"])
    if name == "console":
        return lab.console(s, f["code"])
    return json.dumps({"error": f"unknown request {name!r}"})
