"""Embedding on Ray: the ONNX encoder in a pool of Ray actors, fed through Ray Data. Imported only when a
build is asked to use Ray (`qa index --ray`, QA_RAY_ADDRESS); `pip install 'qa[scale]'` provides Ray.

The build hands over one window of texts at a time (WINDOW_TEXTS); each window is one Ray Data job whose
actors embed batches of BATCH texts, and its vectors come back in order and are written to the store before
the next window is read. So the driver never holds more than one window's vectors, whatever the corpus.

Every worker must be able to import qa (install the same qa on the cluster's nodes). The encoder's ONNX
export is read from the driver's cache where the worker sees it, and otherwise sent once per build through
Ray's object store and kept in the worker's own cache."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa.config import user_cache_dir
from qa.errors import QAError
from qa.models.encoder import ONNX_FILE, TOKENIZER_FILE, OnnxEmbedder

WINDOW_TEXTS = 16_384  # texts per Ray Data job
BATCH = 256  # texts per actor call
LOCAL = {"", "local", "auto-local"}  # no address: start a Ray on this machine


def _encoder_class(folder: str, model_id: str, dim: int, max_tokens: int, threads: int, files=None) -> type:
    """The class of the Ray actors: the ONNX encoder, loaded once per actor, embedding the batches it is
    given. Its settings travel inside the class (constructor arguments would go through the object store,
    which Ray warns about for restartable actors). `files`, an object reference to the export's files, is
    for workers that do not share the driver's file system: they write the export to their own cache."""

    class Encoder:
        def __init__(self) -> None:
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            here = Path(folder)
            if files is not None and not (here / ONNX_FILE).is_file():
                import ray

                here = user_cache_dir() / "ray-models" / Path(folder).name
                here.mkdir(parents=True, exist_ok=True)
                for name, data in ray.get(files).items():
                    if not (here / name).is_file():
                        tmp = here / f".{name}.{os.getpid()}.tmp"
                        tmp.write_bytes(data)
                        os.replace(tmp, here / name)
            self.encoder = OnnxEmbedder(here, model_id, dim, max_tokens, threads=threads)

        def __call__(self, batch: dict) -> dict:
            return {"vector": self.encoder.embed([str(t) for t in batch["text"]])}

    return Encoder


class RayEmbedder:
    """An Embedder whose `embed` runs on Ray; tokens are counted by the local encoder (the chunker's needs)."""

    window = WINDOW_TEXTS

    def __init__(self, local: OnnxEmbedder, folder: Path, address: str = "", actors: int = 0, threads: int = 1) -> None:
        try:
            import ray
        except ImportError:
            raise QAError("embedding on Ray needs the scale extra: pip install 'qa[scale]'") from None
        self.local = local
        self.model_id, self.dim, self.max_tokens = local.model_id, local.dim, local.max_tokens
        self.folder = folder
        self.threads = threads
        self.calls = 0
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never reports anywhere
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
        if not ray.is_initialized():
            try:
                ray.init(
                    address=None if address in LOCAL else address,
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.ERROR,
                    ignore_reinit_error=True,
                )
            except Exception as exc:  # noqa: BLE001 - ConnectionError, RuntimeError, ray's own
                raise QAError(f"could not start or reach Ray at {address or 'a local Ray'!r}: {exc}") from None
        import ray.data

        for name in ("ray", "ray.data"):  # Ray Data sets up its loggers when imported
            logging.getLogger(name).setLevel(logging.ERROR)
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # vectors come back in the texts' order
        context.enable_progress_bars = False
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.actors = actors or max(1, cpus // threads)
        # a cluster's workers may not see this machine's files: the export travels through the object store
        self.files = None
        if address not in LOCAL:
            self.files = ray.put({name: (folder / name).read_bytes() for name in (ONNX_FILE, TOKENIZER_FILE)})

    def _dataset(self, texts: Sequence[str], encoder: type):
        import ray.data

        return ray.data.from_items([{"text": t} for t in texts]).map_batches(
            encoder,
            batch_size=BATCH,
            concurrency=min(self.actors, -(-len(texts) // BATCH)),
            num_cpus=self.threads,
            max_restarts=0,  # a lost actor fails the build (which can be run again), never half-restarts
        )

    def count_tokens(self, text: str) -> int:
        return self.local.count_tokens(text)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not len(texts):
            return out
        encoder = _encoder_class(str(self.folder), self.model_id, self.dim, self.max_tokens, self.threads, self.files)
        with warnings.catch_warnings():  # max_restarts is passed on to the actors as a "remote argument"
            warnings.simplefilter("ignore")
            dataset = self._dataset(texts, encoder)
        at = 0
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            vectors = np.asarray(batch["vector"], dtype=np.float32).reshape(-1, self.dim)
            out[at : at + len(vectors)] = vectors
            at += len(vectors)
        if at != len(texts):
            raise QAError(f"Ray returned {at} vectors for {len(texts)} texts")
        self.calls += len(texts)
        return out
