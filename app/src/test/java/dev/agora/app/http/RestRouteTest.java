package dev.agora.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.app.http.RestRoute.Endpoint;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestRouteTest {

  @ParameterizedTest
  @CsvSource({
    "GET, /v2/health/live, LIVE, '', ''",
    "GET, /v2/health/ready, READY, '', ''",
    "GET, /v2, SERVER_METADATA, '', ''",
    "GET, /v2/models/mlp, MODEL_METADATA, mlp, ''",
    "GET, /v2/models/mlp/versions/1.2.0, MODEL_METADATA, mlp, 1.2.0",
    "GET, /v2/models/mlp/ready, MODEL_READY, mlp, ''",
    "GET, /v2/models/mlp/versions/2.0.0/ready, MODEL_READY, mlp, 2.0.0",
    "GET, /v2/models/mlp/config, MODEL_CONFIG, mlp, ''",
    "GET, /v2/models/mlp/stats, MODEL_STATS, mlp, ''",
    "GET, /v2/models/stats, MODEL_STATS, '', ''",
    "POST, /v2/models/mlp/infer, INFER, mlp, ''",
    "POST, /v2/models/mlp/versions/1.0.0/infer, INFER, mlp, 1.0.0",
    "POST, /v2/repository/index, REPOSITORY_INDEX, '', ''",
    "POST, /v2/repository/models/mlp/load, REPOSITORY_LOAD, mlp, ''",
    "POST, /v2/repository/models/mlp/unload, REPOSITORY_UNLOAD, mlp, ''"
  })
  void routesKnownEndpoints(
      String method, String path, Endpoint endpoint, String model, String version) {
    assertThat(RestRoute.parse(HttpMethod.valueOf(method), path))
        .contains(new RestRoute(endpoint, model, version));
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /v2/models/mlp/infer",
    "POST, /v2/models/mlp",
    "GET, /v3",
    "GET, /v2/models/mlp/versions/1/unknown",
    "DELETE, /v2/health/live",
    "GET, /v2/repository/index"
  })
  void refusesEverythingElse(String method, String path) {
    assertThat(RestRoute.parse(HttpMethod.valueOf(method), path)).isEqualTo(Optional.empty());
  }
}
