package dev.agora.app.http;

/**
 * IEEE 754 half precision (FP16) and bfloat16 (BF16) conversions for JSON tensors, which carry
 * these types as ordinary numbers. Rounding is to nearest, ties to even, as numpy does; a JSON
 * value (a double) is rounded once, directly to the 16-bit type, never through a float first.
 */
final class HalfFloats {
  private HalfFloats() {}

  /** The FP16 bits nearest to {@code value}. */
  static short toHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign;
      }
      int full = mantissa | 0x800000;
      int shift = 14 - halfExponent;
      int half = full >>> shift;
      int remainder = full & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (remainder > halfway || (remainder == halfway && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (halfExponent << 10) | (mantissa >>> 13);
    int remainder = mantissa & 0x1fff;
    if (remainder > 0x1000 || (remainder == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) (sign | half);
  }

  /** The FP16 bits nearest to {@code value}. */
  static short toHalf(double value) {
    return toHalf(toFloatRoundingToOdd(value));
  }

  /** The BF16 bits nearest to {@code value}. */
  static short toBfloat16(double value) {
    return toBfloat16(toFloatRoundingToOdd(value));
  }

  /**
   * {@code value} as a float rounded to odd: truncated toward zero, with the lowest mantissa bit
   * set when that lost anything. Rounding this float to nearest-even at 16 bits (at least two bits
   * fewer) gives the same result as rounding the double directly; plain nearest rounding to float
   * could land exactly on a 16-bit halfway point and round the second time the wrong way.
   */
  static float toFloatRoundingToOdd(double value) {
    float nearest = (float) value;
    if (Double.isNaN(value) || nearest == value) {
      return nearest;
    }
    float truncated =
        Math.abs((double) nearest) > Math.abs(value) ? Math.nextAfter(nearest, 0.0) : nearest;
    return Float.intBitsToFloat(Float.floatToRawIntBits(truncated) | 1);
  }

  /** The float value of FP16 bits. */
  static float fromHalf(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** The BF16 bits nearest to {@code value}: the top half of the float, rounded. */
  static short toBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  /** The float value of BF16 bits. */
  static float fromBfloat16(short bf16) {
    return Float.intBitsToFloat((bf16 & 0xffff) << 16);
  }
}
