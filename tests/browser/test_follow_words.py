"""Follow a token's words: each backward moment says where its gradient comes
from and why it is larger or smaller than the moment before, in a sentence of
its own that is true of the code that ran (scalar.gpt) and quotes the step's
own numbers (those of a native run)."""

import math

from helpers import new_session, open_lab, panel, show_all_panels, take_steps, wait_data
from microgpt_lab import Config, Session

FOLLOW = "[data-panel=follow]"


def num(x):
    """A number as the page writes it (follow-words.js num)."""
    if abs(x) >= 1e4 or (x != 0 and abs(x) < 1e-3):
        mantissa, exponent = f"{x:.3e}".split("e")
        return f"{mantissa}e{int(exponent):+d}"
    return f"{x:.4f}"


def largest(values):
    return max(abs(x) for x in values)


def backward_sentences(page):
    """{stage: sentence} of every backward moment, walked with the keyboard from the loss."""
    follow = panel(page, "follow")
    follow.get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    moments = int(follow.get_attribute("data-moments"))
    sentences = {}
    for k in range(2, moments + 1):
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(k) => document.querySelector('[data-panel=follow] .panel-info').textContent"
                               ".includes(` ${k} of `)", arg=k)
        data = follow.evaluate("(el) => ({...el.dataset})")
        if data["moment"] == "backward":
            sentences[data["stage"]] = page.locator(f"{FOLLOW} .follow-text").text_content()
    return sentences


def test_each_backward_moment_says_where_its_gradient_comes_from(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20)
    take_steps(page, 3)
    wait_data(page, "follow", "step", "3")
    position = 2
    panel(page, "follow").locator(".tok").nth(position).click()
    wait_data(page, "follow", "position", str(position))
    session = Session.from_text(Config(num_steps=20), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(3):
        session.step()
    native = session.explain(position)
    grad = {stage["name"]: stage["backward"] for stage in native["stages"]}
    forward = {stage["name"]: stage["forward"] for stage in native["stages"]}

    said = backward_sentences(page)
    assert set(said) == set(grad)
    assert len(set(said.values())) == len(said), "every backward moment has a sentence of its own"

    # q, k and v are computed side by side from one input, not in a chain.
    for name, other in (("layer0.attn_wk", "attn_wv"), ("layer0.attn_wq", "attn_wk")):
        assert f"from layer0.{other}" not in said[name] and "share their input" in said[name], said[name]
    assert "side by side" in said["layer0.attn_norm"]
    for reader in ("attn_wq", "attn_wk", "attn_wv"):
        assert f"layer0.{reader}ᵀ" in said["layer0.attn_norm"]
    # k and v at this position are also read by every later position's attention.
    later = native["n"] - 1 - position
    assert f"{later} later position" in said["layer0.attn_wk"]
    assert f"{later + 1} outputs" in said["layer0.attn_wv"]

    # The residual's two paths add: the direct one is exactly the gradient after the block,
    # the other comes back through the MLP's rmsnorm; the jump from mlp_norm is explained.
    direct = grad["layer0.mlp_residual"]
    through = [g - d for g, d in zip(grad["layer0.attn_residual"], direct)]
    text = said["layer0.attn_residual"]
    assert "Two stages" in text and num(largest(direct)) in text and num(largest(through)) in text, text
    ratio = largest(grad["layer0.attn_residual"]) / largest(grad["layer0.mlp_norm"])
    assert f"{ratio:.2g} times" in text.replace("e+", "e"), text

    # The loss: 1/n; the probabilities: only the true token's, -1/(n p).
    assert num(1 / native["n"]) in said["loss"]
    p = native["probs"][native["target"]]
    assert num(grad["softmax"][native["target"]]) in said["softmax"] and num(p) in said["softmax"]

    # The residual passes the gradient unchanged to the block's output.
    assert grad["layer0.attn_wo"] == grad["layer0.attn_residual"]
    assert "unchanged" in said["layer0.attn_wo"]

    # relu: the numbers that were 0 or below get no gradient, and the sentence counts them.
    off = sum(1 for x in forward["layer0.mlp_fc1"] if not x > 0)
    assert f"({off} of the {len(forward['layer0.mlp_fc1'])} numbers here)" in said["layer0.mlp_fc1"]

    # The embedding's gradient grows through rmsnorm: 1 / its root mean square.
    rms = math.sqrt(sum(x * x for x in forward["embedding"]) / len(forward["embedding"]) + 1e-5)
    assert num(rms) in said["embedding"] and num(1 / rms) in said["embedding"]
