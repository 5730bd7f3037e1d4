package dev.agora.registry.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.AuditEvent;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.aliases.AliasKeys;
import dev.agora.registry.audit.AuditLog;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SunsetRetirements} on one store implementation: deprecated versions are retired at their
 * sunset and not before, by {@value SunsetRetirements#ACTOR}, once even with two replicas, and a
 * check that fails is repeated. Subclasses supply the store. Time and the schedule are driven by
 * hand; nothing sleeps.
 */
abstract class SunsetRetirementsContract {
  static final String MODEL = "scorer";
  static final Duration NOTICE = Duration.ofDays(14);
  static final Duration INTERVAL = Duration.ofSeconds(30);
  static final GovernanceConfig GOVERNANCE = new GovernanceConfig(NOTICE, INTERVAL);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private MetadataStore store;
  private ControlledStore controlled;
  private ManualClock clock;
  private ManualScheduler scheduler;
  private SunsetRetirements retirements;

  /** A new, empty store. */
  protected abstract MetadataStore openStore() throws Exception;

  /** A second client of {@code store}, as another registry replica has; or {@code store} itself. */
  protected abstract MetadataStore openReplicaStore(MetadataStore store) throws Exception;

  @BeforeEach
  void start() throws Exception {
    store = openStore();
    opened.add(store);
    controlled = new ControlledStore(store);
    clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    scheduler = new ManualScheduler();
    retirements = SunsetRetirements.start(controlled, GOVERNANCE, clock, scheduler);
    opened.add(retirements);
    ModelCatalog models = new ModelCatalog(store, clock, new AuditTrail(() -> "alice"));
    models.create(Model.newBuilder().setName(MODEL).setOwnerTeam("ml-platform").build());
    for (String version : List.of("1.0.0", "1.1.0", "1.2.0")) {
      putPublished(version);
    }
    Model created = models.get(MODEL);
    put(
        CatalogKeys.model(MODEL),
        created.toBuilder()
            .setLatestPublishedVersion("1.2.0")
            .clearRevision()
            .build()
            .toByteArray());
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  @Test
  void checksAtOnceThenEveryInterval() {
    assertThat(scheduler.initialDelayMillis()).isZero();
    assertThat(scheduler.delayMillis()).isEqualTo(INTERVAL.toMillis());
  }

  @Test
  void retiresAVersionAtItsSunsetAndNotBefore() {
    Instant sunset = clock.instant().plus(NOTICE);
    lifecycleAs("alice").deprecate(MODEL, "1.2.0", sunset, "1.1.0");

    clock.set(sunset.minusMillis(1));
    scheduler.runScheduledTask();
    assertThat(stage("1.2.0")).isEqualTo(Stage.STAGE_DEPRECATED);
    assertThat(retirementsOf("1.2.0")).isEmpty();

    clock.set(sunset);
    List<ModelVersion> retired = retirements.retireDue();

    assertThat(retired).extracting(ModelVersion::getVersion).containsExactly("1.2.0");
    assertThat(stage("1.2.0")).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(retired.get(0).getRevision()).isEqualTo(version("1.2.0").getRevision());
    assertThat(model().getLatestPublishedVersion())
        .as("the latest published version falls back, as after RetireVersion")
        .isEqualTo("1.1.0");
    assertThat(retirementsOf("1.2.0"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getActor()).isEqualTo(SunsetRetirements.ACTOR);
              assertThat(event.getSummary()).isEqualTo("retired 1.2.0 (DEPRECATED → RETIRED)");
              assertThat(event.getTeam()).isEqualTo("ml-platform");
              assertThat(event.getTime().getSeconds()).isEqualTo(sunset.getEpochSecond());
            });

    clock.advance(INTERVAL);
    scheduler.runScheduledTask();
    assertThat(retirementsOf("1.2.0")).as("a retired version is not retired again").hasSize(1);
  }

  @Test
  void leavesPublishedVersionsAndLaterSunsetsAlone() {
    Instant early = clock.instant().plus(NOTICE);
    Instant late = early.plus(Duration.ofDays(30));
    lifecycleAs("alice").deprecate(MODEL, "1.0.0", early, "");
    lifecycleAs("alice").deprecate(MODEL, "1.1.0", late, "");
    put(AliasKeys.alias(MODEL, "prod"), "not a version record".getBytes(StandardCharsets.UTF_8));

    clock.set(early.plus(Duration.ofDays(1)));
    scheduler.runScheduledTask();

    assertThat(stage("1.0.0")).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(stage("1.1.0")).isEqualTo(Stage.STAGE_DEPRECATED);
    assertThat(stage("1.2.0")).isEqualTo(Stage.STAGE_PUBLISHED);

    clock.set(late);
    scheduler.runScheduledTask();
    assertThat(stage("1.1.0")).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(stage("1.2.0")).isEqualTo(Stage.STAGE_PUBLISHED);
  }

  @Test
  void leavesAVersionRetiredByHandMeanwhileAlone() {
    Instant sunset = clock.instant().plus(NOTICE);
    lifecycleAs("alice").deprecate(MODEL, "1.0.0", sunset, "1.2.0");
    clock.advance(Duration.ofDays(3));
    lifecycleAs("bob").retire(MODEL, "1.0.0");

    clock.set(sunset.plus(Duration.ofDays(1)));
    assertThat(retirements.retireDue()).isEmpty();
    scheduler.runScheduledTask();

    assertThat(retirementsOf("1.0.0"))
        .singleElement()
        .satisfies(event -> assertThat(event.getActor()).isEqualTo("bob"));
  }

  @Test
  void twoReplicasRetireAVersionOnce() throws Exception {
    MetadataStore replicaStore = openReplicaStore(store);
    if (replicaStore != store) {
      opened.add(replicaStore);
    }
    ManualScheduler replicaScheduler = new ManualScheduler();
    SunsetRetirements replica =
        SunsetRetirements.start(replicaStore, GOVERNANCE, clock, replicaScheduler);
    opened.add(replica);
    Instant sunset = clock.instant().plus(NOTICE);
    lifecycleAs("alice").deprecate(MODEL, "1.0.0", sunset, "");
    clock.set(sunset.plusSeconds(5));

    AtomicReference<List<ModelVersion>> replicaRetired = new AtomicReference<>();
    controlled.beforeNextCommit(() -> replicaRetired.set(replica.retireDue()));
    List<ModelVersion> retired = retirements.retireDue();

    assertThat(replicaRetired.get())
        .as("the replica slipped in between this one's read and its commit, and won")
        .extracting(ModelVersion::getVersion)
        .containsExactly("1.0.0");
    assertThat(retired).as("losing the race is not an error").isEmpty();
    assertThat(stage("1.0.0")).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(retirementsOf("1.0.0"))
        .singleElement()
        .satisfies(event -> assertThat(event.getActor()).isEqualTo(SunsetRetirements.ACTOR));
  }

  @Test
  void retriesOnTheNextCheckWhenTheStoreIsUnavailable() {
    Instant sunset = clock.instant().plus(NOTICE);
    lifecycleAs("alice").deprecate(MODEL, "1.0.0", sunset, "");
    lifecycleAs("alice").deprecate(MODEL, "1.1.0", sunset, "");
    clock.set(sunset.plusSeconds(1));

    controlled.unavailable(true);
    assertThatCode(scheduler::runScheduledTask)
        .as("a failed check is logged, never thrown at the schedule")
        .doesNotThrowAnyException();
    assertThat(stage("1.0.0")).isEqualTo(Stage.STAGE_DEPRECATED);

    controlled.unavailable(false);
    controlled.beforeNextCommit(() -> controlled.unavailable(true));
    scheduler.runScheduledTask();
    assertThat(stage("1.0.0"))
        .as("the store failed between the scan and the commit")
        .isEqualTo(Stage.STAGE_DEPRECATED);
    assertThat(stage("1.1.0")).isEqualTo(Stage.STAGE_DEPRECATED);

    controlled.unavailable(false);
    clock.advance(INTERVAL);
    scheduler.runScheduledTask();
    assertThat(stage("1.0.0")).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(stage("1.1.0")).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(retirementsOf("1.0.0")).hasSize(1);
    assertThat(retirementsOf("1.1.0")).hasSize(1);
  }

  @Test
  void stopsItsScheduleOnClose() {
    retirements.close();
    assertThat(scheduler.isShutdown()).isTrue();
  }

  private VersionLifecycle lifecycleAs(String actor) {
    AuditTrail audit = new AuditTrail(() -> actor);
    ModelCatalog models = new ModelCatalog(store, clock, audit);
    VersionRepository versions = new VersionRepository(store, models, clock, audit);
    return new VersionLifecycle(store, models, versions, GOVERNANCE, clock, audit);
  }

  private ModelVersion version(String version) {
    AuditTrail audit = new AuditTrail(() -> "reader");
    return new VersionRepository(store, new ModelCatalog(store, clock, audit), clock, audit)
        .get(MODEL, version);
  }

  private Stage stage(String version) {
    return version(version).getStage();
  }

  private Model model() {
    return new ModelCatalog(store, clock, new AuditTrail(() -> "reader")).get(MODEL);
  }

  /** The audit events recording that {@code version} was retired. */
  private List<AuditEvent> retirementsOf(String version) {
    return new AuditLog(store)
        .list(new AuditLog.Query(MODEL, null, null, null, null, 1000)).events().stream()
            .filter(event -> event.getAction() == AuditAction.AUDIT_ACTION_VERSION_STAGE_CHANGED)
            .filter(event -> event.getVersion().equals(version))
            .filter(event -> event.getSummary().endsWith("→ RETIRED)"))
            .toList();
  }

  private void putPublished(String version) {
    ModelVersion record =
        ModelVersion.newBuilder()
            .setModel(MODEL)
            .setVersion(version)
            .setStage(Stage.STAGE_PUBLISHED)
            .setPublishTime(StoredRecords.timestamp(clock.instant()))
            .build();
    put(CatalogKeys.version(MODEL, version), record.toByteArray());
  }

  private void put(String key, byte[] value) {
    assertThat(store.commit(Txn.builder().put(key, value).build()).succeeded()).isTrue();
  }
}
