package dev.agora.registry.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link EtcdWatch} of one store shares: jetcd's watch client, the key translation, the
 * scheduler that reopens broken watches, and the reconnection backoff.
 */
final class EtcdWatchSource {
  private final Watch client;
  private final EtcdKeys keys;
  private final ScheduledExecutorService scheduler;
  private final Duration firstBackoff;
  private final Duration maxBackoff;

  EtcdWatchSource(
      Watch client, EtcdKeys keys, ScheduledExecutorService scheduler, EtcdConfig config) {
    this.client = client;
    this.keys = keys;
    this.scheduler = scheduler;
    this.firstBackoff = config.retryBackoff();
    this.maxBackoff = config.maxRetryBackoff();
  }

  EtcdKeys keys() {
    return keys;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Opens a jetcd watcher. */
  Watch.Watcher open(ByteSequence key, WatchOption option, Watch.Listener listener) {
    return client.watch(key, option, listener);
  }

  /** The pause before reopening a watch that failed {@code failures} times in a row. */
  Duration backoff(int failures) {
    Duration delay = firstBackoff.multipliedBy(1L << Math.min(failures, 20));
    return delay.compareTo(maxBackoff) < 0 ? delay : maxBackoff;
  }
}
