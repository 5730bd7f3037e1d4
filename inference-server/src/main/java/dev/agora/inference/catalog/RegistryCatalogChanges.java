package dev.agora.inference.catalog;

import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.sdk.AgoraClientException;
import dev.agora.sdk.EventHandler;
import dev.agora.sdk.EventWatch;
import dev.agora.sdk.EventsClient;
import io.grpc.Channel;
import java.util.List;

/**
 * {@link CatalogChanges} from the registry's change feed ({@code agora.registry.v1.EventsService}),
 * followed with the Java SDK's {@link EventsClient}, which resumes a broken stream from the last
 * revision and reports when the feed can no longer fill a gap ({@link CatalogListener#resynced()}).
 */
public final class RegistryCatalogChanges implements CatalogChanges {
  /** The events the inference server acts on. */
  static final List<EventType> FOLLOWED =
      List.of(
          EventType.EVENT_TYPE_MODEL_CREATED,
          EventType.EVENT_TYPE_MODEL_UPDATED,
          EventType.EVENT_TYPE_MODEL_DELETED,
          EventType.EVENT_TYPE_VERSION_STAGE_CHANGED,
          EventType.EVENT_TYPE_ALIAS_MOVED,
          EventType.EVENT_TYPE_ALIAS_DELETED);

  private final Channel registryChannel;

  /** Changes read over {@code registryChannel}, which must carry the server's credentials. */
  public RegistryCatalogChanges(Channel registryChannel) {
    this.registryChannel = registryChannel;
  }

  @Override
  public AutoCloseable follow(CatalogListener listener) {
    EventsClient client = EventsClient.over(registryChannel);
    EventWatch watch =
        client.follow(
            WatchRequest.newBuilder().addAllTypes(FOLLOWED).build(), new Translator(listener));
    return () -> {
      watch.close();
      client.close();
    };
  }

  /** Turns feed events into listener calls. */
  static final class Translator implements EventHandler {
    private final CatalogListener listener;
    private boolean announced;

    Translator(CatalogListener listener) {
      this.listener = listener;
    }

    @Override
    public void onEvent(Event event) {
      switch (event.getType()) {
        case EVENT_TYPE_PROGRESS -> {
          if (!announced) {
            announced = true;
            listener.following();
          }
        }
        case EVENT_TYPE_MODEL_CREATED, EVENT_TYPE_MODEL_UPDATED ->
            listener.latestChanged(
                event.getModel(), event.getModelRecord().getLatestPublishedVersion());
        case EVENT_TYPE_MODEL_DELETED -> listener.modelDeleted(event.getModel());
        case EVENT_TYPE_VERSION_STAGE_CHANGED -> stageChanged(event);
        case EVENT_TYPE_ALIAS_MOVED ->
            listener.aliasMoved(event.getModel(), event.getAlias(), event.getVersion());
        case EVENT_TYPE_ALIAS_DELETED -> listener.aliasDeleted(event.getModel(), event.getAlias());
        default -> {
          // Not followed.
        }
      }
    }

    private void stageChanged(Event event) {
      if (event.getToStage() == Stage.STAGE_DEPRECATED) {
        listener.deprecated(RegistryModelCatalog.deprecation(event.getVersionRecord()));
      } else if (event.getToStage() == Stage.STAGE_RETIRED) {
        listener.retired(
            new Retirement(
                event.getModel(),
                event.getVersion(),
                event.getVersionRecord().getSuccessorVersion()));
      }
    }

    @Override
    public void onResync(long currentRevision) {
      listener.resynced();
    }

    @Override
    public void onFailure(AgoraClientException failure) {
      listener.stopped(failure.getMessage());
    }
  }
}
