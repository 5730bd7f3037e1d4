package dev.agora.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.status.Status;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped Logback configurations, loaded into a context of the test's own (not the process's):
 * their encoders are run on real events and the output is parsed.
 */
class LogConfigurationTest {
  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void mdc() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void jsonFormatWritesOneParseableObjectPerLineWithTheOperatorFields() {
    LogConfiguration.configure(context, LogFormat.JSON);
    Logger logger = context.getLogger("dev.agora.inference.repository.ModelRepository");
    LoggingEvent event =
        new LoggingEvent(
            Logger.FQCN,
            logger,
            Level.WARN,
            "could not load {}: {}",
            new IllegalStateException("the artifact is gone", new RuntimeException("disk")),
            new Object[] {"mlp 1.0.0", "quote \" and newline \n inside"});

    String line = encode(event);

    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = JsonParser.parseString(line).getAsJsonObject();
    assertThat(json.get("timestamp").getAsLong()).isEqualTo(event.getTimeStamp());
    assertThat(json.get("level").getAsString()).isEqualTo("WARN");
    assertThat(json.get("loggerName").getAsString())
        .isEqualTo("dev.agora.inference.repository.ModelRepository");
    assertThat(json.get("threadName").getAsString()).isEqualTo(Thread.currentThread().getName());
    assertThat(json.get("formattedMessage").getAsString())
        .isEqualTo("could not load mlp 1.0.0: quote \" and newline \n inside");
    JsonObject throwable = json.getAsJsonObject("throwable");
    assertThat(throwable.get("className").getAsString())
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(throwable.get("message").getAsString()).isEqualTo("the artifact is gone");
    assertThat(throwable.getAsJsonArray("stepArray")).isNotEmpty();
    assertThat(throwable.getAsJsonObject("cause").get("message").getAsString()).isEqualTo("disk");
    assertThat(json.has("context")).as("no per-line context noise").isFalse();
    assertThat(json.has("sequenceNumber")).isFalse();
  }

  @Test
  void textFormatWritesTimestampLevelThreadLoggerAndMessage() {
    LogConfiguration.configure(context, LogFormat.TEXT);
    Logger logger = context.getLogger("dev.agora.app.serve.AgoraServer");
    LoggingEvent event =
        new LoggingEvent(Logger.FQCN, logger, Level.INFO, "stopped", null, new Object[0]);

    String line = encode(event);

    assertThat(line)
        .matches(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\S+ INFO  \\[.+\\]"
                + " dev\\.agora\\.app\\.serve\\.AgoraServer - stopped\\R");
  }

  @Test
  void noisyLibrariesAreQuietedInBothFormats() {
    for (LogFormat format : LogFormat.values()) {
      LogConfiguration.configure(context, format);

      assertThat(context.getLogger("io.etcd.jetcd.impl.Retrying").isWarnEnabled()).isFalse();
      assertThat(context.getLogger("io.netty.channel.DefaultChannelPipeline").isInfoEnabled())
          .isFalse();
      assertThat(context.getLogger("io.grpc.internal.ManagedChannelImpl").isInfoEnabled())
          .isFalse();
      assertThat(context.getLogger("dev.agora.app.serve.AgoraServer").isInfoEnabled()).isTrue();
      assertThat(context.getStatusManager().getCopyOfStatusList())
          .as(format + " loads without warnings")
          .allMatch(status -> status.getLevel() < Status.WARN);
    }
  }

  @Test
  void formatsAreNamedLikeTheFlag() {
    assertThat(LogFormat.parse("json")).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.parse(" TEXT ")).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.JSON.flagValue()).isEqualTo("json");
    assertThatThrownBy(() -> LogFormat.parse("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--log-format must be text or json, got 'xml'");
  }

  private String encode(LoggingEvent event) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    OutputStreamAppender<?> appender = (OutputStreamAppender<?>) root.getAppender("STDERR");
    assertThat(appender).as("the configured appender").isNotNull();
    @SuppressWarnings("unchecked")
    Encoder<LoggingEvent> encoder = (Encoder<LoggingEvent>) appender.getEncoder();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
