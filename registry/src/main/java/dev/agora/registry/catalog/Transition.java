package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lifecycle transitions of a version besides the direct publish, each with the stages it starts
 * from and the stage it ends in. The name of each ({@code LIFECYCLE_SUBMIT}, ...) is the
 * PreconditionFailure violation type when a version is in the wrong stage for it.
 */
enum Transition {
  SUBMIT("submitted for review", EnumSet.of(Stage.STAGE_DRAFT), Stage.STAGE_IN_REVIEW),
  APPROVE("approved", EnumSet.of(Stage.STAGE_IN_REVIEW), Stage.STAGE_PUBLISHED),
  REJECT("rejected", EnumSet.of(Stage.STAGE_IN_REVIEW), Stage.STAGE_REJECTED),
  REOPEN("reopened", EnumSet.of(Stage.STAGE_REJECTED), Stage.STAGE_DRAFT),
  DEPRECATE("deprecated", EnumSet.of(Stage.STAGE_PUBLISHED), Stage.STAGE_DEPRECATED),
  RETIRE("retired", EnumSet.of(Stage.STAGE_PUBLISHED, Stage.STAGE_DEPRECATED), Stage.STAGE_RETIRED);

  private final String verb;
  private final Set<Stage> from;
  private final Stage to;

  Transition(String verb, Set<Stage> from, Stage to) {
    this.verb = verb;
    this.from = from;
    this.to = to;
  }

  /** The past participle the audit summary and refusals use, e.g. "submitted for review". */
  String verb() {
    return verb;
  }

  Stage to() {
    return to;
  }

  /** The PreconditionFailure violation type naming this rule. */
  String rule() {
    return "LIFECYCLE_" + name();
  }

  /**
   * Throws unless the version is in a stage this transition starts from.
   *
   * @throws AgoraException {@code LIFECYCLE_VIOLATION} naming the rule
   */
  void requireFrom(ModelVersion version) {
    if (from.contains(version.getStage())) {
      return;
    }
    String subject = CatalogRefusals.subject(version);
    String allowed = from.stream().map(Transition::stageName).collect(Collectors.joining(" or "));
    String rule = allowed + " → " + stageName(to);
    throw AgoraException.builder(
            ErrorReason.LIFECYCLE_VIOLATION,
            "Only a "
                + allowed
                + " version can be "
                + verb
                + "; "
                + subject
                + " is "
                + stageName(version.getStage())
                + ".")
        .preconditionViolation(
            rule(),
            subject,
            "The rule "
                + rule()
                + " allows "
                + rule
                + "; the version is "
                + stageName(version.getStage())
                + ".")
        .metadata("stage", version.getStage().name())
        .build();
  }

  static String stageName(Stage stage) {
    return stage.name().replace("STAGE_", "");
  }
}
