#!/usr/bin/env python3
"""Fits the PyTorch reference network to an exported rating task and prints validation MSE.

A cross-check of what the Object2Vec network itself can reach on a task, independent of o2v:
`MovieLensAcceptance ... export=DIR` writes DIR/train.jsonl, DIR/validation.jsonl and DIR/hp.json
(o2v's resolved hyperparameters); this script trains the reference network of
object2vec_reference.py on them with the same settings and prints one JSON line per epoch.

Like o2v, the regression head's bias starts at the training labels' mean. With
token_embedding_storage_type=row_sparse the token tables use lazy Adam (torch.optim.SparseAdam)
and weight decay reaches only the distinct rows a batch touches, once per step, as in o2v; other parameters use
torch.optim.Adam with L2 weight decay.

Usage: rating_fit.py DIR [EPOCHS] [SEED]
"""

import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from object2vec_reference import (  # noqa: E402
    Object2Vec, PaddedData, make_optimizers, touched_rows_penalty)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    directory = argv[1]
    epochs = int(argv[2]) if len(argv) > 2 else 10
    seed = int(argv[3]) if len(argv) > 3 else 1
    torch.set_num_threads(int(os.environ.get("O2V_REF_THREADS", "1")))
    torch.manual_seed(seed)
    with open(os.path.join(directory, "hp.json"), "r", encoding="utf-8") as f:
        hp = json.load(f)
    if hp["output_layer"] != "mean_squared_error":
        print("rating_fit.py: needs output_layer=mean_squared_error", file=sys.stderr)
        return 2
    max_lens = [int(hp["enc0_max_seq_len"]), int(hp["enc1_max_seq_len"])]
    device = torch.device("cpu")
    train = PaddedData(os.path.join(directory, "train.jsonl"), max_lens, device)
    validation = PaddedData(os.path.join(directory, "validation.jsonl"), max_lens, device)
    model = Object2Vec(hp)
    with torch.no_grad():
        model.head.bias.fill_(float(train.labels.mean()))
    opts, decay = make_optimizers(model, hp)
    batch_size = int(hp["mini_batch_size"])
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(train.size, generator=generator)
        total = 0.0
        for b in range(0, train.size, batch_size):
            inputs, labels = train.batch(order[b: b + batch_size])
            for opt in opts:
                opt.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(*inputs).squeeze(1), labels)
            (loss + touched_rows_penalty(model, inputs, decay)).backward()
            for opt in opts:
                opt.step()
            total += loss.item() * labels.shape[0]
        model.eval()
        with torch.no_grad():
            inputs, labels = validation.batch(torch.arange(validation.size))
            mse = F.mse_loss(model(*inputs).squeeze(1), labels).item()
        print(json.dumps({"epoch": epoch, "train_mse": total / train.size,
                          "validation_mse": mse,
                          "seconds": round(time.perf_counter() - start, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
