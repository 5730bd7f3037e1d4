package dev.agora.registry.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names, versions, ordering and page tokens. */
class CatalogRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"0.0.1", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-rc.1", "2.0.0-0.3.7"})
  void acceptsStrictSemanticVersions(String version) {
    assertThat(CatalogNames.requireVersion("version", version)).isEqualTo(version);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1",
        "1.2",
        "v1.2.3",
        "1.2.3.4",
        "01.2.3",
        "1.2.3+build",
        "1.2.3-",
        " 1.2.3",
        "latest"
      })
  void refusesEverythingElseNamingTheField(String version) {
    assertThatThrownBy(() -> CatalogNames.requireVersion("header.version", version))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_FIELD);
              assertThat(e.fieldViolations())
                  .extracting(AgoraException.FieldViolation::field)
                  .containsExactly("header.version");
            });
  }

  @Test
  void ordersByPrecedenceNotByText() {
    List<String> versions =
        new ArrayList<>(
            List.of("1.0.0", "1.0.0-alpha", "1.10.0", "1.9.0", "1.0.0-alpha.1", "1.0.0-beta"));
    versions.sort(SemanticVersions.NEWEST_FIRST);
    assertThat(versions)
        .containsExactly("1.10.0", "1.9.0", "1.0.0", "1.0.0-beta", "1.0.0-alpha.1", "1.0.0-alpha");
    assertThat(SemanticVersions.higher("", "0.1.0")).isEqualTo("0.1.0");
    assertThat(SemanticVersions.higher("1.10.0", "1.9.0")).isEqualTo("1.10.0");
    assertThat(SemanticVersions.higher("2.0.0-rc.1", "2.0.0")).isEqualTo("2.0.0");
  }

  @Test
  void modelKeysAreTellableFromVersionKeys() {
    assertThat(CatalogKeys.isModelKey(CatalogKeys.model("fraud"))).isTrue();
    assertThat(CatalogKeys.isModelKey(CatalogKeys.version("fraud", "1.0.0"))).isFalse();
    assertThat(CatalogKeys.version("fraud", "1.0.0"))
        .isEqualTo("/agora/v1/models/fraud/versions/1.0.0");
    assertThat(CatalogKeys.modelName(CatalogKeys.model("fraud"))).isEqualTo("fraud");
  }

  @Test
  void pageTokensRoundTripAndRefuseForgeries() {
    String token = PageTokens.encode("alpha-2");
    assertThat(token).doesNotContain("=", "+", "/");
    assertThat(PageTokens.decode(token, CatalogNames::isModelName)).isEqualTo("alpha-2");
    assertThat(PageTokens.decode("", CatalogNames::isModelName)).isNull();
    assertThatThrownBy(
            () -> PageTokens.decode(PageTokens.encode("../x"), CatalogNames::isModelName))
        .isInstanceOfSatisfying(
            AgoraException.class,
            e ->
                assertThat(e.fieldViolations())
                    .extracting(AgoraException.FieldViolation::field)
                    .containsExactly("page_token"));
    assertThat(PageTokens.pageSize(0, 100, 1000)).isEqualTo(100);
    assertThat(PageTokens.pageSize(5000, 100, 1000)).isEqualTo(1000);
    assertThat(PageTokens.pageSize(7, 100, 1000)).isEqualTo(7);
  }
}
