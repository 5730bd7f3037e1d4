package dev.agora.registry.events;

import java.time.Duration;

/**
 * The change feed's settings.
 *
 * @param retainedEvents how many derived events the feed keeps in memory: how far back a client can
 *     resume, and how far a slow client may fall behind before it is told to re-list; 1 to {@value
 *     #RETAINED_EVENTS_CEILING}
 * @param progressInterval how often an idle, caught-up stream gets a PROGRESS event with the
 *     revision it has reached; {@link Duration#ZERO} sends only the first one
 * @param deliveryThreads threads that write events to client streams; 1 to {@value
 *     #DELIVERY_THREADS_CEILING}
 */
public record EventsConfig(int retainedEvents, Duration progressInterval, int deliveryThreads) {
  /** The default number of retained events. */
  public static final int DEFAULT_RETAINED_EVENTS = 4096;

  /** The default progress interval: 30 seconds. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(30);

  /** The default number of delivery threads. */
  public static final int DEFAULT_DELIVERY_THREADS = 2;

  /** The largest number of retained events. */
  public static final int RETAINED_EVENTS_CEILING = 1_000_000;

  /** The largest number of delivery threads. */
  public static final int DELIVERY_THREADS_CEILING = 64;

  /** Validates every setting. */
  public EventsConfig {
    if (retainedEvents < 1 || retainedEvents > RETAINED_EVENTS_CEILING) {
      throw new IllegalArgumentException(
          "events retainedEvents must be between 1 and "
              + RETAINED_EVENTS_CEILING
              + ", got "
              + retainedEvents);
    }
    if (progressInterval == null || progressInterval.isNegative()) {
      throw new IllegalArgumentException(
          "events progressInterval must be zero (off) or positive, got " + progressInterval);
    }
    if (deliveryThreads < 1 || deliveryThreads > DELIVERY_THREADS_CEILING) {
      throw new IllegalArgumentException(
          "events deliveryThreads must be between 1 and "
              + DELIVERY_THREADS_CEILING
              + ", got "
              + deliveryThreads);
    }
  }

  /** 4096 retained events, progress every 30 seconds, two delivery threads. */
  public static EventsConfig defaults() {
    return new EventsConfig(
        DEFAULT_RETAINED_EVENTS, DEFAULT_PROGRESS_INTERVAL, DEFAULT_DELIVERY_THREADS);
  }

  /** This configuration with another number of retained events. */
  public EventsConfig withRetainedEvents(int events) {
    return new EventsConfig(events, progressInterval, deliveryThreads);
  }

  /** This configuration with another progress interval. */
  public EventsConfig withProgressInterval(Duration interval) {
    return new EventsConfig(retainedEvents, interval, deliveryThreads);
  }

  /** This configuration with another number of delivery threads. */
  public EventsConfig withDeliveryThreads(int threads) {
    return new EventsConfig(retainedEvents, progressInterval, threads);
  }
}
