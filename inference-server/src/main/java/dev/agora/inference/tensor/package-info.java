/**
 * Tensors on the Open Inference Protocol wire: the {@link dev.agora.inference.tensor.Datatype} set,
 * model signatures, and the codec between {@code ModelInferRequest}/{@code ModelInferResponse} and
 * the runtime's {@link dev.agora.inference.tensor.InputTensor} and {@link
 * dev.agora.inference.tensor.OutputTensor}. {@link dev.agora.inference.tensor.InferRequestDecoder}
 * validates every input against the signature (name, datatype, shape, byte size, limits) before
 * allocating anything sized from the request, and copies raw bytes into direct buffers in one bulk
 * copy; {@link dev.agora.inference.tensor.InferResponseEncoder} always answers with raw output
 * contents, as Triton's clients expect.
 */
package dev.agora.inference.tensor;
