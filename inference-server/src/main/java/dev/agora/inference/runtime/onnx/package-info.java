/**
 * The ONNX Runtime engine behind the {@link dev.agora.inference.runtime.ModelRuntime} SPI, and the
 * only package of the inference server that imports ONNX Runtime. {@link
 * dev.agora.inference.runtime.onnx.OnnxModelRuntime} holds one environment and opens a session per
 * model version with the configured {@link dev.agora.inference.runtime.SessionSettings}; input
 * tensors wrap the decoder's direct little-endian buffers, outputs are read back as raw bytes.
 * Models with UINT16/32/64 inputs are rewritten to take the signed type of the same width ({@code
 * UnsignedInputs}), and BYTES travel as ONNX string tensors of UTF-8 text ({@code StringTensors}),
 * the two things ONNX Runtime's Java API cannot do directly.
 */
package dev.agora.inference.runtime.onnx;
