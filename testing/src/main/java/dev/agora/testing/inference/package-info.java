/** Helpers for tests that call the inference service. */
package dev.agora.testing.inference;
