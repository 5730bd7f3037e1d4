/**
 * ONNX Runtime's own answers for the generated test models, which tests compare servers with. The
 * only package of the testing module that uses ONNX Runtime (ArchitectureTest).
 */
package dev.agora.testing.onnx;
