package dev.agora.testing.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.agora.proto.onnx.ModelProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the per-datatype Identity models, and the datatype table in TestModels' Javadoc. */
class IdentityModelsTest {
  private static final long[] SHAPE = {2, 4};
  private static final String ELEMENT_TYPE_PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";
  private static OrtEnvironment env;
  private static OrtSession.SessionOptions options;

  @BeforeAll
  static void startRuntime() {
    env = OrtEnvironment.getEnvironment();
    options = new OrtSession.SessionOptions();
  }

  @AfterAll
  static void closeOptions() {
    options.close();
  }

  static Stream<Arguments> fixedSizeDatatypes() {
    return Stream.of(
        Arguments.of("BOOL", OnnxJavaType.BOOL),
        Arguments.of("UINT8", OnnxJavaType.UINT8),
        Arguments.of("INT8", OnnxJavaType.INT8),
        Arguments.of("INT16", OnnxJavaType.INT16),
        Arguments.of("INT32", OnnxJavaType.INT32),
        Arguments.of("INT64", OnnxJavaType.INT64),
        Arguments.of("FP16", OnnxJavaType.FLOAT16),
        Arguments.of("FP32", OnnxJavaType.FLOAT),
        Arguments.of("FP64", OnnxJavaType.DOUBLE),
        Arguments.of("BF16", OnnxJavaType.BFLOAT16));
  }

  @Test
  void runnableSetIsTheFixedSizeTypesPlusBytes() {
    Stream<String> fixed = fixedSizeDatatypes().map(arguments -> (String) arguments.get()[0]);
    assertThat(TestModels.ORT_RUNNABLE_DATATYPES)
        .containsExactlyInAnyOrderElementsOf(Stream.concat(fixed, Stream.of("BYTES")).toList());
  }

  @ParameterizedTest
  @MethodSource("fixedSizeDatatypes")
  void fixedSizeIdentityRoundTripsTheBytes(String datatype, OnnxJavaType javaType)
      throws OrtException {
    ByteBuffer input = ByteBuffer.allocateDirect(8 * javaType.size).order(ByteOrder.nativeOrder());
    for (int i = 0; i < input.capacity(); i++) {
      // BOOL must stay 0/1; other types take any bit pattern through Identity unchanged.
      input.put(i, javaType == OnnxJavaType.BOOL ? (byte) (i % 2) : (byte) (i * 37 + 11));
    }
    try (OrtSession session = env.createSession(TestModels.identity(datatype), options);
        OnnxTensor x = OnnxTensor.createTensor(env, input, SHAPE, javaType);
        OrtSession.Result result = session.run(Map.of("x", x))) {
      OnnxTensor y = (OnnxTensor) result.get("y").orElseThrow();
      assertThat(y.getInfo().onnxType.name())
          .isEqualTo(ELEMENT_TYPE_PREFIX + OipDatatype.fromName(datatype).onnxType().name());
      assertThat(y.getInfo().getShape()).containsExactly(SHAPE);
      ByteBuffer output = y.getByteBuffer();
      input.rewind();
      assertThat(output).isEqualTo(input);
    }
  }

  @Test
  void bytesIdentityRoundTripsStrings() throws OrtException {
    String[] values = {"a", "", "hello", "ünïcödé", "x y", "\u0000", "long string", "8"};
    try (OrtSession session = env.createSession(TestModels.identity("BYTES"), options);
        OnnxTensor x = OnnxTensor.createTensor(env, values, SHAPE);
        OrtSession.Result result = session.run(Map.of("x", x))) {
      OnnxTensor y = (OnnxTensor) result.get("y").orElseThrow();
      assertThat(y.getInfo().onnxType)
          .isEqualTo(TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING);
      String[][] output = (String[][]) y.getValue();
      assertThat(output[0]).containsExactly("a", "", "hello", "ünïcödé");
      assertThat(output[1]).containsExactly("x y", "\u0000", "long string", "8");
    }
  }

  /** The Javadoc's claim: unsigned 16/32/64 load, but Java cannot create a matching tensor. */
  @ParameterizedTest
  @ValueSource(strings = {"UINT16", "UINT32", "UINT64"})
  void wideUnsignedModelsLoadButJavaCannotFeedThem(String datatype) throws Exception {
    assertThat(TestModels.ORT_RUNNABLE_DATATYPES).doesNotContain(datatype);
    assertThat(ModelProto.parseFrom(TestModels.identity(datatype)).getGraph().getInput(0))
        .satisfies(
            input ->
                assertThat(input.getType().getTensorType().getElemType())
                    .isEqualTo(OipDatatype.fromName(datatype).onnxType().getNumber()));
    try (OrtSession session = env.createSession(TestModels.identity(datatype), options)) {
      TensorInfo info = (TensorInfo) session.getInputInfo().get("x").getInfo();
      assertThat(info.onnxType.name()).endsWith(datatype);
      // The closest Java type is the signed one of the same width, which ORT refuses.
      ByteBuffer bytes = ByteBuffer.allocateDirect(8 * info.type.size);
      try (OnnxTensor signed = OnnxTensor.createTensor(env, bytes, SHAPE, info.type)) {
        assertThatThrownBy(() -> session.run(Map.of("x", signed)))
            .isInstanceOf(OrtException.class)
            .hasMessageContaining("Unexpected input data type");
      }
    }
    assertKnownGoodIdentityRuns();
  }

  @ParameterizedTest
  @ValueSource(strings = {"FLOAT", "fp32", "STRING", "", "TYPE_FP32"})
  void unknownDatatypeNamesAreRejected(String name) throws OrtException {
    assertThatThrownBy(() -> TestModels.identity(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name);
    assertKnownGoodIdentityRuns();
  }

  @Test
  void nullDatatypeNameIsRejected() throws OrtException {
    assertThatThrownBy(() -> TestModels.identity(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertKnownGoodIdentityRuns();
  }

  private static void assertKnownGoodIdentityRuns() throws OrtException {
    try (OrtSession session = env.createSession(TestModels.identity("INT32"), options);
        OnnxTensor x = OnnxTensor.createTensor(env, new int[][] {{1, 2, 3, 4}});
        OrtSession.Result result = session.run(Map.of("x", x))) {
      assertThat((int[][]) result.get(0).getValue()).isEqualTo(new int[][] {{1, 2, 3, 4}});
    }
  }
}
