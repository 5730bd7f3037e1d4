package dev.agora.registry.events;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.registry.catalog.CatalogNames;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events one watch wants: by model (events about no model pass) and by type (PROGRESS always
 * passes). Empty sets mean everything.
 */
record EventFilter(Set<String> models, Set<EventType> types) {
  /** The most models one watch may name. */
  static final int MAX_MODELS = 1000;

  EventFilter {
    models = Set.copyOf(models);
    types = Set.copyOf(types);
  }

  /**
   * The filter a request asks for.
   *
   * @throws AgoraException {@code INVALID_FIELD} for a malformed model name, an unknown or
   *     unspecified type, or too many models
   */
  static EventFilter of(WatchRequest request) {
    List<String> names = request.getModelsList();
    if (names.size() > MAX_MODELS) {
      throw AgoraException.invalidField(
          "models", "names at most " + MAX_MODELS + " models, got " + names.size());
    }
    Set<String> models = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      models.add(CatalogNames.requireModelName("models[" + i + "]", names.get(i)));
    }
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    List<EventType> requested = request.getTypesList();
    for (int i = 0; i < requested.size(); i++) {
      EventType type = requested.get(i);
      if (type == EventType.EVENT_TYPE_UNSPECIFIED || type == EventType.UNRECOGNIZED) {
        throw AgoraException.invalidField(
            "types[" + i + "]", "must be a known event type, got " + request.getTypesValue(i));
      }
      types.add(type);
    }
    return new EventFilter(models, types);
  }

  boolean matches(Event event) {
    if (event.getType() == EventType.EVENT_TYPE_PROGRESS) {
      return true;
    }
    if (!types.isEmpty() && !types.contains(event.getType())) {
      return false;
    }
    return models.isEmpty() || event.getModel().isEmpty() || models.contains(event.getModel());
  }
}
