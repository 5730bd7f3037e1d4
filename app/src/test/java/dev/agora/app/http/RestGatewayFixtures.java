package dev.agora.app.http;

import dev.agora.app.serve.AgoraServer;
import dev.agora.sdk.AgoraClient;
import java.net.http.HttpRequest;

/** How the REST tests reach the server: one place to change when credentials are required. */
final class RestGatewayFixtures {
  private RestGatewayFixtures() {}

  static AgoraClient client(AgoraServer server) {
    return AgoraClient.connect("127.0.0.1:" + server.grpcPort());
  }

  static HttpRequest.Builder authorize(HttpRequest.Builder request) {
    return request;
  }
}
