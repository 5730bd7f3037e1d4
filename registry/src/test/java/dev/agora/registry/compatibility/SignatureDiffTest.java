package dev.agora.registry.compatibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.agora.proto.registry.v1.Signature;
import dev.agora.proto.registry.v1.SignatureChange;
import dev.agora.proto.registry.v1.SignatureRule;
import dev.agora.proto.registry.v1.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signature differences themselves, without a server. */
class SignatureDiffTest {

  private static TensorSpec tensor(String name, String datatype, long... shape) {
    TensorSpec.Builder spec = TensorSpec.newBuilder().setName(name).setDatatype(datatype);
    for (long dimension : shape) {
      spec.addShape(dimension);
    }
    return spec.build();
  }

  private static Signature signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    return Signature.newBuilder().addAllInputs(inputs).addAllOutputs(outputs).build();
  }

  @Test
  void identicalSignaturesHaveNoDifferences() {
    Signature same =
        signature(List.of(tensor("x", "FP32", -1, 4)), List.of(tensor("y", "FP32", -1, 2)));
    assertThat(SignatureDiff.between(same, same)).isEmpty();
  }

  @Test
  void aRenameNeedsTheSamePositionDatatypeAndShape() {
    Signature before =
        signature(
            List.of(tensor("a", "FP32", -1, 4), tensor("b", "INT64", -1)),
            List.of(tensor("y", "FP32", -1)));
    Signature renamed =
        signature(
            List.of(tensor("a2", "FP32", -1, 4), tensor("b2", "INT32", -1)),
            List.of(tensor("y", "FP32", -1)));

    assertThat(SignatureDiff.between(before, renamed))
        .extracting(SignatureChange::getRule, SignatureChange::getDescription)
        .containsExactly(
            tuple(SignatureRule.SIGNATURE_INPUT_RENAMED, "input `a` renamed to `a2`"),
            tuple(SignatureRule.SIGNATURE_INPUT_REMOVED, "input `b` removed"),
            tuple(SignatureRule.SIGNATURE_INPUT_ADDED, "input `b2` added"));
  }

  @Test
  void eachChangedDimensionIsOneDifferenceAndARankChangeHidesThem() {
    Signature before =
        signature(List.of(tensor("x", "FP32", 1, 4, 4)), List.of(tensor("y", "FP16", 8)));
    Signature after =
        signature(List.of(tensor("x", "FP64", -1, 4, 2)), List.of(tensor("y", "FP16", 8, 1)));

    List<SignatureChange> changes = SignatureDiff.between(before, after);
    assertThat(changes)
        .extracting(SignatureChange::getRule, SignatureChange::getBreaking)
        .containsExactly(
            tuple(SignatureRule.SIGNATURE_INPUT_DATATYPE_CHANGED, true),
            tuple(SignatureRule.SIGNATURE_INPUT_DIM_DYNAMIC, false),
            tuple(SignatureRule.SIGNATURE_INPUT_DIM_CHANGED, true),
            tuple(SignatureRule.SIGNATURE_OUTPUT_RANK_CHANGED, true));
    assertThat(changes.get(1).getDescription()).isEqualTo("input `x` dimension 0: 1→dynamic");
    assertThat(changes.get(3).getDescription()).isEqualTo("output `y` rank 1→2 ([8]→[8,1])");
    assertThat(SignatureDiff.anyBreaking(changes)).isTrue();
    assertThat(SignatureDiff.anyBreaking(changes.subList(1, 2))).isFalse();
  }

  @Test
  void outputsMayGainButNotLoseSizes() {
    Signature before =
        signature(List.of(), List.of(tensor("p", "FP32", -1, 3), tensor("q", "FP32", 5)));
    Signature after =
        signature(
            List.of(),
            List.of(tensor("p", "FP32", 2, 3), tensor("q", "FP32", -1), tensor("r", "BOOL", 1)));

    assertThat(SignatureDiff.between(before, after))
        .extracting(SignatureChange::getRule, SignatureChange::getBreaking)
        .containsExactly(
            tuple(SignatureRule.SIGNATURE_OUTPUT_DIM_FIXED, false),
            tuple(SignatureRule.SIGNATURE_OUTPUT_DIM_DYNAMIC, true),
            tuple(SignatureRule.SIGNATURE_OUTPUT_ADDED, false));
  }
}
