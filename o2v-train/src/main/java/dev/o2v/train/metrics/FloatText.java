package dev.o2v.train.metrics;

import java.math.BigDecimal;

/**
 * Doubles as SageMaker's metric lines print them (Python's {@code repr} of a float): the shortest
 * decimal that reads back as the same double, in plain notation for exponents from -4 to 15 and
 * with at least one digit after the point ({@code 5.0}, {@code 0.20847056439872516}), in
 * scientific notation otherwise ({@code 1.5e-05}, {@code 1e+16}), and {@code nan}, {@code inf}.
 */
final class FloatText {

  private FloatText() {}

  static String of(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return Double.doubleToRawLongBits(value) == 0 ? "0.0" : "-0.0";
    }
    // Double.toString gives a decimal that reads back as the same double; strip it to its digits.
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    String digits = decimal.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    String sign = value < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1
          ? digits
          : digits.charAt(0) + "." + digits.substring(1);
      String exp = String.format(java.util.Locale.ROOT, "%s%02d",
          exponent < 0 ? "-" : "+", Math.abs(exponent));
      return sign + mantissa + "e" + exp;
    }
    String plain = decimal.abs().toPlainString();
    return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
  }
}
