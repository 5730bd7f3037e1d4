package dev.agora.app.http;

import dev.agora.inference.service.DeprecationHeaders;
import io.grpc.Metadata;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deprecated version's notice carried from the gRPC response headers of an in-process {@code
 * ModelInfer} to the HTTP response: the {@code agora-*} headers as they are, plus RFC 8594's {@code
 * Sunset} (an HTTP-date) when a sunset was named.
 */
record DeprecationNotice(Map<String, String> headers) {
  static final DeprecationNotice NONE = new DeprecationNotice(Map.of());

  private static final String[] COPIED = {
    DeprecationHeaders.WARNING_HEADER,
    DeprecationHeaders.SUNSET_HEADER,
    DeprecationHeaders.SUCCESSOR_HEADER
  };

  /** The notice in {@code grpcHeaders}; {@link #NONE} when there is none. */
  static DeprecationNotice from(Metadata grpcHeaders) {
    if (grpcHeaders == null) {
      return NONE;
    }
    Map<String, String> found = new LinkedHashMap<>();
    for (String name : COPIED) {
      String value = grpcHeaders.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
      if (value != null) {
        found.put(name, value);
      }
    }
    String sunset = found.get(DeprecationHeaders.SUNSET_HEADER);
    if (sunset != null) {
      try {
        found.put(
            "sunset",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.parse(sunset).atOffset(ZoneOffset.UTC)));
      } catch (DateTimeParseException malformed) {
        // The agora-sunset header still carries it.
      }
    }
    return found.isEmpty() ? NONE : new DeprecationNotice(Map.copyOf(found));
  }

  void writeTo(HttpHeaders target) {
    headers.forEach(target::set);
  }
}
