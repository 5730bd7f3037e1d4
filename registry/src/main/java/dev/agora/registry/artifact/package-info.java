/**
 * Artifact inspection: before a version is recorded, its uploaded bytes are checked against the
 * registry's safety rules and opened by the runtime that will serve them, and the signature the
 * catalog shows (tensor names, datatypes, shapes) is read from the artifact itself, never typed by
 * hand. This package holds the format-neutral contract; {@code artifact.onnx} implements it for
 * ONNX. A refusal is an {@code AgoraException} with reason {@code INVALID_ARTIFACT}.
 */
package dev.agora.registry.artifact;
