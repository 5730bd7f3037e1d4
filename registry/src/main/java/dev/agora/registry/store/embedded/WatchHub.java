package dev.agora.registry.store.embedded;

import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The open watches and the thread pool that delivers their events. */
final class WatchHub implements AutoCloseable {
  private final ChangeHistory history;
  private final ExecutorService executor;
  private final Set<EmbeddedWatch> watches = ConcurrentHashMap.newKeySet();

  WatchHub(ChangeHistory history) {
    this.history = history;
    this.executor = Executors.newCachedThreadPool(namedDaemonThreads());
  }

  Watch open(String prefix, long fromRevision, WatchListener listener) {
    EmbeddedWatch watch =
        new EmbeddedWatch(prefix, fromRevision, listener, history, executor, watches::remove);
    watches.add(watch);
    watch.signal();
    return watch;
  }

  /** Wakes every watch after a commit; never blocks the committing thread. */
  void changed() {
    watches.forEach(EmbeddedWatch::signal);
  }

  @Override
  public void close() {
    watches.forEach(EmbeddedWatch::close);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory namedDaemonThreads() {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "agora-metadata-watch-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
