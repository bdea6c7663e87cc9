#!/usr/bin/env python3
"""PyTorch eager reference of the Object2Vec network, for throughput comparison with o2v.

Reads a job file written by the o2v benchmark harness (JSON: device and a list of jobs, each with
a JSON Lines data file, the resolved hyperparameters and a timing plan), trains and scores each
job's network the way a PyTorch user would write it, and prints one JSON object per job on
stdout.

The network follows the o2v specification: per side a token embedding and an encoder
(masked mean pooling; hcnn with masked max over time; bidirectional LSTM over packed sequences
with masked max over time), the comparator (hadamard, concat, abs_diff), an MLP and a softmax or
mean-squared-error head, trained with torch.optim.Adam (with token_embedding_storage_type=row_sparse:
torch.optim.SparseAdam on the token tables, weight decay only on the rows a batch touches).

Usage: object2vec_reference.py JOBS.json
"""

import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def valid_mask(lengths, max_len):
    """[B, T] boolean, True inside each sequence."""
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


class PooledEncoder(nn.Module):
    def forward(self, x, lengths, mask):
        summed = x.masked_fill(~mask[:, :, None], 0.0).sum(1)
        return summed / lengths[:, None].to(x.dtype)


class HcnnEncoder(nn.Module):
    def __init__(self, in_dim, enc_dim, layers, width, dropout):
        super().__init__()
        channels = [enc_dim // layers + (1 if l < enc_dim % layers else 0) for l in range(layers)]
        convs, prev = [], in_dim
        for c in channels:
            convs.append(nn.Conv1d(prev, c, width, padding=width // 2))
            prev = c
        self.convs = nn.ModuleList(convs)
        self.width = width
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, lengths, mask):
        keep = mask[:, None, :]                      # [B, 1, T]
        h = x.transpose(1, 2)                        # [B, D, T]
        pooled = []
        for i, conv in enumerate(self.convs):
            h = conv(h.masked_fill(~keep, 0.0))
            if self.width % 2 == 0:
                h = h[:, :, 1:]
            h = F.relu(h)
            pooled.append(h.masked_fill(~keep, float("-inf")).amax(2))
            if i + 1 < len(self.convs):
                h = self.dropout(h)
        return torch.cat(pooled, 1)


class BiLstmEncoder(nn.Module):
    def __init__(self, in_dim, enc_dim, layers, dropout):
        super().__init__()
        hidden = (enc_dim + 1) // 2
        self.lstm = nn.LSTM(in_dim, hidden, num_layers=layers, bidirectional=True,
                            batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.projection = nn.Linear(2 * hidden, enc_dim) if 2 * hidden != enc_dim else None

    def forward(self, x, lengths, mask):
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        pooled = out.masked_fill(~mask[:, :, None], float("-inf")).amax(1)
        return self.projection(pooled) if self.projection is not None else pooled


def side_settings(hp, side):
    key = lambda name: hp["enc%d_%s" % (side, name)]
    network = key("network")
    if side == 1 and network == "enc0":
        return side_settings(hp, 0)
    return {
        "network": network,
        "vocab": int(key("vocab_size")),
        "dim": int(key("token_embedding_dim")),
        "layers": int(key("layers")),
        "width": int(key("cnn_filter_width")),
    }


def make_encoder(spec, enc_dim, dropout):
    if spec["network"] == "pooled_embedding":
        return PooledEncoder()
    if spec["network"] == "hcnn":
        return HcnnEncoder(spec["dim"], enc_dim, spec["layers"], spec["width"], dropout)
    if spec["network"] == "bilstm":
        return BiLstmEncoder(spec["dim"], enc_dim, spec["layers"], dropout)
    raise ValueError("unknown network " + spec["network"])


class Object2Vec(nn.Module):
    """The network; `init` and `dropout_at` choose between variants for the quality suite.

    init="small": token tables drawn from N(0, 1/sqrt(D)) as o2v does for pooled_embedding,
    everything else at PyTorch's defaults; init="pytorch": every layer at PyTorch's defaults
    (token tables N(0, 1)). dropout_at="encodings": dropout on each encoder's output and after
    every MLP activation (where the specification puts it); dropout_at="tokens": on the token
    vectors instead of the encodings. Stacked hcnn/bilstm layers get dropout between layers in
    both cases.
    """

    def __init__(self, hp, init="small", dropout_at="encodings"):
        super().__init__()
        if init not in ("small", "pytorch"):
            raise ValueError("unknown init " + init)
        if dropout_at not in ("encodings", "tokens"):
            raise ValueError("unknown dropout_at " + dropout_at)
        enc_dim = int(hp["enc_dim"])
        dropout = float(hp["dropout"])
        specs = [side_settings(hp, 0), side_settings(hp, 1)]
        tables = [nn.Embedding(s["vocab"], s["dim"]) for s in specs]
        if hp["tied_token_embedding_weight"] == "True":
            tables[1] = tables[0]
        if init == "small":
            for t in tables:
                nn.init.normal_(t.weight, std=1.0 / math.sqrt(t.embedding_dim))
        self.tables = nn.ModuleList(tables)
        self.token_dropout = nn.Dropout(dropout if dropout_at == "tokens" else 0.0)
        self.encoding_dropout = nn.Dropout(dropout if dropout_at == "encodings" else 0.0)
        self.encoders = nn.ModuleList([make_encoder(s, enc_dim, dropout) for s in specs])
        self.comparators = [c.strip() for c in hp["comparator_list"].split(",")]
        width = sum(2 * enc_dim if c == "concat" else enc_dim for c in self.comparators)
        activation = {"tanh": nn.Tanh, "relu": nn.ReLU, "linear": nn.Identity}[hp["mlp_activation"]]
        layers = []
        for _ in range(int(hp["mlp_layers"])):
            layers += [nn.Linear(width, int(hp["mlp_dim"])), activation(), nn.Dropout(dropout)]
            width = int(hp["mlp_dim"])
        self.mlp = nn.Sequential(*layers)
        self.softmax = hp["output_layer"] == "softmax"
        self.head = nn.Linear(width, int(hp["num_classes"]) if self.softmax else 1)

    def encode(self, side, ids, lengths):
        mask = valid_mask(lengths, ids.shape[1])
        x = self.token_dropout(self.tables[side](ids))
        return self.encoding_dropout(self.encoders[side](x, lengths, mask))

    def forward(self, ids0, len0, ids1, len1):
        e0 = self.encode(0, ids0, len0)
        e1 = self.encode(1, ids1, len1)
        parts = []
        for c in self.comparators:
            if c == "hadamard":
                parts.append(e0 * e1)
            elif c == "concat":
                parts += [e0, e1]
            elif c == "abs_diff":
                parts.append((e0 - e1).abs())
        return self.head(self.mlp(torch.cat(parts, 1)))


def visible_ids(ids, max_len, zero_is_padding=True):
    """The ids an encoder sees: the first max_len, then without id 0 where id 0 is padding.

    The specification makes id 0 padding (SageMaker masks it): every encoder ignores it like a
    padded position. o2v drops the zeros after truncation; so does this reference, or else an
    unknown word (id 0 from a vocabulary built on another split) would be read as row 0 of the
    table, a fixed random vector that both sides of a pair share.
    """
    cut = ids[:max_len]
    return [t for t in cut if t != 0] if zero_is_padding else cut


class PaddedData:
    """All records as padded id tensors; a batch is an index gather plus a trim to its longest.

    With zero_is_padding (the specification), ids 0 are dropped after truncation and a record
    with a side left empty is skipped, as o2v's reader skips it; `discarded` counts them.
    """

    def __init__(self, path, max_lens, device, zero_is_padding=True):
        ids, lengths, labels = [[], []], [[], []], []
        self.discarded = 0
        with open(path, "r", encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                sides = [visible_ids(record["in%d" % side], max_lens[side], zero_is_padding)
                         for side in (0, 1)]
                if zero_is_padding and not (sides[0] and sides[1]):
                    self.discarded += 1
                    continue
                for side in (0, 1):
                    ids[side].append(sides[side])
                    lengths[side].append(len(sides[side]))
                labels.append(record["label"])
        self.size = len(labels)
        self.ids, self.lengths = [], []
        for side in (0, 1):
            longest = max(lengths[side])
            table = torch.zeros(self.size, longest, dtype=torch.long)
            for r, seq in enumerate(ids[side]):
                table[r, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            self.ids.append(table.to(device))
            self.lengths.append(torch.tensor(lengths[side], dtype=torch.long, device=device))
        self.labels = torch.tensor(labels, dtype=torch.float32, device=device)

    def batch(self, index):
        out = []
        for side in (0, 1):
            lengths = self.lengths[side][index]
            longest = int(lengths.max())
            out += [self.ids[side][index, :longest], lengths]
        return out, self.labels[index]


def timed_windows(steps, run_step):
    """Runs warm-up then timed windows; returns (records/s per window, ms per timed step)."""
    rates, step_ms = [], []
    warm_start, done = time.perf_counter(), 0
    while done < steps["warmup"] or time.perf_counter() - warm_start < steps["warmup_seconds"]:
        run_step()
        done += 1
    for _ in range(steps["repeats"]):
        records, seconds = 0, 0.0
        for _ in range(steps["per_repeat"]):
            start = time.perf_counter()
            n = run_step()
            elapsed = time.perf_counter() - start
            records += n
            seconds += elapsed
            step_ms.append(elapsed * 1e3)
        rates.append(records / seconds)
    return rates, step_ms


def make_optimizers(model, hp):
    """Adam for dense storage; with row_sparse, lazy Adam for the tables (decay via the penalty)."""
    lr = float(hp["learning_rate"])
    decay = float(hp["weight_decay"])
    if hp["token_embedding_storage_type"] != "row_sparse":
        return [torch.optim.Adam(model.parameters(), lr=lr, weight_decay=decay)], 0.0
    table_ids = {id(p) for p in model.tables.parameters()}
    for table in model.tables:
        table.sparse = True
    rest = [p for p in model.parameters() if id(p) not in table_ids]
    tables = list({id(p): p for p in model.tables.parameters()}.values())
    return [torch.optim.SparseAdam(tables, lr=lr),
            torch.optim.Adam(rest, lr=lr, weight_decay=decay)], decay


def touched_rows_penalty(model, inputs, decay):
    """0.5 * decay * |row|^2 over the distinct rows a batch uses: each gets decay * row once."""
    if decay == 0.0:
        return 0.0
    used = {}
    for side in (0, 1):
        ids, lengths = inputs[2 * side], inputs[2 * side + 1]
        table = model.tables[side]
        used.setdefault(id(table), (table, []))[1].append(ids[valid_mask(lengths, ids.shape[1])])
    penalty = 0.0
    for table, id_lists in used.values():
        rows = table(torch.cat(id_lists).unique())
        penalty = penalty + rows.pow(2).sum()
    return 0.5 * decay * penalty


def run_job(job, device):
    hp = job["hp"]
    torch.manual_seed(job["seed"])
    max_lens = [int(hp["enc0_max_seq_len"]), int(hp["enc1_max_seq_len"])]
    data = PaddedData(job["data"], max_lens, device)
    model = Object2Vec(hp).to(device)
    optimizers, decay = make_optimizers(model, hp)
    batch_size = int(hp["mini_batch_size"])
    generator = torch.Generator().manual_seed(job["seed"])
    state = {"order": torch.randperm(data.size, generator=generator), "pos": 0}

    def next_index():
        if state["pos"] + batch_size > data.size and state["pos"] > 0:
            state["order"] = torch.randperm(data.size, generator=generator)
            state["pos"] = 0
        index = state["order"][state["pos"]: state["pos"] + batch_size].to(device)
        state["pos"] += batch_size
        return index

    def train_step():
        inputs, labels = data.batch(next_index())
        for optimizer in optimizers:
            optimizer.zero_grad(set_to_none=True)
        out = model(*inputs)
        if model.softmax:
            loss = F.cross_entropy(out, labels.long())
        else:
            loss = F.mse_loss(out.squeeze(1), labels)
        (loss + touched_rows_penalty(model, inputs, decay)).backward()
        for optimizer in optimizers:
            optimizer.step()
        value = loss.item()
        if not math.isfinite(value):
            raise RuntimeError("loss diverged: %r" % value)
        if model.softmax:
            (out.argmax(1) == labels.long()).sum().item()
        return labels.shape[0]

    result = {"name": job["name"],
              "params": sum(p.numel() for p in model.parameters())}
    if job.get("train", True):
        model.train()
        result["train_records_per_s"], result["train_step_ms"] = timed_windows(job, train_step)

    infer_state = {"pos": 0}

    def infer_step():
        start = infer_state["pos"]
        if start >= data.size:
            start = 0
        index = torch.arange(start, min(start + batch_size, data.size), device=device)
        infer_state["pos"] = start + batch_size
        inputs, _ = data.batch(index)
        out = model(*inputs)
        scores = F.softmax(out, 1) if model.softmax else out
        scores.cpu().numpy()
        return index.shape[0]

    if job.get("infer", True):
        model.eval()
        with torch.inference_mode():
            result["infer_records_per_s"], result["infer_step_ms"] = timed_windows(job, infer_step)
    return result


def main(argv):
    if len(argv) != 2:
        print("usage: object2vec_reference.py JOBS.json", file=sys.stderr)
        return 2
    with open(argv[1], "r", encoding="utf-8") as f:
        spec = json.load(f)
    threads = int(spec.get("threads") or os.cpu_count())
    torch.set_num_threads(threads)
    if spec["device"] == "gpu":
        if not torch.cuda.is_available():
            print("object2vec_reference: --device gpu but this PyTorch sees no CUDA device "
                  "(torch %s, cuda %s)" % (torch.__version__, torch.version.cuda), file=sys.stderr)
            return 3
        device = torch.device("cuda")
    else:
        device = torch.device("cpu")
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "interop_threads": torch.get_num_interop_threads(),
                      "device": str(device)}), flush=True)
    for job in spec["jobs"]:
        print(json.dumps(run_job(job, device)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
