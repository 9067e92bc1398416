#!/usr/bin/python3
"""PyTorch peer of the GradientService's capture, for `Infra.Bench capture --peer` only (never part of the product).

The same work as GradientEngine.Compute on a Qwen2-shaped model with seeded weights: forward with the inputs a_t and
outputs y_t of every MLP gate/up/down projection recorded, the summed cross-entropy of the response tokens (mask from
position length/2 on), g_t = dL/dy_t by one torch.autograd.grad call at the recorded outputs, projection of a_t and
g_t to k = 64 by seeded Gaussian matrices, the example gradients G = sum_t g_t a_t^T, and a copy of all of it to
host (numpy) arrays. Written as a PyTorch user would write it for Debian 12's python3-torch (1.13: no
scaled_dot_product_attention, so attention is softmax(q k^T / sqrt(d) + causal mask) v); on torch >= 2.0 (a GPU
machine's, with --device cuda) attention is F.scaled_dot_product_attention.

Protocol (so the harness can interleave it with its own reps in one run): prints "ready" once the model is built, then
for each line read from stdin, "full" (logits at every position) or "loss" (final norm, logits and cross-entropy at
the loss positions only), runs one capture and prints its seconds; "quit" or end of input stops it.
"""
import argparse
import math
import sys
import time

import torch
import torch.nn.functional as F


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--layers", type=int, default=4, help="decoder layers (default 4)")
    p.add_argument("--batch", type=int, default=4, help="examples per batch (default 4)")
    p.add_argument("--length", type=int, default=256, help="tokens per example; the loss is on the second half (default 256)")
    p.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2; Debian's build starts with 1)")
    p.add_argument("--k", type=int, default=64, help="projection size per side (default 64)")
    p.add_argument("--hidden", type=int, default=896)
    p.add_argument("--intermediate", type=int, default=4864)
    p.add_argument("--heads", type=int, default=14)
    p.add_argument("--kv-heads", type=int, default=2)
    p.add_argument("--vocab", type=int, default=151936)
    p.add_argument("--rope-theta", type=float, default=1e6)
    p.add_argument("--device", default="cpu", help="torch device (default cpu; cuda for the GPU rate of docs/scale.md)")
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"], help="weights and activations (default float32)")
    return p.parse_args()


