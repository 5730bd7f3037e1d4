package dev.agora.registry.catalog;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import dev.agora.common.error.AgoraException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Update masks over the top-level fields of a record, as in Google's API guidelines (AIP-134): a
 * listed field is replaced, or cleared when the request leaves it empty; an empty mask means every
 * mutable field the request sets; {@code "*"} means every mutable field.
 */
final class FieldMasks {
  private static final String EVERYTHING = "*";

  private FieldMasks() {}

  /**
   * The fields an update replaces.
   *
   * @param mutable the fields an update may name
   * @param refusals why some other fields may not be named (e.g. "is immutable"), by field
   * @throws AgoraException {@code INVALID_FIELD} naming {@code update_mask} for any other path
   */
  static List<String> paths(
      FieldMask mask, Message requested, Set<String> mutable, Map<String, String> refusals) {
    if (mask.getPathsCount() == 0) {
      return mutable.stream().filter(path -> isSet(requested, path)).toList();
    }
    Set<String> paths = new LinkedHashSet<>();
    for (String path : mask.getPathsList()) {
      if (path.equals(EVERYTHING)) {
        paths.addAll(mutable);
      } else if (mutable.contains(path)) {
        paths.add(path);
      } else {
        String why = refusals.getOrDefault(path, "is not a field an update can change");
        throw AgoraException.invalidField("update_mask", "'" + path + "' " + why);
      }
    }
    return new ArrayList<>(paths);
  }

  /** {@code current} with each path's value taken from {@code requested}. */
  @SuppressWarnings("unchecked")
  static <M extends Message> M apply(M current, M requested, List<String> paths) {
    Message.Builder updated = current.toBuilder();
    for (String path : paths) {
      FieldDescriptor field = field(current, path);
      if (field.isRepeated() || requested.hasField(field)) {
        updated.setField(field, requested.getField(field));
      } else {
        updated.clearField(field);
      }
    }
    return (M) updated.build();
  }

  /** The paths whose values differ between two records. */
  static List<String> changed(Message before, Message after, List<String> paths) {
    return paths.stream()
        .filter(
            path ->
                !before.getField(field(before, path)).equals(after.getField(field(after, path))))
        .toList();
  }

  private static boolean isSet(Message message, String path) {
    FieldDescriptor field = field(message, path);
    return field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field);
  }

  private static FieldDescriptor field(Message message, String path) {
    FieldDescriptor field = message.getDescriptorForType().findFieldByName(path);
    if (field == null) {
      throw new IllegalArgumentException(
          message.getDescriptorForType().getName() + " has no field " + path);
    }
    return field;
  }
}
