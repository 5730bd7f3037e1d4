package dev.agora.registry.store.etcd;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the daemon threads one etcd store starts: {@code agora-etcd-<role>-<n>}. */
final class EtcdThreads {
  private final AtomicInteger counter = new AtomicInteger();

  ThreadFactory named(String role) {
    return task -> {
      Thread thread = new Thread(task, "agora-etcd-" + role + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
