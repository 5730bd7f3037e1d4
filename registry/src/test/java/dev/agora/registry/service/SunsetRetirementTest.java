package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.AuditEvent;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.EventsServiceGrpc;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.ListAuditEventsRequest;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.WatchRequest;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.catalog.GovernanceConfig;
import dev.agora.registry.catalog.SunsetRetirements;
import dev.agora.testing.models.TestModels;
import io.grpc.Context;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sunset retirements the real {@code RegistryServer} runs: a version deprecated through the API
 * is retired once its sunset has passed, and callers see what {@code RetireVersion} would have
 * produced — the stage, the model's latest version, the audit event and the change-feed event the
 * inference server follows. The schedule is an hour here (after the check at start); the test runs
 * the check itself and looks at the outcome, whichever check produced it.
 */
class SunsetRetirementTest {
  private static final Duration NOTICE = Duration.ofDays(14);

  @TempDir Path dataDir;
  private RegistryHarness registry;
  private Governance governance;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir)
                .withGovernance(new GovernanceConfig(NOTICE, Duration.ofHours(1))),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    governance = new Governance(registry);
    registry.createModel("scorer");
    for (String version : new String[] {"1.0.0", "1.1.0"}) {
      registry.upload("scorer", version, TestModels.mlp());
      registry.publish("scorer", version);
    }
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void aDeprecatedVersionIsRetiredAtItsSunsetAsRetireVersionWould() throws Exception {
    Instant sunset = registry.clock.instant().plus(NOTICE);
    ModelVersion deprecated = governance.deprecate("scorer", "1.1.0", sunset, "1.0.0");
    SunsetRetirements sunsets = registry.registry.sunsetRetirements();

    registry.clock.advance(NOTICE.minusSeconds(1));
    assertThat(sunsets.retireDue()).isEmpty();
    assertThat(registry.getVersion("scorer", "1.1.0").getStage()).isEqualTo(Stage.STAGE_DEPRECATED);
    assertThat(latest()).isEqualTo("1.1.0");

    registry.clock.advance(Duration.ofSeconds(1));
    sunsets.retireDue();

    ModelVersion retired = registry.getVersion("scorer", "1.1.0");
    assertThat(retired.getStage()).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(latest()).isEqualTo("1.0.0");
    AuditEvent newest =
        registry
            .audit()
            .listAuditEvents(ListAuditEventsRequest.newBuilder().setModel("scorer").build())
            .getEvents(0);
    assertThat(newest.getAction()).isEqualTo(AuditAction.AUDIT_ACTION_VERSION_STAGE_CHANGED);
    assertThat(newest.getActor()).isEqualTo(SunsetRetirements.ACTOR);
    assertThat(newest.getVersion()).isEqualTo("1.1.0");
    assertThat(newest.getSummary()).isEqualTo("retired 1.1.0 (DEPRECATED → RETIRED)");
    assertThat(newest.getRevisionAfter()).isEqualTo(retired.getRevision());

    Event change = firstStageChangeAfter(deprecated.getRevision());
    assertThat(change.getVersion()).isEqualTo("1.1.0");
    assertThat(change.getFromStage()).isEqualTo(Stage.STAGE_DEPRECATED);
    assertThat(change.getToStage()).isEqualTo(Stage.STAGE_RETIRED);
    assertThat(change.getRevision()).isEqualTo(retired.getRevision());
  }

  private String latest() {
    return registry
        .blocking()
        .getModel(GetModelRequest.newBuilder().setName("scorer").build())
        .getLatestPublishedVersion();
  }

  /** The first VERSION_STAGE_CHANGED event of the change feed after {@code revision}. */
  private Event firstStageChangeAfter(long revision) throws Exception {
    WatchRequest request =
        WatchRequest.newBuilder()
            .setFromRevision(revision + 1)
            .addModels("scorer")
            .addTypes(EventType.EVENT_TYPE_VERSION_STAGE_CHANGED)
            .build();
    try (Context.CancellableContext watch = Context.current().withCancellation()) {
      return watch.call(
          () -> {
            Iterator<Event> events =
                EventsServiceGrpc.newBlockingStub(registry.channel(RegistryHarness.ADMIN))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .watch(request);
            while (true) {
              Event event = events.next();
              if (event.getType() != EventType.EVENT_TYPE_PROGRESS) {
                return event;
              }
            }
          });
    }
  }
}
