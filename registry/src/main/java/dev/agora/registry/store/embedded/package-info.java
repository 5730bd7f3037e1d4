/**
 * The single-process metadata store on H2's MVStore, the default when Agora runs as one process.
 * One file under the data directory holds three maps: the current entries (key to value and
 * revisions), the change history (revision to the events of that transaction) and the counters
 * (current and compacted revision). A transaction applies its writes to the maps and commits and
 * syncs the file before it returns, so a crash loses nothing that was acknowledged. Watches read
 * the history map from their own cursor on a thread pool this store owns, which makes replay from a
 * past revision and live delivery the same code path and keeps listeners off writer threads.
 */
package dev.agora.registry.store.embedded;
