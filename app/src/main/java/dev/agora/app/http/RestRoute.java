package dev.agora.app.http;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One KServe v2 / Triton REST endpoint, parsed from a request line.
 *
 * @param endpoint which operation
 * @param model the model name, empty when the endpoint has none
 * @param version the model version, empty for "the server chooses"
 */
record RestRoute(Endpoint endpoint, String model, String version) {

  /** The REST operations the gateway answers. */
  enum Endpoint {
    LIVE,
    READY,
    SERVER_METADATA,
    MODEL_METADATA,
    MODEL_READY,
    MODEL_CONFIG,
    MODEL_STATS,
    INFER,
    REPOSITORY_INDEX,
    REPOSITORY_LOAD,
    REPOSITORY_UNLOAD
  }

  private static final Pattern MODEL_PATH =
      Pattern.compile("/v2/models/([^/]+)(?:/versions/([^/]+))?(?:/(ready|config|stats|infer))?");
  private static final Pattern REPOSITORY_PATH =
      Pattern.compile("/v2/repository/models/([^/]+)/(load|unload)");

  /** The route for {@code method path}, or empty when no endpoint matches. */
  static Optional<RestRoute> parse(HttpMethod method, String path) {
    boolean get = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    boolean post = HttpMethod.POST.equals(method);
    switch (path) {
      case "/v2/health/live":
        return get ? route(Endpoint.LIVE) : Optional.empty();
      case "/v2/health/ready":
        return get ? route(Endpoint.READY) : Optional.empty();
      case "/v2", "/v2/":
        return get ? route(Endpoint.SERVER_METADATA) : Optional.empty();
      case "/v2/models/stats":
        return get ? route(Endpoint.MODEL_STATS) : Optional.empty();
      case "/v2/repository/index":
        return post ? route(Endpoint.REPOSITORY_INDEX) : Optional.empty();
      default:
        break;
    }
    Matcher repository = REPOSITORY_PATH.matcher(path);
    if (repository.matches() && post) {
      Endpoint endpoint =
          repository.group(2).equals("load")
              ? Endpoint.REPOSITORY_LOAD
              : Endpoint.REPOSITORY_UNLOAD;
      return Optional.of(new RestRoute(endpoint, decode(repository.group(1)), ""));
    }
    Matcher model = MODEL_PATH.matcher(path);
    if (!model.matches()) {
      return Optional.empty();
    }
    String action = model.group(3) == null ? "" : model.group(3);
    Endpoint endpoint =
        switch (action) {
          case "ready" -> Endpoint.MODEL_READY;
          case "config" -> Endpoint.MODEL_CONFIG;
          case "stats" -> Endpoint.MODEL_STATS;
          case "infer" -> Endpoint.INFER;
          default -> Endpoint.MODEL_METADATA;
        };
    if ((endpoint == Endpoint.INFER) != post) {
      return Optional.empty();
    }
    String version = model.group(2) == null ? "" : decode(model.group(2));
    return Optional.of(new RestRoute(endpoint, decode(model.group(1)), version));
  }

  private static Optional<RestRoute> route(Endpoint endpoint) {
    return Optional.of(new RestRoute(endpoint, "", ""));
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }
}
