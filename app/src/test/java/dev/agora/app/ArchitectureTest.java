package dev.agora.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of ARCHITECTURE.md and CONVENTIONS.md, checked on the compiled classes. */
class ArchitectureTest {
  private static JavaClasses agora;

  @BeforeAll
  static void importClasses() {
    agora =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agora");
    // The rules below are only meaningful if every server module is on the classpath.
    assertThat(agora.contain("dev.agora.registry.RegistryServer")).isTrue();
    assertThat(agora.contain("dev.agora.inference.InferenceServer")).isTrue();
    assertThat(agora.contain("dev.agora.sdk.AgoraClient")).isTrue();
  }

  @Test
  void inferenceServerNeverImportsTheRegistry() {
    noClasses()
        .that()
        .resideInAPackage("dev.agora.inference..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.agora.registry..")
        .check(agora);
  }

  @Test
  void registryNeverImportsTheInferenceServer() {
    noClasses()
        .that()
        .resideInAPackage("dev.agora.registry..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.agora.inference..")
        .check(agora);
  }

  @Test
  void onnxRuntimeIsImportedOnlyFromItsAdapterPackages() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.agora.inference.runtime.onnx..",
            "dev.agora.registry.artifact.onnx..",
            "dev.agora.testing.onnx..",
            "dev.agora.benchmarks..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("ai.onnxruntime..")
        .check(agora);
  }

  @Test
  void jetcdIsImportedOnlyFromEtcdPackages() {
    // dev.agora.registry.store.etcd today; the quota backend on etcd will be another etcd package.
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.agora..etcd..", "dev.agora.benchmarks..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.etcd..", "io.vertx..")
        .check(agora);
  }

  @Test
  void theSdkNeverImportsServerCode() {
    noClasses()
        .that()
        .resideInAPackage("dev.agora.sdk..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.agora.registry..",
            "dev.agora.inference..",
            "dev.agora.app..",
            "dev.agora.common..")
        .check(agora);
  }

  @Test
  void noUtilityPackages() {
    noClasses()
        .should()
        .resideInAnyPackage("..util..", "..utils..", "..helpers..", "..misc..")
        .check(agora);
  }

  @Test
  void prometheusIsImportedOnlyFromTheMetricsPackageAndTheCompositionRoot() {
    // The composition root creates the one registry instance; collectors live in metrics.
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.agora.app.metrics..", "dev.agora.app.serve..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.prometheus..")
        .check(agora);
  }

  @Test
  void logbackIsImportedOnlyFromTheLoggingPackage() {
    // Library modules log through slf4j-api only; the app chooses the backend.
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.agora.app.logging..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("ch.qos.logback..")
        .check(agora);
  }
}
