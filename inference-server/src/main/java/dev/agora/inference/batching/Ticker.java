package dev.agora.inference.batching;

/** A nanosecond time source, like {@link System#nanoTime()}; injected so tests control time. */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since an arbitrary origin; only differences between readings mean anything. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
