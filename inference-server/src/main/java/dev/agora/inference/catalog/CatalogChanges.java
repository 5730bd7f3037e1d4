package dev.agora.inference.catalog;

/**
 * Where the inference server hears about catalog changes as they happen, so that it loads new
 * versions before they are asked for, moves aliases and "latest" only to warm versions, and stops
 * serving retired versions at once. Implementations deliver to one {@link CatalogListener}, one
 * call at a time, in the order the changes were made.
 */
public interface CatalogChanges {

  /**
   * Starts following the catalog. {@link CatalogListener#following()} is called once every change
   * made after that point will be delivered; the returned handle stops following.
   */
  AutoCloseable follow(CatalogListener listener);

  /** Whether there is a feed to wait for; false only for {@link #none()}. */
  default boolean isLive() {
    return true;
  }

  /** No change feed: the server learns changes only by asking the catalog. */
  static CatalogChanges none() {
    return new CatalogChanges() {
      @Override
      public AutoCloseable follow(CatalogListener listener) {
        return () -> {};
      }

      @Override
      public boolean isLive() {
        return false;
      }
    };
  }
}
