"""Take the weights with you (#13): Export weights writes the session's
weights as .safetensors (a little-endian u64 header length, a JSON header,
raw little-endian float64s), exactly the native engine's after the same
steps, holding exactly the config's matrices; and the command shown for the
session trains the same run natively."""

import json
import os
import shlex
import struct
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect

from helpers import TOL, alert_says, new_session, open_lab, run_console, run_to_end, take_steps

from microgpt_lab.config import Config
from microgpt_lab.session import Session

ROOT = Path(__file__).resolve().parents[2]


def read_safetensors(path):
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    assert length % 8 == 0
    header = json.loads(raw[8:8 + length])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F64"
        rows, cols = info["shape"]
        begin, end = info["data_offsets"]
        values = struct.unpack(f"<{rows * cols}d", raw[8 + length + begin:8 + length + end])
        tensors[name] = [list(values[r * cols:(r + 1) * cols]) for r in range(rows)]
    return header["__metadata__"], tensors


def test_export_weights_and_the_native_command(lab_page, site_url, dist_dir, tmp_path):
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=8, learning_rate=0.02, n_embd=8, n_head=2)
    run_to_end(page, session)

    command = page.locator("#train-command")
    expect(command).to_have_text("python -m microgpt_lab train --data data/names.txt --n-embd 8 --n-head 2 "
                                 "--learning-rate 0.02 --steps 8")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export weights").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == f"microgpt-lab-{session}-step8.safetensors"
    metadata, tensors = read_safetensors(path)
    assert metadata["step"] == "8" and json.loads(metadata["config"])["learning_rate"] == 0.02
    vocab = json.loads(metadata["vocab"])
    assert metadata["bos"] == str(len(vocab))

    text = (dist_dir / "data" / "names.txt").read_text()
    native = Session.from_text(Config(num_steps=8, learning_rate=0.02, n_embd=8, n_head=2), text)
    for _ in range(8):
        native.step("loss")
    # The page's engine's float64s as they are; the native engine's agree to
    # TOL (Pyodide's libm and the native one differ in the last bits).
    assert list(tensors) == list(native.state_dict)
    for name, rows in tensors.items():
        worst = max(abs(a - b) for row, native_row in zip(rows, native.state_dict[name]) for a, b in zip(row, native_row))
        assert worst < TOL, (name, worst)
        assert [len(row) for row in rows] == [len(row) for row in native.state_dict[name]]

    # The command, run natively from the repository, ends with the page's loss.
    trace = tmp_path / "run.json"
    args = shlex.split(command.text_content())[3:]  # after "python -m microgpt_lab"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
    subprocess.run([sys.executable, "-m", "microgpt_lab", *args, "--samples", "0", "--trace", str(trace)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    native_steps = json.loads(trace.read_text())["steps"]
    page_steps = page.evaluate("(id) => window.lab.steps(id)", session)
    assert len(native_steps) == len(page_steps) == 8
    assert abs(native_steps[-1]["loss"] - page_steps[-1]["loss"]) < TOL


def test_export_writes_the_configs_matrices_whatever_the_console_tried(lab_page, site_url, dist_dir, tmp_path):
    """A row made longer, a __metadata__ or __proto__ matrix, a NaN: typed in
    the console they are refused, and the file holds exactly the config's
    matrices with the native engine's numbers (a longer row shifted every
    later matrix's bytes; __metadata__ replaced the file's metadata; a NaN
    exported an older checkpoint without a word)."""
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=8, n_embd=8, n_head=2)
    take_steps(page, 2)
    for code in ["state_dict['wte'][0].append(1.0)", "state_dict['__metadata__'] = {'step': '999'}",
                 "state_dict['__proto__'] = [[0.0] * 8]", "state_dict['wte'][0][0] = float('nan')",
                 f"import microgpt_lab.worker as w\nw.sessions[{session!r}].state_dict['wte'][0].append(1.0)"]:
        assert run_console(page, code)[0] == "error", code

    with page.expect_download() as download:
        page.get_by_role("button", name="Export weights").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    metadata, tensors = read_safetensors(path)
    assert metadata["step"] == "2" and json.loads(metadata["config"])["n_embd"] == 8
    native = Session.from_text(Config(num_steps=8, n_embd=8, n_head=2), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(2):
        native.step("loss")
    assert list(tensors) == list(native.state_dict)
    for name, rows in tensors.items():
        assert [len(row) for row in rows] == [len(row) for row in native.state_dict[name]], name
        assert max(abs(a - b) for row, native_row in zip(rows, native.state_dict[name])
                   for a, b in zip(row, native_row)) < TOL, name


def test_a_watching_tab_exports_the_saved_weights_and_says_which(lab_page, site_url, tmp_path):
    first = lab_page
    open_lab(first, site_url)
    session = new_session(first, num_steps=50)
    take_steps(first, 3)  # each manual step is checkpointed
    second = first.context.new_page()
    open_lab(second, site_url)
    second.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    with second.expect_download() as download:
        second.get_by_role("button", name="Export weights").click()
    assert download.value.suggested_filename == f"microgpt-lab-{session}-step3.safetensors"
    alert_says(second, "Exported the weights saved at step 3: another tab trains this session")
    second.close()
