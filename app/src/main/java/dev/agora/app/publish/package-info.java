/** {@code agora publish}: upload an ONNX file as a model version and publish it. */
package dev.agora.app.publish;
