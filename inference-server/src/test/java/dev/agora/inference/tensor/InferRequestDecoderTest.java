package dev.agora.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.AgoraException.FieldViolation;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.inference.fixtures.TestSignatures;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.inference.InferTensorContents;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferRequestDecoderTest {
  final InferRequestDecoder decoder = new InferRequestDecoder(1024);

  @Test
  void rawInputBecomesADirectLittleEndianBuffer() {
    float[] values = Tensors.sampleFp32(5 * 32, 1);
    DecodedRequest decoded =
        decoder.decode(
            ModelInferRequest.newBuilder()
                .addInputs(input("input", "FP32", 5, 32))
                .addRawInputContents(Tensors.fp32(values))
                .build(),
            TestSignatures.MLP,
            "model 'mlp'");

    InputTensor input = decoded.inputs().get(0);
    assertThat(input.data().isDirect()).isTrue();
    assertThat(input.shape()).containsExactly(5, 32);
    float[] read = new float[values.length];
    input.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(read);
    assertThat(read).containsExactly(values);
    assertThat(decoded.outputNames()).containsExactly("output");
    assertThat(decoded.batchSize()).isEqualTo(5);
  }

  @Test
  void tensorLargerThanTheLimitIsRefusedWithLimitExceeded() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .addInputs(input("input", "FP32", 9, 32))
            .addRawInputContents(Tensors.fp32(new float[9 * 32]))
            .build();

    assertThatThrownBy(() -> decoder.decode(request, TestSignatures.MLP, "model 'mlp'"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
              assertThat(e.fieldViolations())
                  .containsExactly(
                      new FieldViolation(
                          "inputs[0]",
                          "input 'input' needs 1152 bytes, more than the limit of 1024 bytes per"
                              + " tensor"));
            });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .addInputs(input("a", "FP32", 1, 7))
            .addInputs(input("c", "FP32", 1, 8))
            .addRawInputContents(Tensors.fp32(new float[7]))
            .addRawInputContents(Tensors.fp32(new float[8]))
            .build();

    assertThatThrownBy(() -> decoder.decode(request, TestSignatures.TWO_IN_TWO_OUT, "model 'x'"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_TENSOR);
              assertThat(e.fieldViolations())
                  .extracting(FieldViolation::field)
                  .containsExactly("inputs[0]", "inputs[1]", "inputs");
              assertThat(e.getMessage())
                  .startsWith("Invalid inference request for model 'x': ")
                  .contains("dimension 1 must be 8", "unknown input 'c'", "missing input 'b'");
            });
  }

  @Test
  void typedNarrowAndUnsignedIntegersAreRangeCheckedAndPacked() {
    DecodedRequest decoded =
        decoder.decode(
            ModelInferRequest.newBuilder()
                .addInputs(
                    input("x", "INT16", 1, 4)
                        .setContents(
                            InferTensorContents.newBuilder()
                                .addAllIntContents(List.of(-32768, -1, 1, 32767))))
                .build(),
            TestSignatures.identity(Datatype.INT16),
            "model 'i16'");
    ByteBuffer data = decoded.inputs().get(0).data().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.remaining()).isEqualTo(8);
    assertThat(new short[] {data.getShort(0), data.getShort(2), data.getShort(4), data.getShort(6)})
        .containsExactly((short) -32768, (short) -1, (short) 1, (short) 32767);

    ModelInferRequest tooBig =
        ModelInferRequest.newBuilder()
            .addInputs(
                input("x", "UINT16", 1, 4)
                    .setContents(
                        InferTensorContents.newBuilder()
                            .addAllUintContents(List.of(1, 2, 65536, 3))))
            .build();
    assertThatThrownBy(
            () -> decoder.decode(tooBig, TestSignatures.identity(Datatype.UINT16), "model 'u16'"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> assertThat(e.getMessage()).contains("value 65536 at index 2 exceeds 65535"));
  }

  @Test
  void halfPrecisionHasNoTypedForm() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .addInputs(
                input("x", "FP16", 1, 4)
                    .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
            .build();

    assertThatThrownBy(
            () -> decoder.decode(request, TestSignatures.identity(Datatype.FP16), "model 'h'"))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("input 'x' is FP16, which has no typed contents"));
  }

  @Test
  void limitMustFitADirectBuffer() {
    assertThatThrownBy(() -> new InferRequestDecoder(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InferRequestDecoder(1L << 31))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static InferInputTensor.Builder input(String name, String datatype, long... shape) {
    InferInputTensor.Builder tensor =
        InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long dim : shape) {
      tensor.addShape(dim);
    }
    return tensor;
  }
}
