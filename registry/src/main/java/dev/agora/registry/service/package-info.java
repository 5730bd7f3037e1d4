/**
 * The gRPC face of the registry: {@code RegistryService} (models, versions, uploads, downloads),
 * {@code AliasService} and {@code AuditService}, built together by {@code RegistryServices}.
 * Request fields are validated here and handed to the catalog, alias and audit packages; reads
 * first wait for their {@code min_revision}; the client-streaming upload feeds chunks straight into
 * a blob writer as they arrive and finishes (digest check, inspection, recording) on the registry's
 * inspection executor, in the caller's gRPC context; downloads stream the blob only as fast as the
 * client reads. Every failure leaves as an {@code AgoraException} mapped by {@code ErrorStatus}.
 */
package dev.agora.registry.service;
