package dev.agora.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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

  @ParameterizedTest
  @CsvSource({
    // 1 + 2^-11 + 2^-40: above the FP16 halfway point 1 + 2^-11, which a float cannot tell apart
    "1.0004882812509095, 0x3c01",
    "-1.0004882812509095, 0xbc01",
    "1.00048828125, 0x3c00",
    "1.0e300, 0x7c00",
    "-1.0e-50, 0x8000",
    "0.1, 0x2e66"
  })
  void roundsADoubleOnceToHalf(double value, String hex) {
    short expected = (short) Integer.parseInt(hex.substring(2), 16);
    assertThat(HalfFloats.toHalf(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    // 1 + 2^-8 + 2^-40: above the BF16 halfway point 1 + 2^-8, which a float cannot tell apart
    "1.0039062500009095, 0x3f81",
    "1.00390625, 0x3f80",
    "1.0e300, 0x7f80",
    "-1.0e-50, 0x8000",
    "0.1, 0x3dcd"
  })
  void roundsADoubleOnceToBfloat16(double value, String hex) {
    short expected = (short) Integer.parseInt(hex.substring(2), 16);
    assertThat(HalfFloats.toBfloat16(value)).isEqualTo(expected);
  }

  @Test
  void aDoubleThatIsNotANumberStaysNotANumber() {
    assertThat(HalfFloats.fromHalf(HalfFloats.toHalf(Double.NaN))).isNaN();
    assertThat(HalfFloats.fromBfloat16(HalfFloats.toBfloat16(Double.NaN))).isNaN();
  }
}