class Model:
    """Qwen2 with tied embeddings, q/k/v biases, weights normal(0, 0.02) and unit norms, as SeededCheckpoint draws them."""

    def __init__(self, a):
        dev, dt = torch.device(a.device), getattr(torch, a.dtype)
        # Drawn on the device itself: a 7B model's weights from the CPU generator take minutes.
        g = torch.Generator(device=dev).manual_seed(1)
        n = lambda *shape: (torch.randn(*shape, generator=g, device=dev) * 0.02).to(dt).requires_grad_()
        ones = lambda size: torch.ones(size, device=dev, dtype=dt, requires_grad=True)
        zeros = lambda size: torch.zeros(size, device=dev, dtype=dt, requires_grad=True)
        h, i, d = a.hidden, a.intermediate, a.hidden // a.heads
        self.a, self.d = a, d
        self.embed = n(a.vocab, h)
        self.layers = []
        for _ in range(a.layers):
            self.layers.append(dict(
                ln1=ones(h), ln2=ones(h),
                q=n(a.heads * d, h), qb=zeros(a.heads * d),
                k=n(a.kv_heads * d, h), kb=zeros(a.kv_heads * d),
                v=n(a.kv_heads * d, h), vb=zeros(a.kv_heads * d),
                o=n(h, a.heads * d), gate=n(i, h), up=n(i, h), down=n(h, i)))
        self.norm = ones(h)

    @staticmethod
    def rms(x, w, eps=1e-6):
        x32 = x.float()
        return w * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype)

    def rope(self, t):
        half = self.d // 2
        inv = 1.0 / (self.a.rope_theta ** (torch.arange(0, half, dtype=torch.float64) * 2 / self.d))
        ang = torch.outer(torch.arange(t, dtype=torch.float64), inv)
        ang = torch.cat([ang, ang], -1)
        dev, dt = torch.device(self.a.device), getattr(torch, self.a.dtype)
        return ang.cos().to(dev, dt), ang.sin().to(dev, dt)

    @staticmethod
    def rotate(x, cos, sin):
        half = x.shape[-1] // 2
        return x * cos + torch.cat([-x[..., half:], x[..., :half]], -1) * sin

    def decode(self, ids, records):
        a, d = self.a, self.d
        b, t = ids.shape
        cos, sin = self.rope(t)
        causal = torch.full((t, t), float("-inf")).triu(1).to(ids.device, getattr(torch, a.dtype))
        x = F.embedding(ids, self.embed)
        for p in self.layers:
            hn = self.rms(x, p["ln1"])
            q = F.linear(hn, p["q"], p["qb"]).view(b, t, a.heads, d).transpose(1, 2)
            k = F.linear(hn, p["k"], p["kb"]).view(b, t, a.kv_heads, d).transpose(1, 2)
            v = F.linear(hn, p["v"], p["vb"]).view(b, t, a.kv_heads, d).transpose(1, 2)
            q, k = self.rotate(q, cos, sin), self.rotate(k, cos, sin)
            k = k.repeat_interleave(a.heads // a.kv_heads, 1)
            v = v.repeat_interleave(a.heads // a.kv_heads, 1)
            if hasattr(F, "scaled_dot_product_attention"):  # torch >= 2.0: the fused kernel a user of it would call
                att = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + causal, -1) @ v
            x = x + F.linear(att.transpose(1, 2).reshape(b, t, a.heads * d), p["o"])
            hn = self.rms(x, p["ln2"])
            gate = F.linear(hn, p["gate"])
            up = F.linear(hn, p["up"])
            mid = F.silu(gate) * up
            down = F.linear(mid, p["down"])
            records += [(hn, gate), (hn, up), (mid, down)]
            x = x + down
        return x


def host(t):
    """A host copy as numpy (float32: numpy has no bfloat16); on CPU float32 this is the plain copy it always was."""
    return t.float().cpu().numpy().copy()


def capture(model, ids, mask, projections, loss_only):
    records = []
    hidden = model.decode(ids, records)
    b, t = ids.shape
    if loss_only:
        rows = mask[:, 1:].reshape(-1).nonzero().squeeze(1)
        rows = rows + rows.div(t - 1, rounding_mode="floor")  # index into [B*T]: position p of example i is i*t + p
        logits = F.linear(model.rms(hidden.reshape(b * t, -1)[rows], model.norm), model.embed)
        targets = ids.reshape(-1)[rows + 1]
        ce = F.cross_entropy(logits.float(), targets, reduction="none")
        loss = ce.sum()
    else:
        logits = F.linear(model.rms(hidden, model.norm), model.embed)
        ce = F.cross_entropy(logits[:, :-1].float().reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
        loss = (ce.view(b, t - 1) * mask[:, 1:]).sum()
    grads = torch.autograd.grad([loss], [y for _, y in records])
    with torch.no_grad():
        out = []
        for (x, _), g, (p_in, p_out) in zip(records, grads, projections):
            a_hat = x.detach() @ p_in.t()
            g_hat = g @ p_out.t()
            out += [host(a_hat), host(g_hat), host(g_hat.transpose(1, 2) @ a_hat)]
        out.append(host(ce.detach()))
    return out


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Model(a)
    g = torch.Generator().manual_seed(7)
    dev, dt = torch.device(a.device), getattr(torch, a.dtype)
    ids = torch.randint(0, a.vocab, (a.batch, a.length), generator=g).to(dev)
    mask = (torch.arange(a.length) >= a.length // 2).to(dev, dt).expand(a.batch, a.length).contiguous()
    dims = [(a.hidden, a.intermediate), (a.hidden, a.intermediate), (a.intermediate, a.hidden)] * a.layers
    projections = [((torch.randn(a.k, d_in, generator=g) / math.sqrt(a.k)).to(dev, dt),
                    (torch.randn(a.k, d_out, generator=g) / math.sqrt(a.k)).to(dev, dt))
                   for d_in, d_out in dims]
    print(f"ready torch {torch.__version__} threads {torch.get_num_threads()} device {dev} dtype {a.dtype}", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command in ("", "quit"):
            break
        if command not in ("full", "loss"):
            print(f"error unknown command '{command}'", flush=True)
            continue
        start = time.perf_counter()
        capture(model, ids, mask, projections, command == "loss")
        print(f"{time.perf_counter() - start:.6f}", flush=True)


if __name__ == "__main__":
    main()
