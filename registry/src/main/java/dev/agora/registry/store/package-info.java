/**
 * The metadata store SPI: a revisioned key-value store with the etcd data model. Every write
 * transaction gets the next value of one global revision counter; each key remembers the revision
 * that created it, the revision of its last change and how many times it changed; transactions
 * apply their writes only when every compared key still has the expected mod revision; and a watch
 * replays the change history from any retained revision before following new changes. Keys are
 * strings such as {@code /agora/v1/models/{model}} and values are protobuf bytes. Nothing in this
 * package names a third-party type, so etcd and the embedded engine implement the same interface
 * and pass the same contract test.
 */
package dev.agora.registry.store;
