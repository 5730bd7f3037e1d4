package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.ListModelsRequest;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CreateModel, GetModel and ListModels. */
class ModelCatalogServiceTest {
  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "A",
        "Upper",
        "1starts-with-digit",
        "-dash",
        "under_score",
        "spa ce",
        "dot.ted",
        "slash/name",
        "\u00e9t\u00e9",
        "a123456789012345678901234567890123456789012345678901234567890123"
      })
  void malformedModelNamesAreRefusedNamingTheField(String name) {
    StatusRuntimeException refused =
        assertFailure(
            () ->
                registry
                    .blocking()
                    .createModel(
                        CreateModelRequest.newBuilder()
                            .setModel(Model.newBuilder().setName(name))
                            .build()),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(refused)).containsExactly("model.name");

    assertThat(registry.createModel("valid-name").getName()).isEqualTo("valid-name");
  }

  @Test
  void theLongestAndShortestNamesAreAccepted() {
    String longest = "a" + "b1-".repeat(20) + "cd";
    assertThat(longest).hasSize(63);
    assertThat(registry.createModel(longest).getName()).isEqualTo(longest);
    assertThat(registry.createModel("x").getName()).isEqualTo("x");
  }

  @Test
  void aMissingModelIsRefused() {
    StatusRuntimeException refused =
        assertFailure(
            () -> registry.blocking().createModel(CreateModelRequest.getDefaultInstance()),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(refused)).containsExactly("model");
    assertThat(registry.createModel("after-refusal").getName()).isEqualTo("after-refusal");
  }

  @Test
  void aDuplicateNameIsRefusedAndTheOriginalKept() {
    Model original = registry.createModel("taken");
    assertFailure(
        () -> registry.createModel("taken"), Status.Code.ALREADY_EXISTS, "MODEL_ALREADY_EXISTS");
    assertThat(
            registry
                .blocking()
                .getModel(
                    dev.agora.proto.registry.v1.GetModelRequest.newBuilder()
                        .setName("taken")
                        .build()))
        .isEqualTo(original);
    assertThat(registry.createModel("taken-2").getName()).isEqualTo("taken-2");
  }

  @Test
  void modelsListInNameOrderAcrossPagesWithoutTheirVersions() {
    List<String> names = List.of("delta", "alpha", "alpha-2", "charlie", "bravo", "echo", "a");
    names.forEach(registry::createModel);
    byte[] mlp = TestModels.mlp();
    registry.upload("alpha", "1.0.0", mlp);
    registry.upload("alpha", "1.1.0", mlp);
    registry.upload("charlie", "0.1.0", mlp);

    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListModelsResponse page =
          registry
              .blocking()
              .listModels(
                  ListModelsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
      assertThat(page.getModelsCount()).isLessThanOrEqualTo(2);
      page.getModelsList().forEach(m -> seen.add(m.getName()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertThat(seen).containsExactly("a", "alpha", "alpha-2", "bravo", "charlie", "delta", "echo");
    assertThat(pages).isEqualTo(4);
  }

  @Test
  void theDefaultPageHoldsEveryModelWhenFewExist() {
    List.of("one", "two", "three").forEach(registry::createModel);
    ListModelsResponse all = registry.blocking().listModels(ListModelsRequest.getDefaultInstance());
    assertThat(all.getModelsList())
        .extracting(Model::getName)
        .containsExactly("one", "three", "two");
    assertThat(all.getNextPageToken()).isEmpty();

    ListModelsResponse huge =
        registry.blocking().listModels(ListModelsRequest.newBuilder().setPageSize(5000).build());
    assertThat(huge.getModelsCount()).isEqualTo(3);
  }

  @Test
  void badPagingArgumentsAreRefused() {
    registry.createModel("paged");
    for (String token : List.of("!!not-base64!!", "QkFEIE5BTUU", "Lg")) {
      StatusRuntimeException refused =
          assertFailure(
              () ->
                  registry
                      .blocking()
                      .listModels(ListModelsRequest.newBuilder().setPageToken(token).build()),
              Status.Code.INVALID_ARGUMENT,
              "INVALID_FIELD");
      assertThat(StatusDetails.violatedFields(refused)).containsExactly("page_token");
    }
    StatusRuntimeException negative =
        assertFailure(
            () ->
                registry
                    .blocking()
                    .listModels(ListModelsRequest.newBuilder().setPageSize(-1).build()),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(negative)).containsExactly("page_size");

    assertThat(
            registry.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsCount())
        .isEqualTo(1);
  }
}
