/**
 * The registry's composition root. {@link dev.agora.registry.RegistryServer} builds the embedded
 * metadata store, the file blob store, the ONNX inspector and the gRPC services from one {@link
 * dev.agora.registry.RegistryConfig}; whoever runs a gRPC server (the {@code agora} launcher, or an
 * in-process server in tests) adds {@code services()} to it and closes the registry after the
 * server stopped.
 */
package dev.agora.registry;
