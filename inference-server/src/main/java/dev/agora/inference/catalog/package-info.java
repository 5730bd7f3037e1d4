/**
 * How the inference server learns about models. {@link dev.agora.inference.catalog.ModelCatalog} is
 * a small SPI with no third-party types: resolve a (model, version) to a {@link
 * dev.agora.inference.catalog.PublishedVersion} (empty version = latest published), list models and
 * published versions, and fetch an artifact to a file. {@link
 * dev.agora.inference.catalog.RegistryModelCatalog} implements it over the registry's gRPC API; the
 * inference server never imports registry classes.
 */
package dev.agora.inference.catalog;
