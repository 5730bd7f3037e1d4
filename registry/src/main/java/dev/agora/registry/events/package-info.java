/**
 * The registry's change feed, {@code agora.registry.v1.EventsService}: typed events (model
 * created/updated, version uploaded, stage changed, alias moved, key revoked, ...) derived from the
 * metadata store's revisions, which inference servers, the search index and the UI follow.
 *
 * <p>One {@link dev.agora.registry.events.ChangeFeed} per registry process holds one store watch
 * over the whole key space. It remembers the last value of every key it follows, so each change is
 * classified by key family ({@code KeyFamily}; keys of unknown families are ignored) with its
 * previous value at hand (the stage a version left, where an alias pointed). The events go into a
 * bounded in-memory log; each client watch is a cursor into it, advanced only while the client's
 * stream is ready. A client resumes from any revision the log holds and is told to re-list
 * (RESYNC_REQUIRED with the current revision) when it asks for an older one, falls too far behind,
 * or the feed had to take a new snapshot of the store.
 */
package dev.agora.registry.events;
