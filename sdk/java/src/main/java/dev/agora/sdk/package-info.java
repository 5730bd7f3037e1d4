/**
 * The Java client for Agora: publish ONNX model versions to the registry and call models through
 * the Open Inference Protocol, over the generated gRPC stubs, and follow the registry's change feed
 * ({@link dev.agora.sdk.EventsClient}). Failures surface as {@link
 * dev.agora.sdk.AgoraClientException} carrying the server's closed error reason.
 */
package dev.agora.sdk;
