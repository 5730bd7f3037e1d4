/**
 * The {@link dev.agora.registry.store.MetadataStore} on etcd, the backend for several registry
 * replicas. This is the only package that imports jetcd; nothing outside it sees a jetcd type.
 *
 * <p>{@link dev.agora.registry.store.etcd.EtcdMetadataStore} maps the SPI onto etcd's v3 API: keys
 * are UTF-8 bytes behind an optional namespace, prefix ranges become {@code [key, range_end)}
 * pages, transactions compare mod revisions (absent keys as version 0), and revisions come from
 * response headers. {@code EtcdRequestLimits} refuses transactions over etcd's request size and
 * operation count before they are sent; {@code EtcdCalls} retries transient failures (an
 * unreachable member, no leader, a leader change) with a doubling backoff inside a per-call
 * deadline; {@code EtcdWatch} reopens a broken watch from the revision after the last one it
 * delivered and reports compaction through {@code onCompacted}. {@link
 * dev.agora.registry.store.etcd.EtcdConfig} holds the settings; docs/decisions/0010 explains the
 * choice of jetcd and how its dependencies are aligned.
 */
package dev.agora.registry.store.etcd;
