package dev.agora.registry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import org.junit.jupiter.api.Test;

class EtcdKeysTest {
  private final EtcdKeys plain = new EtcdKeys("");
  private final EtcdKeys namespaced = new EtcdKeys("/prod/");

  private static String text(ByteSequence bytes) {
    return bytes.toString(UTF_8);
  }

  @Test
  void keysGoBehindTheNamespaceAndComeBackWithoutIt() {
    ByteSequence key = namespaced.key("/agora/v1/models/a");
    assertThat(text(key)).isEqualTo("/prod//agora/v1/models/a");
    assertThat(namespaced.storeKey(key)).isEqualTo("/agora/v1/models/a");
    assertThat(namespaced.storeKey(namespaced.key("/k/\u00e9\ud83d\ude00")))
        .isEqualTo("/k/\u00e9\ud83d\ude00");
  }

  @Test
  void anEmptyKeyWithoutANamespaceIsRefused() {
    assertThatThrownBy(() -> plain.key("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(text(namespaced.key(""))).isEqualTo("/prod/");
  }

  @Test
  void aPrefixRangeEndsAtTheNextPrefix() {
    assertThat(text(plain.rangeEnd("/agora/v1/models/"))).isEqualTo("/agora/v1/models0");
    assertThat(text(namespaced.rangeEnd(""))).isEqualTo("/prod0");
    assertThat(plain.rangeEnd("").getBytes()).containsExactly(0);
    assertThat(plain.rangeStart("", null).getBytes()).containsExactly(0);
  }

  @Test
  void aRangeEndSkipsTrailingMaximalBytes() {
    EtcdKeys keys = new EtcdKeys("");
    String prefix = new String(new byte[] {'a', (byte) 0xc3, (byte) 0xbf}, UTF_8);
    byte[] end = keys.rangeEnd(prefix).getBytes();
    assertThat(end).containsExactly('a', (byte) 0xc3, (byte) 0xc0);
  }

  @Test
  void startAfterMovesTheStartJustPastThatKeyWhenItIsInsideThePrefix() {
    assertThat(text(namespaced.rangeStart("/p/", null))).isEqualTo("/prod//p/");
    assertThat(namespaced.rangeStart("/p/", "/p/1").getBytes())
        .isEqualTo("/prod//p/1\0".getBytes(UTF_8));
    assertThat(text(namespaced.rangeStart("/p/", "/a"))).isEqualTo("/prod//p/");
  }
}
