/**
 * The all-in-one server: registry, inference, health and reflection in one JVM. {@link
 * dev.agora.app.serve.AgoraServer} is the composition root; the inference server reaches the
 * registry over an in-process gRPC channel, never through its classes.
 */
package dev.agora.app.serve;
