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
  void claimsOfHugeTensorsAreRefusedWithoutAllocatingForThem() {
    TensorBufferPool pool = new TensorBufferPool(1 << 20, 1 << 20);
    InferRequestDecoder guarded = new InferRequestDecoder(Integer.MAX_VALUE, pool);
    ModelInferRequest twoGibFp32 =
        ModelInferRequest.newBuilder()
            .addInputs(input("input", "FP32", 16_777_216, 32))
            .addRawInputContents(Tensors.fp32(1f, 2f, 3f, 4f))
            .build();
    java.nio.ByteBuffer prefix =
        java.nio.ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFF_FFFF);
    ModelInferRequest twoGibString =
        ModelInferRequest.newBuilder()
            .addInputs(input("x", "BYTES", 1, 4))
            .addRawInputContents(com.google.protobuf.ByteString.copyFrom(prefix.array()))
            .build();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();

    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> guarded.decode(twoGibFp32, TestSignatures.MLP, "model 'mlp'"))
          .hasMessageContaining("needs 2147483648 bytes, but raw_input_contents[0] holds 16");
      assertThatThrownBy(
              () ->
                  guarded.decode(
                      twoGibString, TestSignatures.identity(Datatype.BYTES), "model 's'"))
          .hasMessageContaining("claims 2147483647 bytes at byte 0 but only 4 follow");
    }
    long perRequest = (threads.getThreadAllocatedBytes(thread) - before) / 200;

    assertThat(pool.allocations()).as("no tensor buffer was taken").isZero();
    assertThat(perRequest).as("heap bytes allocated per refused request").isLessThan(64 * 1024);
  }

  @Test
  void inputsComeOutInTheModelsOrderAndGoBackToThePool() {
    TensorBufferPool pool = new TensorBufferPool(1 << 20, 1 << 20);
    InferRequestDecoder pooled = new InferRequestDecoder(1024, pool);
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .addInputs(input("b", "FP32", 1, 8))
            .addInputs(input("a", "FP32", 1, 8))
            .addRawInputContents(Tensors.fp32(new float[8]))
            .addRawInputContents(Tensors.fp32(new float[8]))
            .build();

    DecodedRequest first = pooled.decode(request, TestSignatures.TWO_IN_TWO_OUT, "model 'x'");
    assertThat(first.inputs()).extracting(InputTensor::name).containsExactly("a", "b");
    assertThat(first.batchable()).isTrue();
    pooled.release(first);
    DecodedRequest second = pooled.decode(request, TestSignatures.TWO_IN_TWO_OUT, "model 'x'");
    pooled.release(second);

    assertThat(pool.allocations())
        .as("the second request reused the first one's buffers")
        .isEqualTo(2);
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
