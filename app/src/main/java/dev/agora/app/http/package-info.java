/**
 * The HTTP listener of {@code agora serve}. For now it answers the Open Inference Protocol health
 * endpoints ({@code /v2/health/live}, {@code /v2/health/ready}); the KServe v2 REST data plane
 * joins it later.
 */
package dev.agora.app.http;
