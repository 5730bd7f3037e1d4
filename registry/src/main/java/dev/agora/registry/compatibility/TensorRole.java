package dev.agora.registry.compatibility;

import dev.agora.proto.registry.v1.SignatureChange;
import dev.agora.proto.registry.v1.SignatureRule;
import dev.agora.proto.registry.v1.TensorSpec;
import java.util.EnumSet;
import java.util.Set;

/** Inputs and outputs: the same kinds of difference under different rule names. */
enum TensorRole {
  INPUT("input"),
  OUTPUT("output");

  /** The rules whose differences callers do not notice. */
  private static final Set<SignatureRule> COMPATIBLE =
      EnumSet.of(
          SignatureRule.SIGNATURE_INPUT_DIM_DYNAMIC,
          SignatureRule.SIGNATURE_OUTPUT_ADDED,
          SignatureRule.SIGNATURE_OUTPUT_DIM_FIXED);

  private final String word;

  TensorRole(String word) {
    this.word = word;
  }

  String subject(TensorSpec tensor) {
    return subject(tensor.getName());
  }

  String subject(String name) {
    return word + " `" + name + "`";
  }

  SignatureChange change(SignatureRule rule, String tensorName, String description) {
    return SignatureChange.newBuilder()
        .setRule(rule)
        .setSubject(subject(tensorName))
        .setDescription(description)
        .setBreaking(!COMPATIBLE.contains(rule))
        .build();
  }

  SignatureRule removed() {
    return pick(SignatureRule.SIGNATURE_INPUT_REMOVED, SignatureRule.SIGNATURE_OUTPUT_REMOVED);
  }

  SignatureRule renamed() {
    return pick(SignatureRule.SIGNATURE_INPUT_RENAMED, SignatureRule.SIGNATURE_OUTPUT_RENAMED);
  }

  SignatureRule added() {
    return pick(SignatureRule.SIGNATURE_INPUT_ADDED, SignatureRule.SIGNATURE_OUTPUT_ADDED);
  }

  SignatureRule datatypeChanged() {
    return pick(
        SignatureRule.SIGNATURE_INPUT_DATATYPE_CHANGED,
        SignatureRule.SIGNATURE_OUTPUT_DATATYPE_CHANGED);
  }

  SignatureRule rankChanged() {
    return pick(
        SignatureRule.SIGNATURE_INPUT_RANK_CHANGED, SignatureRule.SIGNATURE_OUTPUT_RANK_CHANGED);
  }

  SignatureRule dimChanged() {
    return pick(
        SignatureRule.SIGNATURE_INPUT_DIM_CHANGED, SignatureRule.SIGNATURE_OUTPUT_DIM_CHANGED);
  }

  SignatureRule dimFixed() {
    return pick(SignatureRule.SIGNATURE_INPUT_DIM_FIXED, SignatureRule.SIGNATURE_OUTPUT_DIM_FIXED);
  }

  SignatureRule dimDynamic() {
    return pick(
        SignatureRule.SIGNATURE_INPUT_DIM_DYNAMIC, SignatureRule.SIGNATURE_OUTPUT_DIM_DYNAMIC);
  }

  private SignatureRule pick(SignatureRule forInput, SignatureRule forOutput) {
    return this == INPUT ? forInput : forOutput;
  }
}
