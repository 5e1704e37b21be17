"""The trace check is total: thousands of mutations of a valid trace, field by
field, are each refused with a message naming a field or accepted whole, and
nothing but TraceError ever leaves it (natively; test_pyodide.py runs the
deep-nesting case in Pyodide)."""
import json
import random
import time

import pytest

from microgpt_lab import trace, worker
from tools.trace_fuzz import mutations, valid_trace


@pytest.mark.slow  # 4,000 mutations
def test_thousands_of_mutations_are_refused_with_a_message_or_accepted():
    refused = accepted = 0
    for where, how, text in mutations(valid_trace(), random.Random(14), 4000):
        try:
            trace.check(trace.parse(text))
        except trace.TraceError as error:
            assert str(error), (where, how)
            refused += 1
            ok = False
        else:
            accepted += 1
            ok = True
        answer = json.loads(worker.call("check_trace", json.dumps({"text": text})))
        assert set(answer) == ({"config", "model", "num_steps", "num_samples"} if ok else {"error"}), (where, how, answer)
    assert refused > 1000 and accepted > 100, (refused, accepted)


def test_deep_nesting_is_refused_before_parsing():
    for text in ("[" * 200_000, "[" * 200_000 + "]" * 200_000, '{"a":' * 100_000 + "1" + "}" * 100_000):
        started = time.perf_counter()
        answer = json.loads(worker.call("check_trace", json.dumps({"text": text})))
        assert "nest more than" in answer["error"]
        assert time.perf_counter() - started < 1


def test_a_huge_integer_is_named_not_raised():
    data = valid_trace()
    data["samples"][0]["step"] = 10**400
    answer = json.loads(worker.call("check_trace", json.dumps({"text": json.dumps(data)})))
    assert answer["error"] == "samples[0].step must be an integer from 0 to 20, got an integer of 401 digits"
    data["samples"][0]["step"] = "STEP"
    text = json.dumps(data).replace('"STEP"', "9" * 5000)
    answer = json.loads(worker.call("check_trace", json.dumps({"text": text})))
    assert "not JSON" in answer["error"] and "digits" in answer["error"]
