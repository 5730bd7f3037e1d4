/**
 * The {@code agora} launcher: one picocli command with a subcommand per job. {@code serve} runs
 * registry and inference in one JVM; {@code publish} uploads and publishes a model version.
 */
package dev.agora.app;
