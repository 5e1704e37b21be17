"""The optimizers: microgpt's Adam, with its constants and exact per-parameter arithmetic, and
plain gradient descent (SGD), the update of the model ladder's first rungs.

Each keeps, for the inspector and explain(), the last step's gradients and the weights
before it, flat per matrix in row-major order. step() replaces every list it changes
(a matrix of state_dict, a buffer) and never changes one in place, so a snapshot() of
dict copies is enough to undo a step.
"""
from itertools import chain


def rows(flat, n_in):
    return [flat[i : i + n_in] for i in range(0, len(flat), n_in)]


class Optimizer:
    name = label = None  # config.optimizer's value, and how the page names it
    formula = help = None  # microgpt's own lines, per parameter p, and one plain paragraph (the schema shows both)

    def __init__(self, state_dict):
        self.last_grads = {}  # name -> flat gradient of the last step
        self.last_weights = {}  # name -> flat weights before the last update

    def snapshot(self):
        """What step() changes, to undo it (step replaces lists, never changes one)."""
        return {key: dict(value) for key, value in vars(self).items()}

    def undo(self, snapshot):
        vars(self).update(snapshot)

    def state(self):
        """What a checkpoint keeps to continue exactly (JSON-ready); restore() takes it back."""
        return {}

    def buffers(self, name):
        """What it keeps per weight of a matrix between steps, flat: Adam's {"m", "v"}; none for SGD."""
        return {}

    def update_details(self, step):
        """The constants of step `step`'s update beyond its learning rate, for explain()."""
        return {}

    def restore(self, state, shapes):
        """Take back state() of a checkpoint; `shapes` maps each matrix to (n_out, n_in)."""

    @classmethod
    def describe(cls):
        """For the page: its name and label, microgpt's lines and a plain paragraph."""
        return {"name": cls.name, "label": cls.label, "formula": cls.formula, "help": cls.help}


class SGD(Optimizer):
    name, label = "sgd", "SGD"
    formula = (
        "lr_t = learning_rate * (1 - step / num_steps)\n"
        "p.data -= lr_t * p.grad"
    )
    help = (
        "Plain gradient descent moves every weight a small step against its gradient (the direction in which the "
        "loss grows): the gradient times a learning rate that falls in a straight line to 0 by the last step. "
        "It keeps no memory from step to step."
    )

    def step(self, state_dict, grads, lr_t, step):
        """Update state_dict: each matrix gets new rows."""
        for name, mat in state_dict.items():
            p = self.last_weights[name] = list(chain.from_iterable(mat))
            g = self.last_grads[name] = grads[name]
            state_dict[name] = rows([pi - lr_t * gi for pi, gi in zip(p, g)], len(mat[0]))


class Adam(Optimizer):
    name, label = "adam", "Adam"
    beta1, beta2, eps = 0.85, 0.99, 1e-8
    formula = (
        "lr_t = learning_rate * (1 - step / num_steps)\n"
        "m[i] = beta1 * m[i] + (1 - beta1) * p.grad\n"
        "v[i] = beta2 * v[i] + (1 - beta2) * p.grad ** 2\n"
        "m_hat = m[i] / (1 - beta1 ** (step + 1))\n"
        "v_hat = v[i] / (1 - beta2 ** (step + 1))\n"
        "p.data -= lr_t * m_hat / (v_hat ** 0.5 + eps_adam)"
    )
    help = (
        "Adam moves every weight a small step against its gradient (the direction in which the loss grows). "
        "m is a running average of the gradient and v a running average of its square (how large it usually is); "
        "the step is m / sqrt(v), corrected for both starting at 0, times a learning rate that falls in a straight "
        "line to 0 by the last step."
    )

    def __init__(self, state_dict):
        super().__init__(state_dict)
        # first and second moment buffers, flat per matrix in row-major order
        self.m = {name: [0.0] * (len(mat) * len(mat[0])) for name, mat in state_dict.items()}
        self.v = {name: [0.0] * (len(mat) * len(mat[0])) for name, mat in state_dict.items()}

    def step(self, state_dict, grads, lr_t, step):
        """Update state_dict (each matrix gets new rows) and the buffers."""
        b1, b2, eps = self.beta1, self.beta2, self.eps
        c1, c2 = 1 - b1, 1 - b2
        bc1, bc2 = 1 - b1 ** (step + 1), 1 - b2 ** (step + 1)
        for name, mat in state_dict.items():
            p = self.last_weights[name] = list(chain.from_iterable(mat))
            g = self.last_grads[name] = grads[name]
            m, v, new = [], [], []
            for pi, mi, vi, gi in zip(p, self.m[name], self.v[name], g):  # one pass, as microgpt's loop
                mi = b1 * mi + c1 * gi
                vi = b2 * vi + c2 * gi**2
                m.append(mi)
                v.append(vi)
                new.append(pi - lr_t * (mi / bc1) / ((vi / bc2) ** 0.5 + eps))
            self.m[name], self.v[name] = m, v
            state_dict[name] = rows(new, len(mat[0]))

    def state(self):
        return {"adam": {"m": self.m, "v": self.v}}

    def buffers(self, name):
        return {"m": self.m[name], "v": self.v[name]}

    def update_details(self, step):
        b1, b2 = self.beta1, self.beta2
        return {"beta1": b1, "beta2": b2, "eps": self.eps,
                "bias_correction1": 1 - b1 ** (step + 1), "bias_correction2": 1 - b2 ** (step + 1)}

    @classmethod
    def describe(cls):
        return {**super().describe(), "beta1": cls.beta1, "beta2": cls.beta2, "eps": cls.eps}

    def restore(self, state, shapes):
        adam = state.get("adam")
        for name, (n_out, n_in) in shapes.items():
            if (not isinstance(adam, dict) or len(adam.get("m", {}).get(name, ())) != n_out * n_in
                    or len(adam.get("v", {}).get(name, ())) != n_out * n_in):
                raise ValueError(f"checkpoint Adam buffers of {name} are missing or not {n_out * n_in} long")
        self.m = {name: list(adam["m"][name]) for name in shapes}
        self.v = {name: list(adam["v"][name]) for name in shapes}


OPTIMIZERS = {optimizer.name: optimizer for optimizer in (Adam, SGD)}  # config.optimizer's choices
