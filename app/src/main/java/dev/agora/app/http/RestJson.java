package dev.agora.app.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.agora.inference.tensor.Datatype;
import dev.agora.proto.inference.InferParameter;
import dev.agora.proto.inference.ModelConfig;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelInput;
import dev.agora.proto.inference.ModelMetadataResponse;
import dev.agora.proto.inference.ModelOutput;
import dev.agora.proto.inference.RepositoryIndexResponse;
import dev.agora.proto.inference.ServerMetadataResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes the REST API's JSON documents from the gRPC answers, in the shapes the KServe v2 REST
 * specification and Triton's clients read (shapes and dims as JSON numbers, not strings).
 */
final class RestJson {
  private final JsonFactory json;

  RestJson(JsonFactory json) {
    this.json = json;
  }

  /** A JSON body, and for inference the binary section that follows it. */
  record Body(byte[] json, ByteString binary) {}

  /** A serialising step that may throw. */
  @FunctionalInterface
  interface Writer {
    void write(JsonGenerator out) throws IOException;
  }

  byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator out = json.createGenerator(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  byte[] error(String message) {
    return write(
        out -> {
          out.writeStartObject();
          out.writeStringField("error", message == null ? "" : message);
          out.writeEndObject();
        });
  }

  byte[] serverMetadata(ServerMetadataResponse metadata) {
    return write(
        out -> {
          out.writeStartObject();
          out.writeStringField("name", metadata.getName());
          out.writeStringField("version", metadata.getVersion());
          out.writeArrayFieldStart("extensions");
          for (String extension : metadata.getExtensionsList()) {
            out.writeString(extension);
          }
          out.writeEndArray();
          out.writeEndObject();
        });
  }

  byte[] modelMetadata(ModelMetadataResponse metadata) {
    return write(
        out -> {
          out.writeStartObject();
          out.writeStringField("name", metadata.getName());
          out.writeArrayFieldStart("versions");
          for (String version : metadata.getVersionsList()) {
            out.writeString(version);
          }
          out.writeEndArray();
          out.writeStringField("platform", metadata.getPlatform());
          writeTensors(out, "inputs", metadata.getInputsList());
          writeTensors(out, "outputs", metadata.getOutputsList());
          out.writeEndObject();
        });
  }

  private static void writeTensors(
      JsonGenerator out, String field, Iterable<ModelMetadataResponse.TensorMetadata> tensors)
      throws IOException {
    out.writeArrayFieldStart(field);
    for (ModelMetadataResponse.TensorMetadata tensor : tensors) {
      out.writeStartObject();
      out.writeStringField("name", tensor.getName());
      out.writeStringField("datatype", tensor.getDatatype());
      writeLongs(out, "shape", tensor.getShapeList());
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  byte[] modelConfig(ModelConfig config) {
    return write(
        out -> {
          out.writeStartObject();
          out.writeStringField("name", config.getName());
          out.writeStringField("platform", config.getPlatform());
          out.writeStringField("backend", config.getBackend());
          out.writeNumberField("max_batch_size", config.getMaxBatchSize());
          out.writeArrayFieldStart("input");
          for (ModelInput input : config.getInputList()) {
            writeConfigTensor(
                out, input.getName(), input.getDataType().name(), input.getDimsList());
          }
          out.writeEndArray();
          out.writeArrayFieldStart("output");
          for (ModelOutput output : config.getOutputList()) {
            writeConfigTensor(
                out, output.getName(), output.getDataType().name(), output.getDimsList());
          }
          out.writeEndArray();
          if (config.hasDynamicBatching()) {
            out.writeObjectFieldStart("dynamic_batching");
            out.writeNumberField(
                "max_queue_delay_microseconds",
                config.getDynamicBatching().getMaxQueueDelayMicroseconds());
            out.writeEndObject();
          }
          out.writeEndObject();
        });
  }

  private static void writeConfigTensor(
      JsonGenerator out, String name, String dataType, Iterable<Long> dims) throws IOException {
    out.writeStartObject();
    out.writeStringField("name", name);
    out.writeStringField("data_type", dataType);
    writeLongs(out, "dims", dims);
    out.writeEndObject();
  }

  byte[] repositoryIndex(RepositoryIndexResponse index) {
    return write(
        out -> {
          out.writeStartArray();
          for (RepositoryIndexResponse.ModelIndex model : index.getModelsList()) {
            out.writeStartObject();
            out.writeStringField("name", model.getName());
            out.writeStringField("version", model.getVersion());
            out.writeStringField("state", model.getState());
            out.writeStringField("reason", model.getReason());
            out.writeEndObject();
          }
          out.writeEndArray();
        });
  }

  /** The inference response: JSON outputs, and binary ones appended after the JSON. */
  Body inferResponse(ModelInferResponse response, RestInferRequest request) {
    ByteString.Output binary = ByteString.newOutput();
    byte[] header =
        write(
            out -> {
              out.writeStartObject();
              out.writeStringField("model_name", response.getModelName());
              out.writeStringField("model_version", response.getModelVersion());
              if (!response.getId().isEmpty()) {
                out.writeStringField("id", response.getId());
              }
              writeParameters(out, response.getParametersMap());
              out.writeArrayFieldStart("outputs");
              for (int i = 0; i < response.getOutputsCount(); i++) {
                writeOutput(out, response, i, request, binary);
              }
              out.writeEndArray();
              out.writeEndObject();
            });
    return new Body(header, binary.toByteString());
  }

  private static void writeOutput(
      JsonGenerator out,
      ModelInferResponse response,
      int index,
      RestInferRequest request,
      ByteString.Output binary)
      throws IOException {
    ModelInferResponse.InferOutputTensor output = response.getOutputs(index);
    ByteString raw = response.getRawOutputContents(index);
    out.writeStartObject();
    out.writeStringField("name", output.getName());
    out.writeStringField("datatype", output.getDatatype());
    writeLongs(out, "shape", output.getShapeList());
    if (request.binary(output.getName())) {
      out.writeObjectFieldStart("parameters");
      out.writeNumberField("binary_data_size", raw.size());
      out.writeEndObject();
      raw.writeTo(binary);
    } else {
      Datatype datatype =
          Datatype.fromOipName(output.getDatatype())
              .orElseThrow(
                  () -> new IOException("unknown output datatype " + output.getDatatype()));
      out.writeFieldName("data");
      TensorJson.writeValues(out, datatype, raw.asReadOnlyByteBuffer());
    }
    out.writeEndObject();
  }

  private static void writeParameters(JsonGenerator out, Map<String, InferParameter> parameters)
      throws IOException {
    if (parameters.isEmpty()) {
      return;
    }
    out.writeObjectFieldStart("parameters");
    for (Map.Entry<String, InferParameter> entry : parameters.entrySet()) {
      InferParameter value = entry.getValue();
      out.writeFieldName(entry.getKey());
      switch (value.getParameterChoiceCase()) {
        case BOOL_PARAM -> out.writeBoolean(value.getBoolParam());
        case INT64_PARAM -> out.writeNumber(value.getInt64Param());
        case DOUBLE_PARAM -> out.writeNumber(value.getDoubleParam());
        case UINT64_PARAM -> out.writeNumber(Long.toUnsignedString(value.getUint64Param()));
        default -> out.writeString(value.getStringParam());
      }
    }
    out.writeEndObject();
  }

  private static void writeLongs(JsonGenerator out, String field, Iterable<Long> values)
      throws IOException {
    out.writeArrayFieldStart(field);
    for (long value : values) {
      out.writeNumber(value);
    }
    out.writeEndArray();
  }
}
