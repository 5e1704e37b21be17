"""Adam with microgpt's constants and its exact per-parameter arithmetic."""
import math
from itertools import chain


class Adam:
    beta1, beta2, eps = 0.85, 0.99, 1e-8
    # microgpt's own lines, per parameter p (the schema shows them; step() does the same on whole matrices)
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
        # first and second moment buffers, flat per matrix in row-major order
        self.m = {name: [0.0] * (len(mat) * len(mat[0])) for name, mat in state_dict.items()}
        self.v = {name: [0.0] * (len(mat) * len(mat[0])) for name, mat in state_dict.items()}
        self.last_grads = {}  # name -> flat gradient of the last step (kept for the inspector)
        self.last_weights = {}  # name -> flat weights before the last update

    def step(self, state_dict, grads, lr_t, step, measure=False):
        """Update state_dict in place (each matrix gets new rows); with `measure`,
        return each matrix's gradient norm and update-to-weight ratio."""
        b1, b2, eps = self.beta1, self.beta2, self.eps
        c1, c2 = 1 - b1, 1 - b2
        bc1, bc2 = 1 - b1 ** (step + 1), 1 - b2 ** (step + 1)
        stats = {}
        for name, mat in state_dict.items():
            n_in = len(mat[0])
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
            state_dict[name] = [new[i : i + n_in] for i in range(0, len(new), n_in)]
            if measure:
                weight_norm = math.hypot(*p)
                stats[name] = {
                    "grad_norm": math.hypot(*g),
                    "update_ratio": math.dist(new, p) / weight_norm if weight_norm else 0.0,
                }
        return stats
