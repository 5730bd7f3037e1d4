package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.AnnotationsProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.agora.proto.registry.v1.AliasesProto;
import dev.agora.proto.registry.v1.AuditProto;
import dev.agora.proto.registry.v1.RegistryProto;
import dev.agora.proto.registry.v1.UsageProto;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules every registry RPC keeps: an HTTP mapping, {@code min_revision} on every read, and the
 * store revision in every write's answer.
 */
class WireContractTest {
  private static final List<String> READ_VERBS = List.of("Get", "List", "Download", "Query");

  private static Stream<MethodDescriptor> methods() {
    return Stream.of(
            RegistryProto.getDescriptor().findServiceByName("RegistryService"),
            AliasesProto.getDescriptor().findServiceByName("AliasService"),
            AuditProto.getDescriptor().findServiceByName("AuditService"),
            UsageProto.getDescriptor().findServiceByName("UsageService"))
        .map(ServiceDescriptor::getMethods)
        .flatMap(List::stream);
  }

  private static boolean isRead(MethodDescriptor method) {
    return READ_VERBS.stream().anyMatch(method.getName()::startsWith);
  }

  @Test
  void everyRpcHasAnHttpMapping() {
    assertThat(methods())
        .hasSizeGreaterThanOrEqualTo(17)
        .allSatisfy(
            method ->
                assertThat(method.getOptions().hasExtension(AnnotationsProto.http))
                    .as(method.getFullName())
                    .isTrue());
  }

  @Test
  void everyReadTakesAMinRevision() {
    assertThat(methods().filter(WireContractTest::isRead))
        .hasSizeGreaterThanOrEqualTo(9)
        .allSatisfy(
            method -> {
              FieldDescriptor field = method.getInputType().findFieldByName("min_revision");
              assertThat(field).as(method.getFullName()).isNotNull();
              assertThat(field.getType()).isEqualTo(FieldDescriptor.Type.INT64);
            });
  }

  @Test
  void everyWriteAnswersWithTheStoreRevision() {
    assertThat(methods().filter(method -> !isRead(method)))
        .hasSizeGreaterThanOrEqualTo(8)
        .allSatisfy(
            method ->
                assertThat(carriesRevision(method.getOutputType()))
                    .as(method.getFullName())
                    .isTrue());
  }

  private static boolean carriesRevision(Descriptor message) {
    if (message.findFieldByName("revision") != null) {
      return true;
    }
    return message.getFields().stream()
        .filter(field -> field.getType() == FieldDescriptor.Type.MESSAGE && !field.isRepeated())
        .anyMatch(field -> field.getMessageType().findFieldByName("revision") != null);
  }
}
