package dev.agora.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.app.serve.AgoraServer;
import dev.agora.app.serve.ServeConfig;
import dev.agora.sdk.AgoraClient;
import dev.agora.testing.models.TestModels;
import dev.agora.testing.onnx.MlpReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KServe v2 REST API on {@code agora serve}'s HTTP port, over real sockets. */
class RestGatewayIT {
  @TempDir static Path dataDir;
  @TempDir static Path work;

  private static AgoraServer server;
  private static String adminKey;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server =
        new AgoraServer(
                ServeConfig.defaults(dataDir)
                    .withPorts(0, 0)
                    .withShutdownGrace(Duration.ofSeconds(5)))
            .start();
    Path mlp = Files.write(work.resolve("mlp.onnx"), TestModels.mlp());
    adminKey = RestGatewayFixtures.adminKey(server);
    try (AgoraClient client = RestGatewayFixtures.client(server, adminKey)) {
      client.ensureModel("mlp", "test MLP");
      client.upload("mlp", "1.0.0", mlp);
      client.publish("mlp", "1.0.0");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void serverAndModelMetadataUseJsonNumbersForShapes() throws Exception {
    HttpResponse<String> server = get("/v2");
    HttpResponse<String> metadata = get("/v2/models/mlp");
    HttpResponse<String> config = get("/v2/models/mlp/config");

    assertThat(server.statusCode()).isEqualTo(200);
    assertThat(server.body()).contains("\"name\":\"agora\"");
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body()).contains("\"shape\":[-1,32]").contains("\"versions\":[\"1.0.0\"]");
    assertThat(config.body()).contains("\"dims\":[32]").containsPattern("\"max_batch_size\":[1-9]");
    assertThat(get("/v2/models/mlp/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void jsonInferenceEqualsOnnxRuntime() throws Exception {
    float[] input = rows(2);
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < input.length; i++) {
      data.append(i == 0 ? "" : ",").append(input[i]);
    }
    HttpResponse<String> response =
        post(
            "/v2/models/mlp/infer",
            "{\"id\":\"q\",\"inputs\":[{\"name\":\"input\",\"shape\":[2,32],"
                + "\"datatype\":\"FP32\",\"data\":["
                + data
                + "]}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"id\":\"q\"").contains("\"shape\":[2,2]");
    float[] expected = MlpReference.outputs(input, 2);
    Matcher values = Pattern.compile("\"data\":\\[([^\\]]*)\\]").matcher(response.body());
    assertThat(values.find()).isTrue();
    String[] numbers = values.group(1).split(",");
    assertThat(numbers).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Float.parseFloat(numbers[i])).isCloseTo(expected[i], within(1e-6f));
    }
  }

  @Test
  void binaryTensorExtensionRoundTrips() throws Exception {
    float[] input = rows(3);
    ByteBuffer raw = ByteBuffer.allocate(input.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(input);
    byte[] header =
        ("{\"inputs\":[{\"name\":\"input\",\"shape\":[3,32],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":"
                + raw.capacity()
                + "}}],\"outputs\":[{\"name\":\"output\",\"parameters\":{\"binary_data\":true}}]}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[header.length + raw.capacity()];
    System.arraycopy(header, 0, body, 0, header.length);
    System.arraycopy(raw.array(), 0, body, header.length, raw.capacity());

    HttpResponse<byte[]> response =
        http.send(
            RestGatewayFixtures.authorize(
                    HttpRequest.newBuilder(uri("/v2/models/mlp/infer")), adminKey)
                .header("Inference-Header-Content-Length", Integer.toString(header.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    int jsonLength =
        Integer.parseInt(
            response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    String json = new String(response.body(), 0, jsonLength, StandardCharsets.UTF_8);
    assertThat(json).contains("\"binary_data_size\":24");
    FloatBuffer out =
        ByteBuffer.wrap(response.body(), jsonLength, response.body().length - jsonLength)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
    float[] actual = new float[out.remaining()];
    out.get(actual);
    assertThat(actual).containsExactly(MlpReference.outputs(input, 3), within(1e-6f));
  }

  @Test
  void refusalsGetAStatusAndASentenceAndTheServerKeepsServing() throws Exception {
    String wrongType =
        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,32],\"datatype\":\"INT32\",\"data\":["
            + "0,".repeat(31)
            + "0]}]}";
    String[][] cases = {
      {"/v2/models/nope/infer", wrongType, "404"},
      {"/v2/models/mlp/infer", wrongType, "400"},
      {"/v2/models/mlp/infer", "{\"inputs\":[", "400"},
      {
        "/v2/models/mlp/infer",
        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,32],"
            + "\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":999999}}]}",
        "400"
      },
    };
    for (String[] c : cases) {
      HttpResponse<String> response = post(c[0], c[1]);
      assertThat(response.statusCode()).as(c[1]).isEqualTo(Integer.parseInt(c[2]));
      assertThat(response.body()).startsWith("{\"error\":\"").hasSizeGreaterThan(14);

      float[] input = rows(1);
      StringBuilder data = new StringBuilder();
      for (int i = 0; i < input.length; i++) {
        data.append(i == 0 ? "" : ",").append(input[i]);
      }
      HttpResponse<String> good =
          post(
              "/v2/models/mlp/infer",
              "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,32],\"datatype\":\"FP32\","
                  + "\"data\":["
                  + data
                  + "]}]}");
      assertThat(good.statusCode()).isEqualTo(200);
    }
    assertThat(get("/v2/no/such/path").statusCode()).isEqualTo(404);
  }

  @Test
  void callsWithoutAKeyAreRefusedButHealthStaysOpen() throws Exception {
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(uri("/v2/models/mlp")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(uri("/v2/models/mlp"))
                .header("authorization", "Bearer agora_not_a_key")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(uri("/v2/health/ready")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).startsWith("{\"error\":");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/mlp").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        RestGatewayFixtures.authorize(HttpRequest.newBuilder(uri(path)), adminKey).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        RestGatewayFixtures.authorize(HttpRequest.newBuilder(uri(path)), adminKey)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + path);
  }

  private static float[] rows(int batch) {
    SplittableRandom random = new SplittableRandom(31L * batch);
    float[] values = new float[batch * 32];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-2, 2);
    }
    return values;
  }

  private static org.assertj.core.data.Offset<Float> within(float tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }
}
