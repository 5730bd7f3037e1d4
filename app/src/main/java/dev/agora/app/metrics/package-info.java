/**
 * Prometheus metrics of {@code agora serve}: collectors that read the inference server's
 * per-version statistics and repository state, and the server's own state, when {@code GET
 * /metrics} is scraped, plus the text exposition of one instance registry. Nothing here is on the
 * request path: the counters it reads are kept by {@code dev.agora.inference.statistics}. This is
 * the only package that imports the Prometheus client (docs/operations.md, docs/decisions/0022).
 */
package dev.agora.app.metrics;
