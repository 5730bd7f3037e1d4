/**
 * Tensors on the Open Inference Protocol wire: the {@link dev.agora.inference.tensor.Datatype} set
 * (all fourteen, BYTES as 4-byte little-endian length-prefixed elements), model signatures, request
 * parameters, and the codec between {@code ModelInferRequest}/{@code ModelInferResponse} and the
 * runtime's {@link dev.agora.inference.tensor.InputTensor} and {@link
 * dev.agora.inference.tensor.OutputTensor}. {@link dev.agora.inference.tensor.InferRequestDecoder}
 * validates every input against the signature (name, datatype, shape, byte size, BYTES prefixes,
 * limits) before allocating anything sized from the request, and copies raw bytes in one bulk copy
 * into direct buffers from a {@link dev.agora.inference.tensor.TensorBufferPool}; {@link
 * dev.agora.inference.tensor.InferResponseEncoder} always answers with raw output contents, as
 * Triton's clients expect, wrapping the output bytes without copying them.
 */
package dev.agora.inference.tensor;
