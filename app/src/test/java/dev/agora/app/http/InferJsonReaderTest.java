package dev.agora.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.google.protobuf.ByteString;
import dev.agora.proto.inference.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InferJsonReaderTest {
  private final InferJsonReader reader = new InferJsonReader(new JsonFactory());

  private RestInferRequest read(String json, byte[] binary) {
    return reader.read(
        "m", "1.0.0", json.getBytes(StandardCharsets.UTF_8), ByteString.copyFrom(binary));
  }

  @Test
  void nestedJsonDataBecomesLittleEndianRawContents() {
    RestInferRequest request =
        read(
            "{\"id\":\"r1\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\","
                + "\"data\":[[1,2.5],[3,-4]]}]}",
            new byte[0]);

    ModelInferRequest grpc = request.grpc();
    assertThat(grpc.getModelName()).isEqualTo("m");
    assertThat(grpc.getModelVersion()).isEqualTo("1.0.0");
    assertThat(grpc.getId()).isEqualTo("r1");
    assertThat(grpc.getInputs(0).getShapeList()).containsExactly(2L, 2L);
    ByteBuffer raw =
        grpc.getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new float[] {raw.getFloat(), raw.getFloat(), raw.getFloat(), raw.getFloat()})
        .containsExactly(1f, 2.5f, 3f, -4f);
  }

  @Test
  void binaryInputsAreTakenInOrderFromTheSection() {
    byte[] binary = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    RestInferRequest request =
        read(
            "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"INT32\","
                + "\"parameters\":{\"binary_data_size\":4}},"
                + "{\"name\":\"b\",\"shape\":[1],\"datatype\":\"INT64\","
                + "\"parameters\":{\"binary_data_size\":8}}],"
                + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}},"
                + "{\"name\":\"z\"}]}",
            binary);

    assertThat(request.grpc().getRawInputContents(0).toByteArray()).containsExactly(1, 2, 3, 4);
    assertThat(request.grpc().getRawInputContents(1).toByteArray())
        .containsExactly(5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(request.grpc().getInputs(0).getParametersMap()).isEmpty();
    assertThat(request.binary("y")).isTrue();
    assertThat(request.binary("z")).isFalse();
  }

  @Test
  void bytesAndBoolsAreEncodedAsTheProtocolSays() {
    RestInferRequest request =
        read(
            "{\"parameters\":{\"binary_data_output\":true},\"inputs\":["
                + "{\"name\":\"s\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"hi\",\"\"]},"
                + "{\"name\":\"b\",\"shape\":[2],\"datatype\":\"BOOL\",\"data\":[true,false]}]}",
            new byte[0]);

    assertThat(request.grpc().getRawInputContents(0).toByteArray())
        .containsExactly(2, 0, 0, 0, 'h', 'i', 0, 0, 0, 0);
    assertThat(request.grpc().getRawInputContents(1).toByteArray()).containsExactly(1, 0);
    assertThat(request.binary("anything")).isTrue();
    assertThat(request.grpc().getParametersMap()).doesNotContainKey("binary_data_output");
  }

  @Test
  void refusesBinaryClaimsBeyondTheBody() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\","
                        + "\"parameters\":{\"binary_data_size\":2147483647}}]}",
                    new byte[4]))
        .isInstanceOf(RestException.class)
        .hasMessageContaining("input 'a' claims 2147483647 bytes");
  }

  @Test
  void refusesUnclaimedBinaryData() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\","
                        + "\"data\":[1]}]}",
                    new byte[4]))
        .hasMessageContaining("no input claims them");
  }

  @Test
  void refusesOutOfRangeIntegersAndUnknownDatatypes() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"INT8\","
                        + "\"data\":[300]}]}",
                    new byte[0]))
        .hasMessageContaining("300 is out of range for INT8");
    assertThatThrownBy(
            () ->
                read(
                    "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP8\","
                        + "\"data\":[1]}]}",
                    new byte[0]))
        .hasMessageContaining("unknown datatype 'FP8'");
  }

  @Test
  void refusesMalformedJson() {
    assertThatThrownBy(() -> read("{\"inputs\":[", new byte[0]))
        .isInstanceOf(RestException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> read("[1,2]", new byte[0])).hasMessageContaining("JSON object");
  }

  @Test
  void readsTheNonFiniteTokensPythonWritesForFloats() {
    RestInferRequest request =
        read(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[4],\"datatype\":\"FP32\","
                + "\"data\":[NaN,Infinity,-Infinity,-0.0]}]}",
            new byte[0]);

    ByteBuffer raw =
        request.grpc().getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(raw.getFloat()).isNaN();
    assertThat(raw.getFloat()).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(raw.getFloat()).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(Float.floatToRawIntBits(raw.getFloat())).isEqualTo(0x80000000);
  }

  @Test
  void readsUint64ValuesAboveTheRangeOfLongAndRefusesLargerOnes() {
    RestInferRequest request =
        read(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"UINT64\","
                + "\"data\":[18446744073709551615,9223372036854775808]}]}",
            new byte[0]);

    ByteBuffer raw =
        request.grpc().getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(raw.getLong()).isEqualTo(-1L);
    assertThat(raw.getLong()).isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(
            () ->
                read(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"UINT64\","
                        + "\"data\":[18446744073709551616]}]}",
                    new byte[0]))
        .isInstanceOf(RestException.class)
        .hasMessageContaining("18446744073709551616 is out of range for UINT64");
  }
}
