package dev.agora.app.http;

import dev.agora.proto.inference.ModelInferRequest;
import java.util.Set;

/**
 * A REST inference request translated for the gRPC service, with what the REST response needs to
 * remember: which outputs the client wants as binary data.
 *
 * @param grpc the request to send
 * @param binaryOutputs names of outputs to return in the binary section
 * @param allOutputsBinary whether every output goes to the binary section
 */
record RestInferRequest(
    ModelInferRequest grpc, Set<String> binaryOutputs, boolean allOutputsBinary) {

  boolean binary(String output) {
    return allOutputsBinary || binaryOutputs.contains(output);
  }
}
