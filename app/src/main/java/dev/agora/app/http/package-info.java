/**
 * The HTTP listener of {@code agora serve}: the KServe v2 REST API (health, metadata, config,
 * ready, infer, repository, statistics) translated to calls on the gRPC inference service,
 * Prometheus metrics on {@code /metrics}, and the HTTP side of a graceful drain.
 */
package dev.agora.app.http;
