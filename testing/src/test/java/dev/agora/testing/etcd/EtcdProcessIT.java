package dev.agora.testing.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The launcher against Debian's real etcd, driven through etcd's JSON gateway. */
class EtcdProcessIT {
  @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aKilledMemberRestartsOnTheSameDirectoryAndPortWithItsData() throws Exception {
    EtcdProcess process = etcd.process();
    int port = process.clientPort();
    put("/launcher/kept", "before the kill");

    process.kill();
    assertThat(process.isRunning()).isFalse();
    assertThat(new EtcdHealthProbe(etcd.endpoint()).healthy()).isFalse();

    process.restart();
    assertThat(process.isRunning()).isTrue();
    assertThat(process.clientPort()).isEqualTo(port);
    assertThat(get("/launcher/kept")).contains(base64("before the kill"));
    put("/launcher/after", "after the restart");
    assertThat(get("/launcher/after")).contains(base64("after the restart"));
  }

  @Test
  void aStoppedMemberRestartsAndTheLogCollectsBothRuns() throws Exception {
    EtcdProcess process = etcd.process();
    process.stop();
    assertThat(process.isRunning()).isFalse();
    process.restart();
    put("/launcher/stopped", "yes");
    assertThat(get("/launcher/stopped")).contains(base64("yes"));
    String log = Files.readString(process.logFile());
    assertThat(log.split("serving client traffic", -1)).as("one line per run").hasSize(3);
  }

  @Test
  void closingDeletesTheDataDirectory() {
    Path dataDir;
    try (EtcdProcess own = EtcdProcess.start(EtcdProcessConfig.defaults())) {
      dataDir = own.dataDir();
      assertThat(dataDir).isDirectory();
      assertThat(own.clientPort()).isNotEqualTo(etcd.process().clientPort());
    }
    assertThat(dataDir).doesNotExist();
  }

  private void put(String key, String value) throws IOException, InterruptedException {
    String body = "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}";
    HttpResponse<String> response = post("/v3/kv/put", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private String get(String key) throws IOException, InterruptedException {
    HttpResponse<String> response = post("/v3/kv/range", "{\"key\":\"" + base64(key) + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private HttpResponse<String> post(String path, String json)
      throws IOException, InterruptedException {
    URI uri = etcd.endpoint().resolve(path);
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }
}
