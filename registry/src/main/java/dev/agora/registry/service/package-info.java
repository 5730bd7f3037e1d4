/**
 * The gRPC face of the registry: {@code agora.registry.v1.RegistryService}. Request fields are
 * validated here and handed to the catalog; the client-streaming upload feeds chunks straight into
 * a blob writer as they arrive and finishes (digest check, inspection, recording) on the registry's
 * inspection executor; downloads stream the blob only as fast as the client reads. Every failure
 * leaves as an {@code AgoraException} mapped by {@code ErrorStatus}.
 */
package dev.agora.registry.service;
