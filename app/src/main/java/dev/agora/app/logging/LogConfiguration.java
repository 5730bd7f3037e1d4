package dev.agora.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies a {@link LogFormat} to the process's Logback context, once, at the edge (the command that
 * starts), before the servers it starts log anything.
 */
public final class LogConfiguration {
  private LogConfiguration() {}

  /**
   * Reconfigures logging for {@code format} and routes java.util.logging to SLF4J.
   *
   * @throws IllegalStateException if SLF4J is not bound to Logback or the configuration is broken
   */
  public static void apply(LogFormat format) {
    LoggerContext context = loggerContext(LoggerFactory.getILoggerFactory());
    configure(context, format);
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** Resets {@code context} and configures it from {@code format}'s resource. */
  public static void configure(LoggerContext context, LogFormat format) {
    URL resource = LogConfiguration.class.getClassLoader().getResource(format.resource());
    if (resource == null) {
      throw new IllegalStateException("missing logging configuration " + format.resource());
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(resource);
    } catch (JoranException e) {
      throw new IllegalStateException("broken logging configuration " + format.resource(), e);
    }
    new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
  }

  private static LoggerContext loggerContext(ILoggerFactory factory) {
    if (factory instanceof LoggerContext context) {
      return context;
    }
    throw new IllegalStateException(
        "SLF4J is bound to " + factory.getClass().getName() + ", not Logback");
  }
}
