package dev.agora.testing.models;

import dev.agora.proto.onnx.NodeProto;
import dev.agora.proto.onnx.StringStringEntryProto;
import dev.agora.proto.onnx.TensorProto;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The catalogue of generated ONNX test models (IR version 8, default-domain opset 17). Every method
 * returns the serialized {@code ModelProto}; equal calls return equal bytes.
 *
 * <p><b>Identity datatypes (measured with ONNX Runtime Java 1.29.0, CPU).</b> ONNX Runtime loads an
 * {@code Identity} model for all fourteen OIP datatypes, BF16 included. From Java it runs the
 * eleven in {@link #ORT_RUNNABLE_DATATYPES}: BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32,
 * FP64, BF16 and BYTES. UINT16, UINT32 and UINT64 cannot be fed: {@code OnnxJavaType} has no such
 * types, and a tensor of the signed type of the same width is refused with "Unexpected input data
 * type". Outputs of those types can be read (ONNX Runtime reports the signed Java type and {@code
 * getByteBuffer()} returns the unsigned bits). {@link #identity(String)} still builds all fourteen;
 * {@link #all()} holds only the ones ONNX Runtime Java feeds directly. Agora's inference server
 * serves all fourteen (it rewrites unsigned inputs at load, {@code UnsignedInputs}); the end-to-end
 * tests write the other three with {@code tests/e2e/WriteIdentityModels.java}.
 */
public final class TestModels {
  /** OIP datatypes whose {@link #identity(String)} model ONNX Runtime Java 1.29 CPU runs. */
  public static final Set<String> ORT_RUNNABLE_DATATYPES =
      Collections.unmodifiableSet(
          names(
              EnumSet.of(
                  OipDatatype.BOOL,
                  OipDatatype.UINT8,
                  OipDatatype.INT8,
                  OipDatatype.INT16,
                  OipDatatype.INT32,
                  OipDatatype.INT64,
                  OipDatatype.FP16,
                  OipDatatype.FP32,
                  OipDatatype.FP64,
                  OipDatatype.BF16,
                  OipDatatype.BYTES)));

  /** The domain of the custom operator in {@link #withCustomOpDomain()}. */
  public static final String CUSTOM_DOMAIN = "com.example.custom";

  /** The external-data location written by {@link #withExternalData()}. */
  public static final String EXTERNAL_DATA_LOCATION = "../../etc/passwd";

  private static final MlpWeights MLP_WEIGHTS = MlpWeights.generate();

  private TestModels() {}

  /**
   * FP32 {@code input} [-1,32] → Gemm(32x64)+bias → Relu → Gemm(64x2)+bias → {@code output} [-1,2].
   * Weights are drawn from {@code SplittableRandom(42)}, uniform in [-0.5, 0.5); see {@link
   * #mlpReference(float[], int)}.
   */
  public static byte[] mlp() {
    return mlpNamed("mlp");
  }

  /**
   * {@link #mlp()} with another graph name: other bytes (another SHA-256), the same signature and
   * the same answers. A stand-in for a retrained release.
   */
  public static byte[] mlpRelease(int release) {
    return mlpNamed("mlp_release_" + release);
  }

  private static byte[] mlpNamed(String graphName) {
    MlpWeights w = MLP_WEIGHTS;
    return OnnxGraphBuilder.named(graphName)
        .input("input", OipDatatype.FP32, -1, MlpWeights.IN)
        .output("output", OipDatatype.FP32, -1, MlpWeights.OUT)
        .floatInitializer("w1", w.w1, MlpWeights.IN, MlpWeights.HIDDEN)
        .floatInitializer("b1", w.b1, MlpWeights.HIDDEN)
        .floatInitializer("w2", w.w2, MlpWeights.HIDDEN, MlpWeights.OUT)
        .floatInitializer("b2", w.b2, MlpWeights.OUT)
        .node("Gemm", List.of("input", "w1", "b1"), "hidden")
        .node("Relu", List.of("hidden"), "activated")
        .node("Gemm", List.of("activated", "w2", "b2"), "output")
        .build()
        .toByteArray();
  }

  /**
   * Plain-Java forward pass of {@link #mlp()} with the same weights.
   *
   * @param input row-major [batch, 32]
   * @return row-major [batch, 2]
   */
  public static float[] mlpReference(float[] input, int batch) {
    return MLP_WEIGHTS.forward(input, batch);
  }

  /** Features per row of {@link #wideMlp()}. */
  public static final int WIDE_FEATURES = 256;

  /**
   * A compute-heavy MLP for batching benchmarks: FP32 {@code input} [-1,256] → Gemm(256×1536) →
   * Relu → Gemm(1536×1536) → Relu → Gemm(1536×16) → {@code output} [-1,16], about 2.8 M weights (11
   * MB) drawn from {@code SplittableRandom(7)}. A single row is memory-bound (every weight is read
   * for one row); 32 rows share the reads, which is what dynamic batching is for.
   */
  public static byte[] wideMlp() {
    int hidden = 1536;
    int out = 16;
    SplittableRandom random = new SplittableRandom(7);
    return OnnxGraphBuilder.named("wide_mlp")
        .input("input", OipDatatype.FP32, -1, WIDE_FEATURES)
        .output("output", OipDatatype.FP32, -1, out)
        .floatInitializer("w1", small(random, WIDE_FEATURES * hidden), WIDE_FEATURES, hidden)
        .floatInitializer("b1", small(random, hidden), hidden)
        .floatInitializer("w2", small(random, hidden * hidden), hidden, hidden)
        .floatInitializer("b2", small(random, hidden), hidden)
        .floatInitializer("w3", small(random, hidden * out), hidden, out)
        .floatInitializer("b3", small(random, out), out)
        .node("Gemm", List.of("input", "w1", "b1"), "h1")
        .node("Relu", List.of("h1"), "a1")
        .node("Gemm", List.of("a1", "w2", "b2"), "h2")
        .node("Relu", List.of("h2"), "a2")
        .node("Gemm", List.of("a2", "w3", "b3"), "output")
        .build()
        .toByteArray();
  }

  private static float[] small(SplittableRandom random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextDouble(-0.05, 0.05);
    }
    return values;
  }

  /**
   * A model with {@link #mlp()}'s signature (FP32 {@code input} [-1,32] → {@code output} [-1,2])
   * that ONNX Runtime opens but cannot run: it reshapes each request to rows of 7, which 32 × batch
   * elements fill only when the batch is a multiple of 7. A stand-in for a broken release that
   * passes upload checks and fails once served.
   */
  public static byte[] failsAtRunTime() {
    return OnnxGraphBuilder.named("fails_at_run_time")
        .input("input", OipDatatype.FP32, -1, MlpWeights.IN)
        .output("output", OipDatatype.FP32, -1, MlpWeights.OUT)
        .int64Initializer("rows_of_seven", new long[] {-1, 7}, 2)
        .floatInitializer("w", new float[7 * MlpWeights.OUT], 7, MlpWeights.OUT)
        .floatInitializer("b", new float[MlpWeights.OUT], MlpWeights.OUT)
        .node("Reshape", List.of("input", "rows_of_seven"), "reshaped")
        .node("Gemm", List.of("reshaped", "w", "b"), "output")
        .build()
        .toByteArray();
  }

  /** INT64 {@code ids} [-1,4] → {@code doubled} INT64 [-1,4] = ids * 2. */
  public static byte[] int64Model() {
    return OnnxGraphBuilder.named("int64_double")
        .input("ids", OipDatatype.INT64, -1, 4)
        .output("doubled", OipDatatype.INT64, -1, 4)
        .int64Initializer("two", new long[] {2})
        .node("Mul", List.of("ids", "two"), "doubled")
        .build()
        .toByteArray();
  }

  /** FP32 {@code a}, {@code b} [-1,8] → {@code sum} = a+b and {@code product} = a*b, [-1,8]. */
  public static byte[] twoInputTwoOutput() {
    return OnnxGraphBuilder.named("two_in_two_out")
        .input("a", OipDatatype.FP32, -1, 8)
        .input("b", OipDatatype.FP32, -1, 8)
        .output("sum", OipDatatype.FP32, -1, 8)
        .output("product", OipDatatype.FP32, -1, 8)
        .node("Add", List.of("a", "b"), "sum")
        .node("Mul", List.of("a", "b"), "product")
        .build()
        .toByteArray();
  }

  /**
   * FP32 {@code x} [-1] → {@code indices} INT64 [1,-1]: the positions of the non-zero elements
   * ({@code NonZero}), so the output's shape depends on the input's values, not only its shape.
   */
  public static byte[] valueShaped() {
    return OnnxGraphBuilder.named("value_shaped")
        .input("x", OipDatatype.FP32, -1)
        .output("indices", OipDatatype.INT64, 1, -1)
        .node("NonZero", List.of("x"), "indices")
        .build()
        .toByteArray();
  }

  /** FP32 {@code x} [1,16] → {@code y} = Relu(x) [1,16]; the batch dimension is static. */
  public static byte[] staticBatch() {
    return OnnxGraphBuilder.named("static_batch")
        .input("x", OipDatatype.FP32, 1, 16)
        .output("y", OipDatatype.FP32, 1, 16)
        .node("Relu", List.of("x"), "y")
        .build()
        .toByteArray();
  }

  /**
   * {@code Identity}: {@code x} [-1,4] → {@code y} [-1,4] of the given OIP datatype (BOOL, UINT8,
   * UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BF16, BYTES — the last is
   * ONNX STRING). See the class comment for which of them ONNX Runtime Java runs.
   *
   * @throws IllegalArgumentException for a name that is not an OIP datatype
   */
  public static byte[] identity(String oipDatatype) {
    OipDatatype datatype = OipDatatype.fromName(oipDatatype);
    return OnnxGraphBuilder.named("identity_" + datatype.fileSuffix())
        .input("x", datatype, -1, 4)
        .output("y", datatype, -1, 4)
        .node("Identity", List.of("x"), "y")
        .build()
        .toByteArray();
  }

  /**
   * FP32 {@code x} [-1,4] + initializer {@code w} [4] → {@code y}, where {@code w} is stored as
   * external data at {@value #EXTERNAL_DATA_LOCATION}. Well-formed, but an artifact inspector must
   * refuse it: the location escapes the model's directory.
   */
  public static byte[] withExternalData() {
    TensorProto weights =
        OnnxGraphBuilder.tensor("w", TensorProto.DataType.FLOAT, 4)
            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
            .addExternalData(entry("location", EXTERNAL_DATA_LOCATION))
            .addExternalData(entry("offset", "0"))
            .addExternalData(entry("length", "16"))
            .build();
    return OnnxGraphBuilder.named("external_data")
        .input("x", OipDatatype.FP32, -1, 4)
        .output("y", OipDatatype.FP32, -1, 4)
        .initializer(weights)
        .node("Add", List.of("x", "w"), "y")
        .build()
        .toByteArray();
  }

  /**
   * FP32 {@code x} [-1,4] → {@code y} through op {@code MyOp} of domain {@value #CUSTOM_DOMAIN}
   * (imported at version 1). Well-formed, but no runtime here implements the operator.
   */
  public static byte[] withCustomOpDomain() {
    NodeProto custom =
        NodeProto.newBuilder()
            .setName("my_op_0")
            .setOpType("MyOp")
            .setDomain(CUSTOM_DOMAIN)
            .addInput("x")
            .addOutput("y")
            .build();
    return OnnxGraphBuilder.named("custom_domain")
        .opset(CUSTOM_DOMAIN, 1)
        .input("x", OipDatatype.FP32, -1, 4)
        .output("y", OipDatatype.FP32, -1, 4)
        .node(custom)
        .build()
        .toByteArray();
  }

  /**
   * Every model ONNX Runtime Java loads and runs, by file name: {@code mlp.onnx}, {@code
   * int64.onnx}, {@code two_in_two_out.onnx}, {@code static_batch.onnx} and {@code
   * identity_<datatype>.onnx} for each of {@link #ORT_RUNNABLE_DATATYPES} (e.g. {@code
   * identity_fp32.onnx}). Iteration order is stable.
   */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> models = new LinkedHashMap<>();
    models.put("mlp.onnx", mlp());
    models.put("int64.onnx", int64Model());
    models.put("two_in_two_out.onnx", twoInputTwoOutput());
    models.put("static_batch.onnx", staticBatch());
    for (OipDatatype datatype : OipDatatype.values()) {
      if (ORT_RUNNABLE_DATATYPES.contains(datatype.name())) {
        models.put("identity_" + datatype.fileSuffix() + ".onnx", identity(datatype.name()));
      }
    }
    return Collections.unmodifiableMap(models);
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  private static Set<String> names(Set<OipDatatype> datatypes) {
    Set<String> names = new LinkedHashSet<>();
    datatypes.forEach(datatype -> names.add(datatype.name()));
    return names;
  }
}
