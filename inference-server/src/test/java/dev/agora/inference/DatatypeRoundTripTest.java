package dev.agora.inference;

import static dev.agora.inference.fixtures.Requests.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.StandardModels;
import dev.agora.inference.fixtures.StatusDetails;
import dev.agora.inference.tensor.BytesElements;
import dev.agora.inference.tensor.Datatype;
import dev.agora.proto.inference.InferTensorContents;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Open Inference Protocol datatype goes through an ONNX identity model and comes back with
 * the same bytes, raw and (where the protocol has one) typed.
 */
class DatatypeRoundTripTest {
  @TempDir static Path cacheDir;
  static InProcessInference inference;

  @BeforeAll
  static void startServer() {
    inference = InProcessInference.started(cacheDir, StandardModels.catalog());
  }

  @AfterAll
  static void stopServer() {
    inference.close();
  }

  @ParameterizedTest
  @EnumSource(Datatype.class)
  void rawBytesComeBackUnchanged(Datatype datatype) {
    ByteString raw = sample(datatype, 2 * 4);
    ModelInferResponse response =
        inference
            .stub()
            .modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName(StandardModels.identity(datatype))
                    .addInputs(input("x", datatype.name(), 2, 4))
                    .addRawInputContents(raw)
                    .build());

    assertThat(response.getOutputs(0).getName()).isEqualTo("y");
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo(datatype.name());
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 4L);
    assertThat(response.getRawOutputContents(0)).isEqualTo(raw);
  }

  @Test
  void unsignedTypedContentsKeepTheirHighBits() {
    ModelInferResponse u32 =
        typed(
            Datatype.UINT32,
            InferTensorContents.newBuilder()
                .addAllUintContents(List.of(0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF)));
    assertThat(ints(u32.getRawOutputContents(0))).containsExactly(0, 1, 0x7FFF_FFFF, -1);

    ModelInferResponse u64 =
        typed(
            Datatype.UINT64,
            InferTensorContents.newBuilder()
                .addAllUint64Contents(List.of(0L, 1L, Long.MAX_VALUE, -1L)));
    ByteBuffer longs = u64.getRawOutputContents(0).asReadOnlyByteBuffer();
    longs.order(ByteOrder.LITTLE_ENDIAN);
    assertThat(
            new long[] {longs.getLong(0), longs.getLong(8), longs.getLong(16), longs.getLong(24)})
        .containsExactly(0L, 1L, Long.MAX_VALUE, -1L);

    ModelInferResponse u16 =
        typed(
            Datatype.UINT16,
            InferTensorContents.newBuilder().addAllUintContents(List.of(0, 1, 0x8000, 0xFFFF)));
    ByteBuffer shorts = u16.getRawOutputContents(0).asReadOnlyByteBuffer();
    shorts.order(ByteOrder.LITTLE_ENDIAN);
    assertThat(shorts.getShort(6)).isEqualTo((short) 0xFFFF);
  }

  @Test
  void bytesTypedContentsComeBackLengthPrefixed() {
    List<String> strings = List.of("", "plain", "ünïcødé", "😀 emoji");
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    strings.forEach(s -> contents.addBytesContents(ByteString.copyFromUtf8(s)));

    ModelInferResponse response = typed(Datatype.BYTES, contents);

    List<String> back =
        BytesElements.elements(response.getRawOutputContents(0).asReadOnlyByteBuffer()).stream()
            .map(b -> StandardCharsets.UTF_8.decode(b).toString())
            .toList();
    assertThat(back).containsExactlyElementsOf(strings);
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedWithASentence() {
    List<byte[]> elements =
        List.of(new byte[] {'o', 'k'}, new byte[] {(byte) 0xC3, 0x28}, new byte[0], new byte[0]);
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                inference
                    .stub()
                    .modelInfer(
                        ModelInferRequest.newBuilder()
                            .setModelName(StandardModels.identity(Datatype.BYTES))
                            .addInputs(input("x", "BYTES", 1, 4))
                            .addRawInputContents(
                                ByteString.copyFrom(BytesElements.encode(elements)))
                            .build()));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(StatusDetails.reason(failure)).isEqualTo("INVALID_TENSOR");
    assertThat(failure.getStatus().getDescription()).contains("element 1", "not valid UTF-8");
    assertThat(
            typed(
                    Datatype.INT32,
                    InferTensorContents.newBuilder().addAllIntContents(List.of(1, 2, 3, 4)))
                .getRawOutputContentsCount())
        .isEqualTo(1);
  }

  private static ModelInferResponse typed(Datatype datatype, InferTensorContents.Builder contents) {
    return inference
        .stub()
        .modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName(StandardModels.identity(datatype))
                .addInputs(input("x", datatype.name(), 1, 4).setContents(contents))
                .build());
  }

  /** Deterministic valid values of {@code datatype}: any bits, except BOOL 0/1 and UTF-8 text. */
  static ByteString sample(Datatype datatype, int elements) {
    SplittableRandom random = new SplittableRandom(datatype.ordinal());
    if (datatype == Datatype.BYTES) {
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < elements; i++) {
        values.add(("v" + i + "é".repeat(i)).getBytes(StandardCharsets.UTF_8));
      }
      return ByteString.copyFrom(BytesElements.encode(values));
    }
    byte[] bytes = new byte[elements * datatype.elementBytes()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = datatype == Datatype.BOOL ? (byte) random.nextInt(2) : (byte) random.nextInt();
    }
    if (datatype == Datatype.FP16 || datatype == Datatype.BF16) {
      for (int i = 1; i < bytes.length; i += 2) {
        bytes[i] &= 0x3F; // a finite exponent: NaN payloads need not survive a copy
      }
    }
    return ByteString.copyFrom(bytes);
  }

  private static int[] ints(ByteString raw) {
    int[] values = new int[raw.size() / 4];
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
    return values;
  }
}
