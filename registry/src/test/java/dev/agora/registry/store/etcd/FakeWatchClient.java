package dev.agora.registry.store.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A jetcd watch client that records the watchers opened and lets a test play etcd's part. */
final class FakeWatchClient implements Watch {
  /** One opened watcher: what it asked for, and its listener to call. */
  record Opened(ByteSequence key, WatchOption option, Listener listener, AtomicBoolean closed)
      implements Watcher {
    @Override
    public void close() {
      closed.set(true);
    }

    @Override
    public boolean isClosed() {
      return closed.get();
    }

    @Override
    public void requestProgress() {}
  }

  private final List<Opened> opened = new CopyOnWriteArrayList<>();

  @Override
  public Watcher watch(ByteSequence key, WatchOption option, Listener listener) {
    Opened watcher = new Opened(key, option, listener, new AtomicBoolean());
    opened.add(watcher);
    return watcher;
  }

  @Override
  public void requestProgress() {}

  @Override
  public void close() {}

  List<Opened> opened() {
    return List.copyOf(opened);
  }

  Opened last() {
    return opened.get(opened.size() - 1);
  }

  /** A watch response with one event per {@code (type, key, revision)} triple. */
  static WatchResponse response(Object... typeKeyRevision) {
    io.etcd.jetcd.api.WatchResponse.Builder response = io.etcd.jetcd.api.WatchResponse.newBuilder();
    for (int i = 0; i < typeKeyRevision.length; i += 3) {
      Event.EventType type = (Event.EventType) typeKeyRevision[i];
      String key = (String) typeKeyRevision[i + 1];
      long revision = (Long) typeKeyRevision[i + 2];
      KeyValue.Builder kv =
          KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setModRevision(revision);
      if (type == Event.EventType.PUT) {
        kv.setValue(ByteString.copyFromUtf8("v" + revision)).setCreateRevision(revision);
      }
      response.addEvents(Event.newBuilder().setType(type).setKv(kv));
    }
    return new WatchResponse(response.build());
  }
}
