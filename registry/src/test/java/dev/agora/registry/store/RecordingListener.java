package dev.agora.registry.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link WatchListener} that keeps everything it is told, for assertions. */
public class RecordingListener implements WatchListener {
  private final List<WatchEvent> events = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();
  private final AtomicLong compactedAt = new AtomicLong(-1);

  @Override
  public void onEvent(WatchEvent event) {
    threads.add(Thread.currentThread().getName());
    events.add(event);
  }

  @Override
  public void onCompacted(long compactRevision) {
    compactedAt.set(compactRevision);
  }

  @Override
  public void onError(Throwable failure) {
    errors.add(failure);
  }

  public List<WatchEvent> events() {
    return List.copyOf(events);
  }

  /** The keys of the events so far, in delivery order. */
  public List<String> keys() {
    return events.stream().map(WatchEvent::key).toList();
  }

  public List<Throwable> errors() {
    return List.copyOf(errors);
  }

  public List<String> threads() {
    return List.copyOf(threads);
  }

  /** The revision reported by {@link #onCompacted}, or -1 when it was not called. */
  public long compactedAt() {
    return compactedAt.get();
  }
}
