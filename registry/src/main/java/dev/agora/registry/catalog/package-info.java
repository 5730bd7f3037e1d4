/**
 * The registry's records and rules on top of the {@code MetadataStore}: where models, versions and
 * artifact references live in the key space, which names, versions and descriptive fields are
 * valid, how lists are ordered and paged, and the transactions that create and update models,
 * record uploaded versions, publish them, edit and delete drafts. Each of those transactions also
 * carries its audit event, so a change and its record commit together. Versions follow the
 * versioning rule of {@code CompatibilityCheck}: a breaking signature change needs a major bump,
 * checked on upload and again on publish. The governed lifecycle ({@code VersionLifecycle},
 * decision 0020) moves versions through review, whose {@code PublishingGates} must all pass,
 * deprecation with a notice period, and retirement, which {@code SunsetRetirements} makes by itself
 * once a deprecated version's sunset has passed (decision 0026); {@code CurationQueries} finds
 * stale models. Records are the {@code agora.registry.v1} protobuf messages; a record's {@code
 * revision} field is always the store's mod revision of its key, which transactions compare to
 * detect concurrent writers. Nothing here knows about gRPC calls or streams.
 */
package dev.agora.registry.catalog;
