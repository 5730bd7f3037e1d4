/**
 * ONNX artifact inspection. The bytes are first parsed with Agora's own subset of the ONNX protobuf
 * schema and walked for what the registry refuses: tensors whose data lives in external files
 * (which ONNX Runtime would try to read from the server's disk) and operators from domains that
 * need a custom-operator library. Only then does ONNX Runtime open the model, which proves it loads
 * and yields the input and output signature. This is the only registry package that imports ONNX
 * Runtime.
 */
package dev.agora.registry.artifact.onnx;
