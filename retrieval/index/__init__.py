"""The vector index: embedders (ONNX, sentence-transformers, distilled students) and Chroma."""
