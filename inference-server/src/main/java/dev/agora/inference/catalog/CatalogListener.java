package dev.agora.inference.catalog;

/**
 * Receives what {@link CatalogChanges} follows. Calls never overlap and arrive in the order of the
 * changes; they must return quickly (start loads, do not wait for them).
 */
public interface CatalogListener {

  /**
   * Every change made from now on will be delivered: what the listener lists after this call is
   * kept current by the calls that follow.
   */
  void following();

  /** The latest published version of {@code model} is now {@code version} (empty: none). */
  void latestChanged(String model, String version);

  /** Alias {@code alias} of {@code model} now points to {@code version}. */
  void aliasMoved(String model, String alias, String version);

  /** Alias {@code alias} of {@code model} no longer exists. */
  void aliasDeleted(String model, String alias);

  /** A version was deprecated: it still serves, with this notice. */
  void deprecated(Deprecation deprecation);

  /** A version was retired: it must not serve again. */
  void retired(Retirement retirement);

  /** A model was deleted. */
  void modelDeleted(String model);

  /**
   * Changes were missed (the feed's history no longer reaches back far enough): everything the
   * listener learned may be stale and must be listed again. Following continues afterwards.
   */
  void resynced();

  /**
   * Following stopped for good (e.g. the server's credentials were refused); the reason says why.
   */
  void stopped(String reason);
}
