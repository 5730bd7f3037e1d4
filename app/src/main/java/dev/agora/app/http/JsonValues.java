package dev.agora.app.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flattens a JSON tensor's {@code data} (a flat or nested array, row-major) into its scalar values:
 * Long for integers (BigInteger beyond the range of long, as UINT64 values above 2^63 - 1 are),
 * Double for decimals and for {@code NaN}, {@code Infinity} and {@code -Infinity}, Boolean and
 * String as themselves.
 */
final class JsonValues {
  private JsonValues() {}

  /** Reads the array the parser is positioned on and returns its scalars in order. */
  static List<Object> flatten(JsonParser parser) throws IOException {
    List<Object> values = new ArrayList<>();
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      values.add(scalar(parser));
      return values;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new RestException(400, "'data' ends before its array is closed");
      }
      switch (token) {
        case START_ARRAY -> depth++;
        case END_ARRAY -> depth--;
        default -> values.add(scalar(parser));
      }
    }
    return values;
  }

  private static Object scalar(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? parser.getBigIntegerValue()
              : parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_STRING -> parser.getText();
      default -> throw new RestException(400, "'data' may hold only numbers, booleans and strings");
    };
  }
}
