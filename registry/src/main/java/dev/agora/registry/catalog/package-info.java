/**
 * The registry's records and rules on top of the {@code MetadataStore}: where models, versions and
 * artifact references live in the key space, which names and versions are valid, how lists are
 * ordered and paged, and the transactions that create models, record uploaded versions and publish
 * them. Records are the {@code agora.registry.v1} protobuf messages; a record's {@code revision}
 * field is always the store's mod revision of its key, which transactions compare to detect
 * concurrent writers. Nothing here knows about gRPC calls or streams.
 */
package dev.agora.registry.catalog;
