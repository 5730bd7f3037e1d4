package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static dev.agora.registry.service.SignatureModels.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.PreconditionFailure;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.SignatureChange;
import dev.agora.proto.registry.v1.SignatureRule;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.service.SignatureModels.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every signature rule, through UploadVersion and PublishVersion on the real server. */
class VersioningRulesTest {
  private static final Tensor X = tensor("x", "FP32", -1, 4);
  private static final Tensor W = tensor("w", "FP32", -1, 3);
  private static final Tensor Y = tensor("y", "FP32", -1, 2);
  private static final Tensor S = tensor("s", "FP32", -1, 1);
  private static final byte[] BASE = SignatureModels.model(List.of(X, W), List.of(Y, S));

  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-04-01T00:00:00Z")));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  /** Rule, candidate inputs and outputs, and the differences expected against the base model. */
  static Stream<Arguments> rules() {
    return Stream.of(
        row(SignatureRule.SIGNATURE_INPUT_REMOVED, List.of(X), List.of(Y, S), "input `w` removed"),
        row(
            SignatureRule.SIGNATURE_INPUT_RENAMED,
            List.of(tensor("x2", "FP32", -1, 4), W),
            List.of(Y, S),
            "input `x` renamed to `x2`"),
        row(
            SignatureRule.SIGNATURE_INPUT_ADDED,
            List.of(X, W, tensor("z", "INT64", -1, 1)),
            List.of(Y, S),
            "input `z` added"),
        row(
            SignatureRule.SIGNATURE_INPUT_DATATYPE_CHANGED,
            List.of(tensor("x", "FP64", -1, 4), W),
            List.of(Y, S),
            "input `x` FP32→FP64"),
        row(
            SignatureRule.SIGNATURE_INPUT_RANK_CHANGED,
            List.of(tensor("x", "FP32", -1, 4, 1), W),
            List.of(Y, S),
            "input `x` rank 2→3 ([-1,4]→[-1,4,1])"),
        row(
            SignatureRule.SIGNATURE_INPUT_DIM_CHANGED,
            List.of(tensor("x", "FP32", -1, 8), W),
            List.of(Y, S),
            "input `x` dimension 1: 4→8"),
        row(
            SignatureRule.SIGNATURE_INPUT_DIM_FIXED,
            List.of(tensor("x", "FP32", 1, 4), W),
            List.of(Y, S),
            "input `x` dimension 0: dynamic→1"),
        row(
            SignatureRule.SIGNATURE_INPUT_DIM_DYNAMIC,
            List.of(tensor("x", "FP32", -1, -1), W),
            List.of(Y, S),
            "input `x` dimension 1: 4→dynamic"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_REMOVED,
            List.of(X, W),
            List.of(Y),
            "output `s` removed"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_RENAMED,
            List.of(X, W),
            List.of(tensor("y2", "FP32", -1, 2), S),
            "output `y` renamed to `y2`"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_ADDED,
            List.of(X, W),
            List.of(Y, S, tensor("z", "FP32", -1, 1)),
            "output `z` added"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_DATATYPE_CHANGED,
            List.of(X, W),
            List.of(tensor("y", "INT64", -1, 2), S),
            "output `y` FP32→INT64"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_RANK_CHANGED,
            List.of(X, W),
            List.of(tensor("y", "FP32", -1, 2, 1), S),
            "output `y` rank 2→3 ([-1,2]→[-1,2,1])"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_DIM_CHANGED,
            List.of(X, W),
            List.of(tensor("y", "FP32", -1, 3), S),
            "output `y` dimension 1: 2→3"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_DIM_FIXED,
            List.of(X, W),
            List.of(tensor("y", "FP32", 1, 2), S),
            "output `y` dimension 0: dynamic→1"),
        row(
            SignatureRule.SIGNATURE_OUTPUT_DIM_DYNAMIC,
            List.of(X, W),
            List.of(tensor("y", "FP32", -1, -1), S),
            "output `y` dimension 1: 2→dynamic"));
  }

