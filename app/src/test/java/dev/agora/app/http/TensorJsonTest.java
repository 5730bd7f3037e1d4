package dev.agora.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.agora.inference.tensor.Datatype;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorJsonTest {
  private static String json(Datatype datatype, ByteBuffer raw) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
      TensorJson.writeValues(out, datatype, raw.flip());
    }
    return text.toString();
  }

  private static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void writesNonFiniteFloatsAsTheBareTokensPythonAndTritonUse() throws IOException {
    ByteBuffer fp32 =
        buffer(16)
            .putFloat(Float.NaN)
            .putFloat(Float.POSITIVE_INFINITY)
            .putFloat(Float.NEGATIVE_INFINITY)
            .putFloat(-0.0f);
    ByteBuffer fp64 =
        buffer(24).putDouble(Double.NaN).putDouble(Double.NEGATIVE_INFINITY).putDouble(0.5);
    ByteBuffer fp16 =
        buffer(6).putShort((short) 0x7e00).putShort((short) 0xfc00).putShort((short) 0x3c00);
    ByteBuffer bf16 =
        buffer(6).putShort((short) 0x7fc0).putShort((short) 0x7f80).putShort((short) 0x8000);

    assertThat(json(Datatype.FP32, fp32)).isEqualTo("[NaN,Infinity,-Infinity,-0.0]");
    assertThat(json(Datatype.FP64, fp64)).isEqualTo("[NaN,-Infinity,0.5]");
    assertThat(json(Datatype.FP16, fp16)).isEqualTo("[NaN,-Infinity,1.0]");
    assertThat(json(Datatype.BF16, bf16)).isEqualTo("[NaN,Infinity,-0.0]");
  }

  @Test
  void writesUint64ValuesAsNumbersAcrossTheWholeRange() throws IOException {
    ByteBuffer uint64 = buffer(24).putLong(0).putLong(Long.MIN_VALUE).putLong(-1L);

    assertThat(json(Datatype.UINT64, uint64))
        .isEqualTo("[0,9223372036854775808,18446744073709551615]");
  }

  @Test
  void readsUint64ValuesAboveTheRangeOfLong() {
    byte[] raw =
        TensorJson.toRaw(
            "x",
            Datatype.UINT64,
            List.of(new BigInteger("18446744073709551615"), new BigInteger("9223372036854775808")));

    ByteBuffer values = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(values.getLong()).isEqualTo(-1L);
    assertThat(values.getLong()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void refusesBigIntegersOutsideUint64() {
    assertThatThrownBy(
            () ->
                TensorJson.toRaw(
                    "x", Datatype.UINT64, List.of(new BigInteger("18446744073709551616"))))
        .isInstanceOf(RestException.class)
        .hasMessageContaining("18446744073709551616 is out of range for UINT64");
    assertThatThrownBy(
            () ->
                TensorJson.toRaw(
                    "x", Datatype.INT64, List.of(new BigInteger("9223372036854775808"))))
        .isInstanceOf(RestException.class)
        .hasMessageContaining("9223372036854775808 is out of range for INT64");
  }

  @Test
  void nonFiniteValuesReadFromJsonKeepTheirMeaning() {
    byte[] raw =
        TensorJson.toRaw(
            "x",
            Datatype.FP16,
            List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0));

    ByteBuffer values = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(values.getShort()).isEqualTo((short) 0x7e00);
    assertThat(values.getShort()).isEqualTo((short) 0x7c00);
    assertThat(values.getShort()).isEqualTo((short) 0xfc00);
    assertThat(values.getShort()).isEqualTo((short) 0x8000);
  }
}
