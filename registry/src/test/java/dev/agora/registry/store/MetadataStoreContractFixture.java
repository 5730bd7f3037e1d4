package dev.agora.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store lifecycle and helpers shared by the contract suites. Implementations subclass {@link
 * MetadataStoreContractTest}, which inherits every suite.
 */
public abstract class MetadataStoreContractFixture {
  protected MetadataStore store;

  /** A new, empty store; closed after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  protected void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  protected void closeStore() {
    store.close();
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  protected long put(String key, String value) {
    TxnResult result = store.commit(Txn.builder().put(key, bytes(value)).build());
    assertThat(result.succeeded()).isTrue();
    return result.revision();
  }

  protected long delete(String key) {
    return store.commit(Txn.builder().delete(key).build()).revision();
  }
}
