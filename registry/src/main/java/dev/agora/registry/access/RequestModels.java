package dev.agora.registry.access;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import dev.agora.common.error.AgoraException;
import java.util.Optional;

/**
 * Finds the model a registry request is about, by the field conventions of {@code
 * agora.registry.v1}: a string {@code model}, a {@code Model model} message's {@code name}, an
 * upload {@code header.model}, a {@code ModelVersion version} message's {@code model}, or a string
 * {@code name}, in that order. Reading fields by name keeps the access policy working for RPCs
 * added after it was written.
 */
final class RequestModels {

  /** A model name and the request field it came from, for error messages. */
  record ModelReference(String field, String name) {}

  private RequestModels() {}

  /** The model the request names, or empty when it names none. */
  static Optional<ModelReference> find(Message request) {
    Descriptor type = request.getDescriptorForType();
    FieldDescriptor model = singular(type, "model");
    if (model != null && model.getJavaType() == FieldDescriptor.JavaType.STRING) {
      return Optional.of(new ModelReference("model", (String) request.getField(model)));
    }
    if (model != null && model.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      Message message = (Message) request.getField(model);
      FieldDescriptor name = singular(message.getDescriptorForType(), "name");
      if (name != null && name.getJavaType() == FieldDescriptor.JavaType.STRING) {
        return Optional.of(new ModelReference("model.name", (String) message.getField(name)));
      }
    }
    FieldDescriptor header = singular(type, "header");
    if (header != null && header.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (!request.hasField(header)) {
        throw AgoraException.invalidField("header", "the first message must be a header");
      }
      Message message = (Message) request.getField(header);
      FieldDescriptor name = singular(message.getDescriptorForType(), "model");
      if (name != null && name.getJavaType() == FieldDescriptor.JavaType.STRING) {
        return Optional.of(new ModelReference("header.model", (String) message.getField(name)));
      }
    }
    Optional<ModelReference> version = nested(request, "version", "model");
    if (version.isPresent()) {
      return version;
    }
    FieldDescriptor name = singular(type, "name");
    if (name != null && name.getJavaType() == FieldDescriptor.JavaType.STRING) {
      return Optional.of(new ModelReference("name", (String) request.getField(name)));
    }
    return Optional.empty();
  }

  /**
   * The owner team a request asks a model to move to: a {@code Model model} message's non-empty
   * {@code owner_team}, when the request has no {@code update_mask} or its mask names {@code
   * owner_team}.
   */
  static Optional<String> requestedOwnerTeam(Message request) {
    FieldDescriptor model = singular(request.getDescriptorForType(), "model");
    if (model == null || model.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return Optional.empty();
    }
    Message message = (Message) request.getField(model);
    FieldDescriptor owner = singular(message.getDescriptorForType(), "owner_team");
    if (owner == null || owner.getJavaType() != FieldDescriptor.JavaType.STRING) {
      return Optional.empty();
    }
    String team = (String) message.getField(owner);
    FieldDescriptor mask = singular(request.getDescriptorForType(), "update_mask");
    if (team.isEmpty()
        || (mask != null
            && request.hasField(mask)
            && request.getField(mask) instanceof FieldMask paths
            && !paths.getPathsList().contains("owner_team"))) {
      return Optional.empty();
    }
    return Optional.of(team);
  }

  /** A string {@code inner} field of the message field {@code outer}, e.g. version.model. */
  private static Optional<ModelReference> nested(Message request, String outer, String inner) {
    FieldDescriptor field = singular(request.getDescriptorForType(), outer);
    if (field == null || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return Optional.empty();
    }
    Message message = (Message) request.getField(field);
    FieldDescriptor name = singular(message.getDescriptorForType(), inner);
    if (name == null || name.getJavaType() != FieldDescriptor.JavaType.STRING) {
      return Optional.empty();
    }
    return Optional.of(new ModelReference(outer + "." + inner, (String) message.getField(name)));
  }

  private static FieldDescriptor singular(Descriptor type, String name) {
    FieldDescriptor field = type.findFieldByName(name);
    return field == null || field.isRepeated() ? null : field;
  }
}
