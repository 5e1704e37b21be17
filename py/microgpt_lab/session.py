"""A training session: microgpt's data, model, loop and sampler behind one object.

One `random.Random(seed)` is drawn from in microgpt's order: shuffle the
documents, initialise the weights, then sample. Training draws nothing.
With config.held_out > 0, the last documents of the shuffle are kept out of
training, and a fixed few of them measure the loss on unseen text now and then.
"""
import math
import random

from . import bigram, explain, scalar, vector
from .config import MAX_SAMPLES, Config, ConfigError, check_number
from .data import DataError, Tokenizer, clean_docs, fingerprint, split_docs
from .engine import Engine
from .instrument import LEVELS, Stages, param_stats, top_k
from .model import init_state_dict, matrix_shapes, softmax
from .optim import OPTIMIZERS

ENGINE_MODULES: dict[str, Engine] = {"vector": vector, "scalar": scalar}  # config.ENGINES' names -> their modules
CHECKPOINT_FORMAT, CHECKPOINT_VERSION = "microgpt-lab-checkpoint", 1
# The held-out loss is measured on step 1, every HELD_OUT_EVERY steps and the last step, on the first
# HELD_OUT_DOCS held-out documents (a fixed set, so the curve does not jump with the documents drawn).
# Forward only, the 32 cost about 6 training steps of the default config's vector engine (CPU time,
# natively; 5 in Pyodide): measured every 100 steps that is 5-6% of the training time, every 50, 10-13%.
# The scalar engine's forward builds the Value graph: 30 of its steps, 30% at every 100.
HELD_OUT_EVERY, HELD_OUT_DOCS = 100, 32


class SessionError(ValueError):
    """A request the session cannot carry out; the message says why."""


def microgpt_step(engine, optimizer, state_dict, config, tokens, step, stages):
    """One step of microgpt's training loop on one document's tokens: forward, loss, backward, update.

    The original's loop body (tools/bench_original_program.py), line for line:

        n = min(block_size, len(tokens) - 1)
        for pos_id in range(n): ... losses.append(loss_t)   # forward, each position's loss  } engine.train_step
        loss = (1 / n) * sum(losses)                         # the document's loss           }
        loss.backward()                                      # every weight's gradient       }
        lr_t = learning_rate * (1 - step / num_steps)       # linear learning rate decay
        for i, p in enumerate(params): ... p.data -= ...     # the update: optimizer.step

    Everything the lab adds (the step's event, the held-out loss, the divergence check) is
    Session.step's, around this; the stage times go to `stages`.
    """
    result = engine.train_step(state_dict, tokens, config, stages)
    lr_t = config.learning_rate * (1 - step / config.num_steps)
    optimizer.step(state_dict, result.grads, lr_t, step)
    return result, lr_t


class NoStepHere(SessionError):
    """explain asked of a session that has taken no step since it was opened, reset or restored (a
    worker keeps only the last step's graph): the page then asks time travel's rebuild of the step."""


class Diverged(SessionError):
    """A step whose numbers left what a float holds: the weights stay as they were. `data` says it as
    data for the page to word: {"step": the step that failed (1-based), "cause": a word of CAUSES,
    "learning_rate": the configured rate}."""

    # cause -> what happened, in the message's words
    CAUSES = {
        "zero_probability": "the true next token's probability fell to 0, so its loss, -log 0, is infinite",
        "overflow": "a number grew past what a float can hold",
        "not_a_number": "the loss or a gradient stopped being a number (inf or nan)",
    }

    def __init__(self, step, cause, learning_rate):
        self.data = {"step": step, "cause": cause, "learning_rate": learning_rate}
        super().__init__(
            f"training diverged at step {step} ({self.CAUSES[cause]}); the weights were left as they were: "
            f"lower learning_rate (now {learning_rate:g})"
        )


