package dev.agora.registry.store.etcd;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.registry.store.WatchListener;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A watch on etcd that survives disconnects. jetcd's watcher is opened from {@code nextRevision},
 * the revision after the last one handed to the listener; when its stream fails transiently it is
 * closed and a new one is opened from there after a backoff, so no change is lost and none is
 * delivered twice (events at or below the last delivered revision are dropped). A watch that needs
 * compacted history ends with {@link WatchListener#onCompacted(long)}; any other failure ends it
 * with {@link WatchListener#onError(Throwable)}. Events reach the listener on this watch's own
 * thread, in revision order.
 */
final class EtcdWatch implements Watch {
  private final EtcdWatchSource source;
  private final String prefix;
  private final WatchListener listener;
  private final ExecutorService delivery;
  private final Runnable onEnd;

  // Guarded by this.
  private long nextRevision;
  private int generation;
  private int failures;
  private io.etcd.jetcd.Watch.Watcher watcher;
  private boolean ended;
  // Stop deliveries already queued: the owner closed the watch, or the listener threw.
  private volatile boolean closed;
  private volatile boolean listenerThrew;

  EtcdWatch(
      EtcdWatchSource source,
      String prefix,
      long fromRevision,
      WatchListener listener,
      ExecutorService delivery,
      Runnable onEnd) {
    this.source = source;
    this.prefix = prefix;
    this.nextRevision = fromRevision;
    this.listener = listener;
    this.delivery = delivery;
    this.onEnd = onEnd;
  }

  /** Opens the first jetcd watcher. */
  void start() {
    open();
  }

  /** The first revision that has not been handed to the listener yet. */
  synchronized long nextRevision() {
    return nextRevision;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (!end()) {
        return;
      }
    }
    delivery.shutdown();
  }

  /**
   * Opens a jetcd watcher from {@code nextRevision}. jetcd is called without this watch's lock: it
   * calls {@code onError} holding its own lock, and that callback takes ours.
   */
  private void open() {
    int opened;
    WatchOption option;
    synchronized (this) {
      if (ended) {
        return;
      }
      opened = ++generation;
      option =
          WatchOption.builder()
              .withRange(source.keys().rangeEnd(prefix))
              .withRevision(nextRevision)
              .withRequireLeader(true)
              .build();
    }
    io.etcd.jetcd.Watch.Watcher created;
    try {
      created = source.open(source.keys().rangeStart(prefix, null), option, listenerFor(opened));
    } catch (RuntimeException e) {
      failed(opened, e);
      return;
    }
    synchronized (this) {
      if (!ended && opened == generation) {
        watcher = created;
        return;
      }
    }
    // It failed, or the watch ended, while it was being opened.
    closeWatcherLater(created);
  }

  private io.etcd.jetcd.Watch.Listener listenerFor(int opened) {
    return new io.etcd.jetcd.Watch.Listener() {
      @Override
      public void onNext(WatchResponse response) {
        received(opened, response);
      }

      @Override
      public void onError(Throwable failure) {
        failed(opened, failure);
      }

      @Override
      public void onCompleted() {
        // Only follows close(), ours or the one after a failure handled in onError.
      }
    };
  }

  private synchronized void received(int opened, WatchResponse response) {
    if (ended || opened != generation) {
      return;
    }
    failures = 0;
    List<WatchEvent> events = new ArrayList<>();
    long next = nextRevision;
    for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
      long revision = event.getKeyValue().getModRevision();
      if (revision < nextRevision) {
        continue;
      }
      events.add(toEvent(event, revision));
      next = Math.max(next, revision + 1);
    }
    nextRevision = next;
    events.forEach(event -> deliver(() -> listener.onEvent(event)));
  }

  private WatchEvent toEvent(io.etcd.jetcd.watch.WatchEvent event, long revision) {
    String key = source.keys().storeKey(event.getKeyValue().getKey());
    if (event.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
      return new WatchEvent(WatchEvent.Type.DELETE, key, new byte[0], revision);
    }
    byte[] value = event.getKeyValue().getValue().getBytes();
    return new WatchEvent(WatchEvent.Type.PUT, key, value, revision);
  }

  private synchronized void failed(int opened, Throwable failure) {
    if (ended || opened != generation) {
      return;
    }
    generation++;
    closeWatcherLater(watcher);
    watcher = null;
    if (EtcdFailures.isCompacted(failure)) {
      long compactRevision = EtcdFailures.compactedRevision(failure);
      endWith(() -> listener.onCompacted(compactRevision));
    } else if (EtcdFailures.isStreamInterrupted(failure)) {
      scheduleReconnect();
    } else {
      AgoraException error =
          AgoraException.builder(
                  ErrorReason.STORE_UNAVAILABLE,
                  "The etcd watch on " + prefix + " ended: " + EtcdFailures.description(failure))
              .cause(failure)
              .build();
      endWith(() -> listener.onError(error));
    }
  }

  private void scheduleReconnect() {
    Duration delay = source.backoff(failures++);
    try {
      source.scheduler().schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      end();
    }
  }

  private void reconnect() {
    synchronized (this) {
      if (ended || watcher != null) {
        return;
      }
    }
    open();
  }

  /** Ends the watch after a last message to the listener. */
  private void endWith(Runnable last) {
    end();
    delivery.execute(
        () -> {
          if (!closed && !listenerThrew) {
            last.run();
          }
        });
    delivery.shutdown();
  }

  /** Marks the watch ended and stops jetcd's watcher; false when it had already ended. */
  private boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    closeWatcherLater(watcher);
    watcher = null;
    onEnd.run();
    return true;
  }

  private void deliver(Runnable call) {
    try {
      delivery.execute(
          () -> {
            if (closed || listenerThrew) {
              return;
            }
            try {
              call.run();
            } catch (RuntimeException | Error e) {
              listenerFailed(e);
            }
          });
    } catch (RejectedExecutionException e) {
      // The watch ended in between; nothing more is delivered.
    }
  }

  private void listenerFailed(Throwable failure) {
    listenerThrew = true;
    synchronized (this) {
      end();
    }
    delivery.shutdown();
    if (!closed) {
      listener.onError(failure);
    }
  }

  /**
   * Closes a jetcd watcher off the calling thread: jetcd calls {@code onError} while holding its
   * own lock and then touches the stream, so closing from inside that callback is unsafe.
   */
  private void closeWatcherLater(io.etcd.jetcd.Watch.Watcher old) {
    if (old == null) {
      return;
    }
    try {
      source.scheduler().execute(old::close);
    } catch (RejectedExecutionException e) {
      old.close();
    }
  }
}
