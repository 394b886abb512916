"""Models: the sentence encoder (sentence-transformers, its ONNX export) and the two cross-encoders."""
