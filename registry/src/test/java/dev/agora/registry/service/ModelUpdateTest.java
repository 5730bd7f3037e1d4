package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.RiskLevel;
import dev.agora.proto.registry.v1.UpdateModelRequest;
import dev.agora.registry.RegistryConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** UpdateModel: field masks, validation, immutability of the name, optimistic concurrency. */
class ModelUpdateTest {
  private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");

  @TempDir Path dataDir;
  private RegistryHarness registry;
  private Model original;

  @BeforeEach
  void start() throws Exception {
    registry = RegistryHarness.start(RegistryConfig.defaults(dataDir), new MutableClock(START));
    original =
        registry
            .blocking()
            .createModel(
                CreateModelRequest.newBuilder()
                    .setModel(
                        Model.newBuilder()
                            .setName("scorer")
                            .setOwnerTeam(RegistryHarness.TEAM)
                            .setDisplayName("Scorer")
                            .setSummary("Scores things.")
                            .addTags("scoring")
                            .addContacts("ml@example.com")
                            .setRiskLevel(RiskLevel.RISK_LEVEL_LOW))
                    .build());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Model update(Model.Builder model, String... paths) {
    return registry
        .blocking()
        .updateModel(
            UpdateModelRequest.newBuilder()
                .setModel(model.setName("scorer"))
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths)))
                .build());
  }

  private Model read() {
    return registry.blocking().getModel(GetModelRequest.newBuilder().setName("scorer").build());
  }

  @Test
  void aMaskReplacesOnlyTheNamedFieldsAndClearsThoseLeftEmpty() {
    Instant later = registry.clock.advance(Duration.ofHours(1));
    Model updated =
        update(
            Model.newBuilder()
                .setSummary("Scores fraud.")
                .setDomain("payments")
                .addTags("fraud")
                .addTags("payments"),
            "summary",
            "tags",
            "contacts");

    assertThat(updated.getSummary()).isEqualTo("Scores fraud.");
    assertThat(updated.getTagsList()).containsExactly("fraud", "payments");
    assertThat(updated.getContactsList()).isEmpty();
    assertThat(updated.getDomain()).as("not in the mask").isEmpty();
    assertThat(updated.getDisplayName()).isEqualTo("Scorer");
    assertThat(updated.getRiskLevel()).isEqualTo(RiskLevel.RISK_LEVEL_LOW);
    assertThat(updated.getCreateTime()).isEqualTo(original.getCreateTime());
    assertThat(updated.getUpdateTime().getSeconds()).isEqualTo(later.getEpochSecond());
    assertThat(updated.getRevision()).isGreaterThan(original.getRevision());
    assertThat(read()).isEqualTo(updated);
  }

  @Test
  void anEmptyMaskReplacesTheFieldsTheRequestSetsAndStarReplacesAll() {
    Model implicit = update(Model.newBuilder().setDescription("# Scorer\n\nMarkdown."));
    assertThat(implicit.getDescription()).isEqualTo("# Scorer\n\nMarkdown.");
    assertThat(implicit.getSummary()).isEqualTo("Scores things.");

    Model everything =
        update(Model.newBuilder().setOwnerTeam(RegistryHarness.TEAM).setSummary("Only this."), "*");
    assertThat(everything.getSummary()).isEqualTo("Only this.");
    assertThat(everything.getDescription()).isEmpty();
    assertThat(everything.getTagsList()).isEmpty();
    assertThat(everything.getRiskLevel()).isEqualTo(RiskLevel.RISK_LEVEL_UNSPECIFIED);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    Model same = update(Model.newBuilder().setSummary("Scores things."), "summary");
    assertThat(same).isEqualTo(original);
  }

  static Stream<Arguments> maskRefusals() {
    return Stream.of(
        Arguments.of("name", "immutable"),
        Arguments.of("revision", "output only"),
        Arguments.of("latest_published_version", "output only"),
        Arguments.of("create_time", "output only"),
        Arguments.of("colour", "not a field"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("maskRefusals")
  void masksNamingFieldsAnUpdateCannotChangeAreRefused(String path, String why) {
    StatusRuntimeException refused =
        assertFailure(
            () -> update(Model.newBuilder().setSummary("x"), path),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(refused)).containsExactly("update_mask");
    assertThat(refused.getStatus().getDescription()).contains(path).contains(why);
    assertThat(read()).isEqualTo(original);

    assertThat(update(Model.newBuilder().setSummary("x"), "summary").getSummary()).isEqualTo("x");
  }

  static Stream<Arguments> invalidModels() {
    String tooLong = "x".repeat(301);
    List<String> manyTags = IntStream.range(0, 33).mapToObj(i -> "tag-" + i).toList();
    return Stream.of(
        invalid("summary too long", m -> m.setSummary(tooLong), "model.summary"),
        invalid("display name on two lines", m -> m.setDisplayName("a\nb"), "model.display_name"),
        invalid("upper-case tag", m -> m.addTags("Fraud"), "model.tags[0]"),
        invalid("tag with a space", m -> m.addTags("fraud detection"), "model.tags[0]"),
        invalid("repeated tag", m -> m.addTags("a").addTags("a"), "model.tags[1]"),
        invalid("too many tags", m -> m.addAllTags(manyTags), "model.tags"),
        invalid("contact not an address", m -> m.addContacts("call bob"), "model.contacts[0]"),
        invalid("plain-http contact", m -> m.addContacts("http://wiki"), "model.contacts[0]"),
        invalid(
            "repeated contact",
            m -> m.addContacts("a@example.com").addContacts("a@example.com"),
            "model.contacts[1]"),
        invalid("owner team not a name", m -> m.setOwnerTeam("ML Team"), "model.owner_team"),
        invalid("unknown risk level", m -> m.setRiskLevelValue(7), "model.risk_level"),
        invalid(
            "description with control characters",
            m -> m.setDescription("bell \u0007"),
            "model.description"),
        invalid("license too long", m -> m.setLicense(tooLong), "model.license"));
  }

  private static Arguments invalid(String name, UnaryOperator<Model.Builder> edit, String field) {
    return Arguments.of(name, edit, field);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidModels")
  void invalidFieldsAreRefusedNamingEachOne(
      String name, UnaryOperator<Model.Builder> edit, String field) {
    Model.Builder model = edit.apply(Model.newBuilder().setOwnerTeam(RegistryHarness.TEAM));
    StatusRuntimeException refused =
        assertFailure(
            () -> update(model.clone(), "*"), Status.Code.INVALID_ARGUMENT, "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(refused)).containsExactly(field);
    assertThat(read()).isEqualTo(original);

    StatusRuntimeException onCreate =
        assertFailure(
            () ->
                registry
                    .blocking()
                    .createModel(
                        CreateModelRequest.newBuilder()
                            .setModel(model.clone().setName("fresh"))
                            .build()),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(onCreate)).contains(field);

    Model fixed =
        update(
            Model.newBuilder()
                .setOwnerTeam(RegistryHarness.TEAM)
                .addTags("fraud-2")
                .addContacts("https://wiki.example.com/scorer")
                .addContacts("owner@example.com"),
            "*");
    assertThat(fixed.getContactsList()).hasSize(2);
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    StatusRuntimeException refused =
        assertFailure(
            () ->
                update(
                    Model.newBuilder().setSummary("a\tb").addTags("Bad").addContacts("nobody"),
                    "summary",
                    "tags",
                    "contacts"),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(refused))
        .containsExactly("model.summary", "model.tags[0]", "model.contacts[0]");
  }

  @Test
  void anExpectedRevisionRefusesStaleUpdates() {
    Model current = update(Model.newBuilder().setSummary("v2"), "summary");
    StatusRuntimeException refused =
        assertFailure(
            () ->
                registry
                    .blocking()
                    .updateModel(
                        UpdateModelRequest.newBuilder()
                            .setModel(Model.newBuilder().setName("scorer").setSummary("v3"))
                            .setExpectedRevision(original.getRevision())
                            .build()),
            Status.Code.ABORTED,
            "CONFLICT");
    assertThat(refused.getStatus().getDescription()).contains("revision");
    assertThat(read().getSummary()).isEqualTo("v2");

    Model next =
        registry
            .blocking()
            .updateModel(
                UpdateModelRequest.newBuilder()
                    .setModel(Model.newBuilder().setName("scorer").setSummary("v3"))
                    .setExpectedRevision(current.getRevision())
                    .build());
    assertThat(next.getSummary()).isEqualTo("v3");
    assertThat(next.getRevision()).isGreaterThan(current.getRevision());
  }

  @Test
  void unknownModelsAreNotFound() {
    assertFailure(
        () ->
            registry
                .blocking()
                .updateModel(
                    UpdateModelRequest.newBuilder()
                        .setModel(Model.newBuilder().setName("absent").setSummary("x"))
                        .build()),
        Status.Code.NOT_FOUND,
        "MODEL_NOT_FOUND");
    assertThat(update(Model.newBuilder().setSummary("y"), "summary").getSummary()).isEqualTo("y");
  }
}