class Session:
    def __init__(self, config, docs):
        if not isinstance(config, Config):
            raise ConfigError(f"config must be a Config, got {type(config).__name__}")
        self.config = config
        self.file_docs = clean_docs(docs)  # in file order; the shuffle happens in reset()
        self.fingerprint = fingerprint(self.file_docs)
        self.tokenizer = Tokenizer(self.file_docs)
        config.check_size(self.tokenizer.vocab_size)
        if held_out_count(config.held_out, len(self.file_docs)) >= len(self.file_docs):
            raise DataError(f"held_out {config.held_out:g} would keep the dataset's only document out of training: "
                            "set held_out to 0 or add documents")
        self.engine = ENGINE_MODULES[config.engine]
        self.counted = None  # the counting bigram (bigram()), kept once made: a pass over the data
        self.reset()

    @classmethod
    def from_text(cls, config, text):
        """Documents are the text's non-empty lines, stripped (as the original reads input.txt)."""
        return cls(config, split_docs(text))

    @property
    def vocab(self):
        return self.tokenizer.uchars

    @property
    def num_params(self):
        return self.config.num_params(self.tokenizer.vocab_size)

    def reset(self):
        """Back to step 0: reshuffle and reinitialise from the seed, so the weights are the same."""
        self.rng = random.Random(self.config.seed)
        docs = list(self.file_docs)
        self.rng.shuffle(docs)
        cut = len(docs) - held_out_count(self.config.held_out, len(docs))
        self.docs, self.held_out_docs = docs[:cut], docs[cut:]  # training cycles over self.docs
        self.held_out_tokens = [self.tokenizer.encode(doc) for doc in self.held_out_docs[:HELD_OUT_DOCS]]
        self.state_dict = init_state_dict(self.config, self.tokenizer.vocab_size, self.rng)
        self.optimizer = OPTIMIZERS[self.config.optimizer](self.state_dict)
        self.step_count = 0  # steps done; the next step's 0-based index
        self.last_step = None  # the last step taken in this process (explain.LastStep), for explain()

    def step(self, level="full", k=5):
        """One training step on the next document; returns what happened as JSON-ready data."""
        if level not in LEVELS:
            raise SessionError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        config, step = self.config, self.step_count
        if step >= config.num_steps:
            raise SessionError(f"the run is complete: all {config.num_steps} steps (num_steps) are done")
        doc = self.docs[step % len(self.docs)]
        tokens = self.tokenizer.encode(doc)
        n = min(config.block_size, len(tokens) - 1)

        step_number = step + 1  # as the event counts it
        measure_held_out = bool(self.held_out_tokens) and (
            step_number in (1, config.num_steps) or step_number % HELD_OUT_EVERY == 0)
        before = dict(self.state_dict), self.optimizer.snapshot()  # put back if the step diverges
        try:
            held_out_loss = self.held_out_loss() if measure_held_out else 0.0  # the weights the step's loss uses
            stages = Stages(detail=level == "full")  # times the step alone
            result, lr_t = microgpt_step(self.engine, self.optimizer, self.state_dict, config, tokens, step, stages)
            stages.lap_total("optimizer_ms")
            finite = math.isfinite(result.loss + held_out_loss) and all(math.isfinite(sum(g)) for g in result.grads.values())
        except (ValueError, ZeroDivisionError) as error:  # log(0) or 1/0: a probability of 0
            raise self._undo(before, "zero_probability") from error
        except OverflowError as error:  # exp of a huge logit, or a huge gradient squared by Adam
            raise self._undo(before, "overflow") from error
        if not finite:
            raise self._undo(before, "not_a_number")
        self.step_count += 1
        self.last_step = explain.LastStep(step, doc, tokens[: n + 1], lr_t)

        event = {
            "step": step_number,
            "num_steps": config.num_steps,
            "loss": result.loss,
            "lr": lr_t,
            "doc": doc,
            "tokens": tokens[: n + 1],
            "losses": result.losses,
            "time": stages.totals,
        }
        if measure_held_out:
            event["held_out_loss"] = held_out_loss
        if level == "full":
            event["attention"] = result.attention
            event["topk"] = [top_k(p, t, k) for p, t in zip(result.probs, tokens[1 : n + 1])]
            event["params"] = param_stats(self.state_dict, self.optimizer)
            event["graph"] = {"ops": list(stages.ops.values()), "nodes": result.nodes, "edges": result.edges}
        return event

    def explain(self, position):
        """Everything the last step computed at one position of its document, with the weights before its
        update: each stage's output and gradient there, the loss, the probabilities, and the update of the
        wte and wpe rows it read, as JSON-ready data (the fields: explain.py)."""
        last = self.last_step
        if last is None:
            raise NoStepHere(
                "explain needs a step taken in this worker: this session has not taken one since it was opened, "
                "reset or restored; take a step first"
            )
        n = len(last.tokens) - 1
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < n:
            raise SessionError(
                f"position must be an integer from 0 to {n - 1} (step {last.index + 1}'s document "
                f"{last.doc!r} has {n} positions), got {position!r}"
            )
        return explain.explain(self, position)

    def bigram(self):
        """The counting bigram of the training documents, the first rung of the model ladder: its counts and
        probabilities, its loss measured as the training loss is and, with held_out, its held-out loss (the
        fields, and how unseen pairs are handled: bigram.py). The same for every step of the session (the
        shuffle, and so the split, is the seed's), so it is counted once."""
        if self.counted is None:
            encode = self.tokenizer.encode
            self.counted = bigram.bigram([encode(doc) for doc in self.docs], self.held_out_tokens,
                                         self.tokenizer.vocab_size, self.config.block_size)
        return self.counted

    def held_out_loss(self):
        """The mean loss per position over the fixed held-out documents, forward only (nothing is learned)."""
        losses = self.engine.evaluate(self.state_dict, self.held_out_tokens, self.config)
        return sum(losses) / len(losses)

    def _undo(self, before, cause):
        """Put the weights and the optimizer back as they were before the step (`before`: a copy of state_dict
        and optimizer.snapshot()); returns the Diverged error saying why, for the step to raise."""
        weights, snapshot = before
        self.state_dict.update(weights)
        self.optimizer.undo(snapshot)
        return Diverged(self.step_count + 1, cause, self.config.learning_rate)

    def sample(self, num_samples=20, temperature=None, rng=None):
        """New documents, drawn token by token as the original does, from the session's generator
        (or `rng`: the console's own, which leaves the session's samples the original's)."""
        temperature = self.config.temperature if temperature is None else temperature
        rng = self.rng if rng is None else rng
        check_number("temperature", temperature)
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or not 1 <= num_samples <= MAX_SAMPLES:
            raise SessionError(f"num_samples must be an integer from 1 to {MAX_SAMPLES}, got {num_samples!r}")
        BOS, vocab_size = self.tokenizer.BOS, self.tokenizer.vocab_size
        inv_temperature = temperature**-1  # the original divides Values: l / t == l * t**-1
        samples = []
        for _ in range(num_samples):
            decoder = self.engine.Decoder(self.state_dict, self.config)
            token_id, sample = BOS, []
            for _ in range(self.config.block_size):
                probs = softmax([l * inv_temperature for l in decoder(token_id)])
                token_id = rng.choices(range(vocab_size), weights=probs)[0]
                if token_id == BOS:
                    break
                sample.append(token_id)
            samples.append(self.tokenizer.decode(sample))
        return samples

    def checkpoint(self):
        """Everything needed to continue exactly: weights, the optimizer's state (Adam's m and v, none for
        SGD), step, generator state."""
        version, internal, gauss_next = self.rng.getstate()
        return {
            "format": CHECKPOINT_FORMAT,
            "version": CHECKPOINT_VERSION,
            "config": self.config.to_dict(),
            "fingerprint": self.fingerprint,
            "step": self.step_count,
            "state_dict": self.state_dict,
            **self.optimizer.state(),
            "rng": [version, list(internal), gauss_next],
        }

    @classmethod
    def restore(cls, checkpoint, docs):
        """Rebuild a session from checkpoint() on the same documents."""
        if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
            raise SessionError(f"not a {CHECKPOINT_FORMAT} (format field missing or different)")
        if checkpoint.get("version") != CHECKPOINT_VERSION:
            raise SessionError(f"checkpoint version {checkpoint.get('version')!r} is not {CHECKPOINT_VERSION}")
        session = cls(Config.from_dict(checkpoint["config"]), docs)
        if checkpoint["fingerprint"] != session.fingerprint:
            raise DataError("the checkpoint was made on a different dataset (fingerprints differ)")
        step = checkpoint["step"]
        if not isinstance(step, int) or not 0 <= step <= session.config.num_steps:
            raise SessionError(f"checkpoint step must be from 0 to num_steps, got {step!r}")
        shapes = {name: (n_out, n_in) for name, n_out, n_in in matrix_shapes(session.config, session.tokenizer.vocab_size)}
        state_dict = checkpoint["state_dict"]
        for name, (n_out, n_in) in shapes.items():
            mat = state_dict.get(name)
            if not mat or len(mat) != n_out or any(len(row) != n_in for row in mat):
                raise SessionError(f"checkpoint matrix {name} is missing or not {n_out}x{n_in}")
        try:
            session.optimizer.restore(checkpoint, shapes)
        except ValueError as error:
            raise SessionError(str(error)) from None
        session.state_dict = {name: [list(row) for row in state_dict[name]] for name in shapes}
        session.step_count = step
        version, internal, gauss_next = checkpoint["rng"]
        session.rng.setstate((version, tuple(internal), gauss_next))
        return session


def held_out_count(share, num_docs):
    """How many documents config.held_out keeps out of training: round(share * num_docs), at least 1 if share > 0."""
    return max(1, round(share * num_docs)) if share > 0 else 0
