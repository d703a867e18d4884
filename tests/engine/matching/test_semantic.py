import numpy as np

from quartiers.engine.matching import semantic
from quartiers.engine.matching.semantic import DIM, embed_cached


class CountingEncoder:
    name = "fake-test-encoder"

    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, len(t) % DIM] = 1.0
        return out


def test_vectors_are_cached_in_memory_and_on_disk(tmp_path, monkeypatch):
    enc = CountingEncoder()
    texts = ["aide aux devoirs", "jardins partagés"]
    a = embed_cached(texts, enc, tmp_path)
    b = embed_cached(texts, enc, tmp_path)
    assert enc.calls == 1 and a is b
    assert len(list(tmp_path.glob("fake-test-encoder-*.npy"))) == 1
    monkeypatch.setattr(semantic, "_MEMORY", {})  # a new process: the disk cache answers
    c = embed_cached(texts, enc, tmp_path)
    assert enc.calls == 1
    assert np.array_equal(a, c)
    embed_cached([*texts, "autre"], enc, tmp_path)  # other content, other key
    assert enc.calls == 2


def test_the_default_encoder_is_one_per_process_with_one_thread():
    assert semantic.default_encoder() is semantic.default_encoder()
    assert semantic.default_encoder()._threads == 1
