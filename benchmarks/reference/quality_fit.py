#!/usr/bin/env python3
"""Trains the PyTorch reference network on a prepared pair task and scores every epoch.

The counterpart of o2v's side of the quality suite (`dev.o2v.benchmarks.QualitySuite`): DIR holds
train.jsonl, validation.jsonl and hp.json (o2v's resolved, canonical hyperparameters). Each epoch
shuffles the training pairs, trains in mini-batches with torch.optim.Adam, and scores the
validation pairs: accuracy for softmax, Spearman's rank correlation between predicted and true
scores for mean_squared_error. One JSON line per epoch on stdout.

Like o2v, the regression head's bias starts at the training labels' mean, and id 0 is padding
(dropped after truncation, as the specification and o2v have it); zero_ids=token reads it as an
ordinary token instead (row 0 of the table), for comparison.

Usage: quality_fit.py DIR EPOCHS SEED [init=small|pytorch] [dropout_at=encodings|tokens]
                      [zero_ids=padding|token]
"""

import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from object2vec_reference import Object2Vec, PaddedData  # noqa: E402


def average_ranks(values):
    """Ranks 1..n, ties sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def spearman(predicted, actual):
    """Pearson correlation of the average ranks."""
    a, b = average_ranks(predicted), average_ranks(actual)
    n = len(a)
    mean_a, mean_b = sum(a) / n, sum(b) / n
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b))
    var_a = sum((x - mean_a) ** 2 for x in a)
    var_b = sum((y - mean_b) ** 2 for y in b)
    return cov / (var_a * var_b) ** 0.5 if var_a > 0 and var_b > 0 else 0.0


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    directory, epochs, seed = argv[1], int(argv[2]), int(argv[3])
    options = dict(arg.split("=", 1) for arg in argv[4:])
    torch.set_num_threads(int(os.environ.get("O2V_REF_THREADS", "1")))
    torch.manual_seed(seed)
    with open(os.path.join(directory, "hp.json"), "r", encoding="utf-8") as f:
        hp = json.load(f)
    max_lens = [int(hp["enc0_max_seq_len"]), int(hp["enc1_max_seq_len"])]
    device = torch.device("cpu")
    zero_ids = options.get("zero_ids", "padding")
    if zero_ids not in ("padding", "token"):
        raise ValueError("unknown zero_ids " + zero_ids)
    zero_is_padding = zero_ids == "padding"
    train = PaddedData(os.path.join(directory, "train.jsonl"), max_lens, device, zero_is_padding)
    validation = PaddedData(os.path.join(directory, "validation.jsonl"), max_lens, device,
                            zero_is_padding)
    model = Object2Vec(hp, init=options.get("init", "pytorch"),
                       dropout_at=options.get("dropout_at", "encodings"))
    if not model.softmax:
        with torch.no_grad():
            model.head.bias.fill_(float(train.labels.mean()))
    optimizer = torch.optim.Adam(model.parameters(), lr=float(hp["learning_rate"]),
                                 weight_decay=float(hp["weight_decay"]))
    batch_size = int(hp["mini_batch_size"])
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(train.size, generator=generator)
        total = 0.0
        for b in range(0, train.size, batch_size):
            inputs, labels = train.batch(order[b: b + batch_size])
            optimizer.zero_grad(set_to_none=True)
            out = model(*inputs)
            if model.softmax:
                loss = F.cross_entropy(out, labels.long())
            else:
                loss = F.mse_loss(out.squeeze(1), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * labels.shape[0]
        model.eval()
        with torch.no_grad():
            inputs, labels = validation.batch(torch.arange(validation.size))
            out = model(*inputs)
            if model.softmax:
                score = (out.argmax(1) == labels.long()).float().mean().item()
            else:
                score = spearman(out.squeeze(1).tolist(), labels.tolist())
        print(json.dumps({"epoch": epoch, "train_loss": total / train.size, "score": score,
                          "seconds": round(time.perf_counter() - start, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
