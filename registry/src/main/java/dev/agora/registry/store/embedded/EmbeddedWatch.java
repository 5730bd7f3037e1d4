package dev.agora.registry.store.embedded;

import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.registry.store.WatchListener;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a cursor into the change history that a drain task advances on the store's executor.
 * Signals coalesce, so at most one drain runs per watch and events arrive in revision order.
 */
final class EmbeddedWatch implements Watch {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedWatch.class);

  private final String prefix;
  private final WatchListener listener;
  private final ChangeHistory history;
  private final Executor executor;
  private final Consumer<EmbeddedWatch> onEnd;
  private final AtomicInteger pendingSignals = new AtomicInteger();
  private volatile boolean closed;
  private long nextRevision;

  EmbeddedWatch(
      String prefix,
      long fromRevision,
      WatchListener listener,
      ChangeHistory history,
      Executor executor,
      Consumer<EmbeddedWatch> onEnd) {
    this.prefix = prefix;
    this.nextRevision = fromRevision;
    this.listener = listener;
    this.history = history;
    this.executor = executor;
    this.onEnd = onEnd;
  }

  /** Asks for a drain; called after each commit and once at the start. */
  void signal() {
    if (closed || pendingSignals.getAndIncrement() != 0) {
      return;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      close();
    }
  }

  @Override
  public void close() {
    closed = true;
    onEnd.accept(this);
  }

  private void drain() {
    int missed = 1;
    do {
      deliverAvailable();
      missed = pendingSignals.addAndGet(-missed);
    } while (missed != 0);
  }

  private void deliverAvailable() {
    try {
      long upTo = history.committedRevision();
      while (!closed && nextRevision <= upTo) {
        byte[] record = history.record(nextRevision);
        if (record == null || nextRevision < history.compactedRevision()) {
          close();
          listener.onCompacted(history.compactedRevision());
          return;
        }
        for (WatchEvent event : HistoryRecord.decode(nextRevision, record)) {
          if (!closed && event.key().startsWith(prefix)) {
            listener.onEvent(event);
          }
        }
        nextRevision++;
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void fail(RuntimeException failure) {
    if (closed) {
      return;
    }
    close();
    try {
      listener.onError(failure);
    } catch (RuntimeException again) {
      log.warn("watch listener for prefix {} failed while being told of a failure", prefix, again);
    }
  }
}
