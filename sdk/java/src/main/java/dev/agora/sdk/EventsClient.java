package dev.agora.sdk;

import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.WatchRequest;
import io.grpc.Channel;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Follows the registry's change feed ({@code agora.registry.v1.EventsService}). A follower keeps a
 * local view of the catalog: {@link #follow} with {@code from_revision} 0, list what it needs, then
 * apply events; the returned {@link EventWatch} resumes by itself after a broken stream and says
 * when to re-list. Thread-safe; close it to stop its watches and its retry thread.
 */
public final class EventsClient implements AutoCloseable {
  private final EventsServiceGrpc.EventsServiceStub stub;
  private final ScheduledExecutorService retries;

  private EventsClient(Channel channel) {
    this.stub = EventsServiceGrpc.newStub(channel);
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "agora-events-client");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * A client over a channel the caller owns; it must carry the API key (see {@link
   * AgoraClient#events()}, which does).
   */
  public static EventsClient over(Channel channel) {
    return new EventsClient(channel);
  }

  /**
   * Starts following the feed from {@code request.from_revision} (0: changes after now) with its
   * filters, delivering to {@code handler} until the watch is closed or fails for good.
   */
  public EventWatch follow(WatchRequest request, EventHandler handler) {
    EventWatch watch = new EventWatch(stub, request, handler, retries);
    watch.start(request.getFromRevision());
    return watch;
  }

  /** Stops the retry thread: watches still open keep their current stream but no longer resume. */
  @Override
  public void close() {
    retries.shutdownNow();
  }
}