  private static Arguments row(
      SignatureRule rule, List<Tensor> inputs, List<Tensor> outputs, String description) {
    return Arguments.of(rule, SignatureModels.model(inputs, outputs), description);
  }

  private static final List<SignatureRule> COMPATIBLE =
      List.of(
          SignatureRule.SIGNATURE_INPUT_DIM_DYNAMIC,
          SignatureRule.SIGNATURE_OUTPUT_ADDED,
          SignatureRule.SIGNATURE_OUTPUT_DIM_FIXED);

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void eachRuleIsAppliedOnUpload(SignatureRule rule, byte[] candidate, String description) {
    String model = "rule-" + rule.getNumber();
    registry.createModel(model);
    registry.upload(model, "1.0.0", BASE);
    registry.publish(model, "1.0.0");

    if (COMPATIBLE.contains(rule)) {
      ModelVersion minor = registry.upload(model, "1.1.0", candidate);
      assertThat(minor.getCompatibility().getCompatible()).isTrue();
      assertThat(minor.getCompatibility().getBaselineVersion()).isEqualTo("1.0.0");
      assertThat(minor.getCompatibility().getSummary()).isEqualTo("compatible with 1.0.0");
      assertThat(minor.getCompatibility().getChangesList())
          .singleElement()
          .satisfies(change -> assertChange(change, rule, description, false));
      assertThat(registry.publish(model, "1.1.0").getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
      return;
    }

    StatusRuntimeException refused =
        assertFailure(
            () -> registry.upload(model, "1.1.0", candidate),
            Status.Code.FAILED_PRECONDITION,
            "INCOMPATIBLE_SIGNATURE");
    PreconditionFailure failure = StatusDetails.preconditionFailure(refused).orElseThrow();
    assertThat(failure.getViolationsList())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.getType()).isEqualTo(rule.name());
              assertThat(violation.getDescription()).isEqualTo(description);
              assertThat(description).startsWith(violation.getSubject());
            });
    assertThat(refused.getStatus().getDescription()).contains(description).contains("1.0.0");
    assertFailure(
        () -> registry.getVersion(model, "1.1.0"), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");
    assertThat(registry.stagedUploads()).isZero();
    assertThat(registry.blobExists(candidate)).isFalse();

    ModelVersion major = registry.upload(model, "2.0.0", candidate);
    assertThat(major.getCompatibility().getCompatible()).isFalse();
    assertThat(major.getCompatibility().getBaselineVersion()).isEqualTo("1.0.0");
    assertThat(major.getCompatibility().getSummary()).isEqualTo("breaking: " + description);
    assertThat(major.getCompatibility().getChangesList())
        .singleElement()
        .satisfies(change -> assertChange(change, rule, description, true));
    assertThat(registry.publish(model, "2.0.0").getCompatibility())
        .isEqualTo(major.getCompatibility());
    assertThat(registry.getVersion(model, "2.0.0").getCompatibility())
        .isEqualTo(major.getCompatibility());
  }

  private static void assertChange(
      SignatureChange change, SignatureRule rule, String description, boolean breaking) {
    assertThat(change.getRule()).isEqualTo(rule);
    assertThat(change.getDescription()).isEqualTo(description);
    assertThat(change.getBreaking()).isEqualTo(breaking);
  }

  @Test
  void everyBreakingDifferenceIsListedInOneRefusal() {
    registry.createModel("several");
    registry.upload("several", "1.0.0", BASE);
    registry.publish("several", "1.0.0");
    byte[] candidate = SignatureModels.model(List.of(tensor("x", "FP64", -1, 4), W), List.of(Y));

    StatusRuntimeException refused =
        assertFailure(
            () -> registry.upload("several", "1.0.1", candidate),
            Status.Code.FAILED_PRECONDITION,
            "INCOMPATIBLE_SIGNATURE");

    assertThat(StatusDetails.preconditionFailure(refused).orElseThrow().getViolationsList())
        .extracting(
            PreconditionFailure.Violation::getType, PreconditionFailure.Violation::getSubject)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("SIGNATURE_INPUT_DATATYPE_CHANGED", "input `x`"),
            org.assertj.core.groups.Tuple.tuple("SIGNATURE_OUTPUT_REMOVED", "output `s`"));
    assertThat(registry.upload("several", "2.0.0", candidate).getCompatibility().getSummary())
        .isEqualTo("breaking: input `x` FP32→FP64; output `s` removed");
  }

  @Test
  void theFirstVersionAndVersionsAfterOnlyDraftsHaveNoBaseline() {
    registry.createModel("fresh");
    ModelVersion first = registry.upload("fresh", "1.0.0", BASE);
    assertThat(first.getCompatibility().getCompatible()).isTrue();
    assertThat(first.getCompatibility().getBaselineVersion()).isEmpty();
    assertThat(first.getCompatibility().getSummary()).isEqualTo("no earlier published version");

    byte[] breaking = SignatureModels.model(List.of(X), List.of(Y, S));
    ModelVersion second = registry.upload("fresh", "1.1.0", breaking);
    assertThat(second.getCompatibility().getSummary()).isEqualTo("no earlier published version");
  }

  @Test
  void publishingComparesAgainWithTheVersionsPublishedSinceTheUpload() {
    registry.createModel("racing");
    registry.upload("racing", "1.0.0", BASE);
    registry.upload("racing", "1.1.0", SignatureModels.model(List.of(X), List.of(Y, S)));
    registry.publish("racing", "1.0.0");

    StatusRuntimeException refused =
        assertFailure(
            () -> registry.publish("racing", "1.1.0"),
            Status.Code.FAILED_PRECONDITION,
            "INCOMPATIBLE_SIGNATURE");
    assertThat(StatusDetails.preconditionFailure(refused).orElseThrow().getViolationsList())
        .extracting(PreconditionFailure.Violation::getType)
        .containsExactly("SIGNATURE_INPUT_REMOVED");
    assertThat(registry.getVersion("racing", "1.1.0").getStage()).isEqualTo(Stage.STAGE_DRAFT);

    registry.upload("racing", "1.2.0", BASE);
    ModelVersion published = registry.publish("racing", "1.2.0");
    assertThat(published.getCompatibility().getSummary()).isEqualTo("compatible with 1.0.0");
  }

  @Test
  void majorVersionZeroNeedsAMinorBumpForBreakingChanges() {
    registry.createModel("early");
    registry.upload("early", "0.1.0", BASE);
    registry.publish("early", "0.1.0");
    byte[] breaking = SignatureModels.model(List.of(X), List.of(Y, S));

    assertFailure(
        () -> registry.upload("early", "0.1.1", breaking),
        Status.Code.FAILED_PRECONDITION,
        "INCOMPATIBLE_SIGNATURE");
    ModelVersion minor = registry.upload("early", "0.2.0", breaking);
    assertThat(minor.getCompatibility().getSummary()).isEqualTo("breaking: input `w` removed");
  }

  @Test
  void preReleasesAreNeverABaselineAndLowerVersionsCompareWithTheirPredecessor() {
    registry.createModel("lines");
    registry.upload("lines", "1.0.0", BASE);
    registry.publish("lines", "1.0.0");
    byte[] next = SignatureModels.model(List.of(X), List.of(Y));
    registry.upload("lines", "2.0.0-rc.1", next);
    registry.publish("lines", "2.0.0-rc.1");

    ModelVersion release = registry.upload("lines", "2.0.0", BASE);
    assertThat(release.getCompatibility().getSummary()).isEqualTo("compatible with 1.0.0");
    registry.publish("lines", "2.0.0");

    registry.upload(
        "lines",
        "1.0.1",
        SignatureModels.model(List.of(X, W), List.of(Y, S, tensor("z", "FP32", -1, 1))));
    assertThat(registry.getVersion("lines", "1.0.1").getCompatibility().getBaselineVersion())
        .isEqualTo("1.0.0");
  }
}
