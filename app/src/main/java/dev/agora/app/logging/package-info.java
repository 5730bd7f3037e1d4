/**
 * Logging of the {@code agora} commands: Logback behind SLF4J (the library modules use slf4j-api
 * only), human-readable lines by default and JSON lines for operators ({@code agora serve
 * --log-format=json}), with java.util.logging (grpc-java, ONNX Runtime) routed through it. This is
 * the only package that imports Logback.
 */
package dev.agora.app.logging;
