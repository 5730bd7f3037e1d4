package dev.agora.app.logging;

import java.util.Locale;

/** How log lines look: {@link #TEXT} for people, {@link #JSON} for log pipelines. */
public enum LogFormat {
  /** {@code 2025-01-01T12:00:00.000+00:00 INFO [thread] logger - message}, stack traces below. */
  TEXT("logback.xml"),
  /** One JSON object per line (Logback's {@code JsonEncoder}). */
  JSON("agora-logback-json.xml");

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  /**
   * The format named {@code name} ({@code text} or {@code json}, in any case).
   *
   * @throws IllegalArgumentException with a sentence naming the choices
   */
  public static LogFormat parse(String name) {
    for (LogFormat format : values()) {
      if (format.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException("--log-format must be text or json, got '" + name + "'");
  }

  /** The name {@link #parse} takes. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The Logback configuration on the classpath that produces this format. */
  public String resource() {
    return resource;
  }
}
