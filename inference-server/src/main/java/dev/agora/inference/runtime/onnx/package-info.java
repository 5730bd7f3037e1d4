/**
 * The ONNX Runtime engine behind the {@link dev.agora.inference.runtime.ModelRuntime} SPI, and the
 * only package of the inference server that imports ONNX Runtime. {@link
 * dev.agora.inference.runtime.onnx.OnnxModelRuntime} holds one environment and opens a session per
 * model version with configured threads and optimization level; input tensors wrap the decoder's
 * direct little-endian buffers, and outputs are read back as raw bytes.
 */
package dev.agora.inference.runtime.onnx;
