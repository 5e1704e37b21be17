"""The config form: every bad value is refused with the engine's message
naming the field and its range, and nothing that was saved changes."""

from helpers import new_session_refused, one_stored_step, set_value, stored

BAD_CONFIGS = [  # (field values, what the message says); the engine words the ranges
    ({"n_embd": ""}, "n_embd must be a number"),
    ({"block_size": "1e999"}, "block_size must be a number"),
    ({"n_layer": "2.5"}, "n_layer must be a whole number"),
    ({"n_embd": "-4"}, "n_embd must be an integer from 1 to 256, got -4"),
    ({"n_layer": "-1"}, "n_layer must be an integer from 0 to 12, got -1"),
    ({"num_steps": "0"}, "num_steps must be an integer from 1 to 1000000, got 0"),
    ({"seed": "-1"}, "seed must be an integer from 0"),
    ({"n_embd": "15"}, "n_embd (15) must be divisible by n_head (4)"),
    ({"n_embd": "256", "n_layer": "12"}, "the limit is 500,000"),
    ({"learning_rate": "0"}, "learning_rate must be a number greater than 0 and at most 1"),
    ({"temperature": "-0.5"}, "temperature must be a number greater than 0.001 and at most 10"),
    ({"temperature": "1e-310"}, "temperature must be a number greater than 0.001 and at most 10, got 1e-310"),
]


def test_bad_config_values_are_refused_and_nothing_changes(lab_page, site_url):
    page = lab_page
    kept, before = one_stored_step(page, site_url)
    defaults = {name: page.input_value(f"#cfg-{name}") for values, _ in BAD_CONFIGS for name in values}
    for values, problem in BAD_CONFIGS:
        for name, value in values.items():
            set_value(page, name, value)
        assert problem in new_session_refused(page, problem)
        assert page.evaluate("() => window.lab.state.current") == kept
        for name in values:
            set_value(page, name, defaults[name])
    assert stored(page) == before
    assert page.locator("#status").text_content() == "ready"
