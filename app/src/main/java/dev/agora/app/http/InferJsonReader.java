package dev.agora.app.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.google.protobuf.ByteString;
import dev.agora.inference.tensor.Datatype;
import dev.agora.proto.inference.InferParameter;
import dev.agora.proto.inference.ModelInferRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a KServe v2 inference request — a JSON header optionally followed by binary tensor data
 * (Triton's binary tensor extension) — into a gRPC {@link ModelInferRequest} with raw contents.
 * Shapes and sizes are validated by the gRPC service, the one place that knows the signature.
 */
final class InferJsonReader {
  private final JsonFactory json;

  /**
   * A reader parsing with {@code json}'s settings, and accepting the tokens {@code NaN}, {@code
   * Infinity} and {@code -Infinity} as numbers: Python's {@code json} module (so tritonclient.http)
   * writes them for non-finite floats, and Triton's own server parses them.
   */
  InferJsonReader(JsonFactory json) {
    this.json = json.rebuild().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  }

  /**
   * Translates one request.
   *
   * @param header the JSON part of the body
   * @param binary the binary part after the JSON (empty when there is none)
   */
  RestInferRequest read(String model, String version, byte[] header, ByteString binary) {
    ModelInferRequest.Builder request =
        ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version);
    Set<String> binaryOutputs = new HashSet<>();
    boolean[] allBinary = {false};
    try (JsonParser parser = json.createParser(header)) {
      expect(parser.nextToken() == JsonToken.START_OBJECT, "the body must be a JSON object");
      BinarySection section = new BinarySection(binary);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "id" -> request.setId(parser.getValueAsString(""));
          case "parameters" ->
              readParameters(parser)
                  .forEach(
                      (key, value) -> {
                        if (key.equals("binary_data_output")) {
                          allBinary[0] = value.getBoolParam();
                        } else {
                          request.putParameters(key, value);
                        }
                      });
          case "inputs" -> readInputs(parser, request, section);
          case "outputs" -> readOutputs(parser, request, binaryOutputs);
          default -> parser.skipChildren();
        }
      }
      section.requireConsumed();
    } catch (IOException e) {
      throw new RestException(400, "the request body is not valid JSON: " + e.getMessage());
    }
    return new RestInferRequest(request.build(), binaryOutputs, allBinary[0]);
  }

  private void readInputs(JsonParser parser, ModelInferRequest.Builder request, BinarySection bin)
      throws IOException {
    expect(parser.currentToken() == JsonToken.START_ARRAY, "'inputs' must be an array");
    int index = 0;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      ModelInferRequest.InferInputTensor.Builder input =
          ModelInferRequest.InferInputTensor.newBuilder();
      List<Object> data = null;
      long binarySize = -1;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "name" -> input.setName(parser.getValueAsString(""));
          case "datatype" -> input.setDatatype(parser.getValueAsString(""));
          case "shape" -> input.addAllShape(readLongs(parser, "inputs[" + index + "].shape"));
          case "data" -> data = JsonValues.flatten(parser);
          case "parameters" -> {
            Map<String, InferParameter> parameters = readParameters(parser);
            InferParameter size = parameters.remove("binary_data_size");
            if (size != null) {
              binarySize = size.getInt64Param();
            }
            input.putAllParameters(parameters);
          }
          default -> parser.skipChildren();
        }
      }
      request.addInputs(input);
      request.addRawInputContents(raw(input, data, binarySize, bin, index));
      index++;
    }
  }

  private static ByteString raw(
      ModelInferRequest.InferInputTensorOrBuilder input,
      List<Object> data,
      long binarySize,
      BinarySection binary,
      int index) {
    if (binarySize >= 0) {
      expect(data == null, "input '" + input.getName() + "' has both data and binary_data_size");
      return binary.take(input.getName(), binarySize);
    }
    expect(data != null, "input '" + input.getName() + "' has neither data nor binary_data_size");
    Datatype datatype =
        Datatype.fromOipName(input.getDatatype())
            .orElseThrow(
                () ->
                    new RestException(
                        400,
                        "inputs["
                            + index
                            + "].datatype: unknown datatype '"
                            + input.getDatatype()
                            + "'"));
    return ByteString.copyFrom(TensorJson.toRaw(input.getName(), datatype, data));
  }

  private void readOutputs(
      JsonParser parser, ModelInferRequest.Builder request, Set<String> binaryOutputs)
      throws IOException {
    expect(parser.currentToken() == JsonToken.START_ARRAY, "'outputs' must be an array");
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      ModelInferRequest.InferRequestedOutputTensor.Builder output =
          ModelInferRequest.InferRequestedOutputTensor.newBuilder();
      boolean binary = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("name")) {
          output.setName(parser.getValueAsString(""));
        } else if (field.equals("parameters")) {
          Map<String, InferParameter> parameters = readParameters(parser);
          InferParameter flag = parameters.remove("binary_data");
          binary = flag != null && flag.getBoolParam();
          output.putAllParameters(parameters);
        } else {
          parser.skipChildren();
        }
      }
      if (binary) {
        binaryOutputs.add(output.getName());
      }
      request.addOutputs(output);
    }
  }

  private static Map<String, InferParameter> readParameters(JsonParser parser) throws IOException {
    expect(parser.currentToken() == JsonToken.START_OBJECT, "'parameters' must be an object");
    Map<String, InferParameter> parameters = new java.util.LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      InferParameter.Builder value = InferParameter.newBuilder();
      switch (token) {
        case VALUE_TRUE, VALUE_FALSE -> value.setBoolParam(parser.getBooleanValue());
        case VALUE_NUMBER_INT -> value.setInt64Param(parser.getLongValue());
        case VALUE_NUMBER_FLOAT -> value.setDoubleParam(parser.getDoubleValue());
        case VALUE_STRING -> value.setStringParam(parser.getText());
        default -> throw new RestException(400, "parameter '" + name + "' must be a scalar");
      }
      parameters.put(name, value.build());
    }
    return parameters;
  }

  private static List<Long> readLongs(JsonParser parser, String field) throws IOException {
    expect(parser.currentToken() == JsonToken.START_ARRAY, field + " must be an array");
    List<Long> values = new ArrayList<>();
    while (parser.nextToken() == JsonToken.VALUE_NUMBER_INT) {
      values.add(parser.getLongValue());
    }
    expect(parser.currentToken() == JsonToken.END_ARRAY, field + " must hold integers");
    return values;
  }

  private static void expect(boolean condition, String sentence) {
    if (!condition) {
      throw new RestException(400, sentence);
    }
  }
}
