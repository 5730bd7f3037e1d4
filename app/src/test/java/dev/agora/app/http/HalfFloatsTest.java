package dev.agora.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfFloatsTest {

  @ParameterizedTest
  @CsvSource({
    "0.0, 0x0000",
    "1.0, 0x3c00",
    "-2.0, 0xc000",
    "65504.0, 0x7bff",
    "0.333251953125, 0x3555",
    "6.103515625E-5, 0x0400",
    "5.9604644775390625E-8, 0x0001",
    "100000.0, 0x7c00"
  })
  void convertsToHalfLikeNumpy(float value, String hex) {
    short expected = (short) Integer.parseInt(hex.substring(2), 16);
    assertThat(HalfFloats.toHalf(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0.0", "1.0", "-2.5", "65504.0", "6.103515625E-5", "5.9604644775390625E-8"})
  void exactHalvesRoundTrip(float value) {
    assertThat(HalfFloats.fromHalf(HalfFloats.toHalf(value))).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource({"1.0, 0x3f80", "-2.0, 0xc000", "3.140625, 0x4049", "1.00390625, 0x3f80"})
  void convertsToBfloat16WithTiesToEven(float value, String hex) {
    short expected = (short) Integer.parseInt(hex.substring(2), 16);
    assertThat(HalfFloats.toBfloat16(value)).isEqualTo(expected);
    assertThat(HalfFloats.fromBfloat16(expected))
        .isEqualTo(Float.intBitsToFloat((expected & 0xffff) << 16));
  }
}
