/**
 * The model-runtime SPI: {@link dev.agora.inference.runtime.ModelRuntime} opens a verified model
 * file as a {@link dev.agora.inference.runtime.LoadedModel} that runs validated tensors. Only the
 * Agora tensor types appear here; each engine lives in its own subpackage ({@code runtime.onnx}),
 * the only place its library is imported.
 */
package dev.agora.inference.runtime;
