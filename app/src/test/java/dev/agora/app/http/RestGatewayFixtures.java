package dev.agora.app.http;

import dev.agora.app.serve.AgoraServer;
import dev.agora.sdk.AgoraClient;
import java.net.http.HttpRequest;

/** How the REST tests reach the server: the bootstrap administrator key on every call. */
final class RestGatewayFixtures {
  private RestGatewayFixtures() {}

  static String adminKey(AgoraServer server) {
    return server.bootstrap().adminKey().orElseThrow().value();
  }

  static AgoraClient client(AgoraServer server, String key) {
    return AgoraClient.connect("127.0.0.1:" + server.grpcPort(), key);
  }

  static HttpRequest.Builder authorize(HttpRequest.Builder request, String key) {
    return request.header("authorization", "Bearer " + key);
  }
}
