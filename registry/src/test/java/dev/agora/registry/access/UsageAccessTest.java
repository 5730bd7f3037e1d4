package dev.agora.registry.access;

import static dev.agora.registry.access.AccessHarness.member;
import static dev.agora.registry.access.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.QueryUsageRequest;
import dev.agora.proto.registry.v1.QueryUsageResponse;
import dev.agora.proto.registry.v1.ReportUsageRequest;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.proto.registry.v1.UsageRecord;
import dev.agora.proto.registry.v1.UsageServiceGrpc;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.Scope;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UsageService behind the real access policy: who may report, who sees which records of the
 * cost-allocation report, and how bad requests are refused.
 */
class UsageAccessTest {
  private static final String DAY = "2026-03-01";

  @TempDir Path dataDir;

  private AccessHarness harness;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private String pat;
  private String cora;
  private String olga;
  private ManagedChannel inferenceServer;

  @BeforeEach
  void start() throws Exception {
    harness = new AccessHarness(dataDir);
    harness.createTeam("fraud", member("pat", Role.ROLE_PUBLISHER));
    harness.createTeam("growth", member("cora", Role.ROLE_CONSUMER));
    harness.createTeam("ops", member("olga", Role.ROLE_PUBLISHER));
    pat = harness.key("fraud", "pat");
    cora = harness.key("growth", "cora");
    olga = harness.key("ops", "olga");
    createModel(pat, "scorer", "fraud");
    createModel(olga, "ranker", "ops");
    inferenceServer =
        serveAs(Caller.trusted("agora-inference-server", EnumSet.of(Scope.USAGE_REPORT)));
    report(
        inferenceServer,
        count("scorer", "growth", "k1", 3, 1),
        count("scorer", "ops", "k2", 2, 0),
        count("ranker", "growth", "k1", 4, 0),
        count("ranker", "ops", "k2", 1, 1));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
    harness.close();
  }

  @Test
  void administratorsSeeEveryRecordWithItsCountsAndKeys() {
    List<UsageRecord> records = query(harness.adminKey, QueryUsageRequest.newBuilder());
    assertThat(records)
        .extracting(r -> r.getModel() + "/" + r.getConsumerTeam())
        .containsExactly("ranker/growth", "ranker/ops", "scorer/growth", "scorer/ops");
    UsageRecord scorerGrowth = records.get(2);
    assertThat(scorerGrowth.getDay()).isEqualTo(DAY);
    assertThat(scorerGrowth.getVersion()).isEqualTo("1.0.0");
    assertThat(scorerGrowth.getRequests()).isEqualTo(3);
    assertThat(scorerGrowth.getFailedRequests()).isEqualTo(1);
    assertThat(scorerGrowth.getKeysList())
        .singleElement()
        .satisfies(key -> assertThat(key.getKeyId()).isEqualTo("k1"));
    assertThat(scorerGrowth.getRevision()).isPositive();
  }

  @Test
  void aTeamSeesItsOwnCallsAndTheCallsToItsModels() {
    assertThat(query(cora, QueryUsageRequest.newBuilder()))
        .as("a consumer team: its own calls")
        .extracting(r -> r.getModel() + "/" + r.getConsumerTeam())
        .containsExactly("ranker/growth", "scorer/growth");
    assertThat(query(pat, QueryUsageRequest.newBuilder()))
        .as("an owning team: every call to its model")
        .extracting(r -> r.getModel() + "/" + r.getConsumerTeam())
        .containsExactly("scorer/growth", "scorer/ops");
    assertThat(query(olga, QueryUsageRequest.newBuilder().setModel("scorer")))
        .as("another team's model: only its own calls to it")
        .extracting(r -> r.getModel() + "/" + r.getConsumerTeam())
        .containsExactly("scorer/ops");
    assertThat(query(pat, QueryUsageRequest.newBuilder().setModel("scorer").setConsumerTeam("ops")))
        .as("the owning team may name a consumer of its model")
        .extracting(UsageRecord::getRequests)
        .containsExactly(2L);
  }

  @Test
  void aConsumerCannotReadAnotherTeamsUsage() {
    var refused =
        assertRefused(
            () -> query(cora, QueryUsageRequest.newBuilder().setConsumerTeam("ops")),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");
    assertThat(Refusals.metadata(refused)).containsEntry("team", "ops");
    assertThat(refused.getStatus().getDescription()).contains("usage of team 'ops'");
    assertRefused(
        () -> query(cora, QueryUsageRequest.newBuilder().setConsumerTeam("ops").setModel("scorer")),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");

    assertThat(query(cora, QueryUsageRequest.newBuilder().setConsumerTeam("growth"))).hasSize(2);
  }

  @Test
  void onlyTheInferenceServerOrAGlobalAdministratorMayReport() throws Exception {
    var consumer =
        assertRefused(
            () -> report(harness.channel(), cora, count("scorer", "growth", "k1", 100, 0)),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");
    assertThat(Refusals.metadata(consumer)).containsEntry("required_role", "admin");
    harness.setMemberAs(harness.adminKey, "ops", member("olga", Role.ROLE_ADMIN));
    String teamAdmin = harness.key("ops", "olga", "usage:report");
    assertRefused(
        () -> report(harness.channel(), teamAdmin, count("scorer", "ops", "k2", 100, 0)),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    ManagedChannel readOnly =
        serveAs(Caller.trusted("agora-inference-server", EnumSet.of(Scope.REGISTRY_READ)));
    var unscoped =
        assertRefused(
            () -> report(readOnly, count("scorer", "ops", "k2", 100, 0)),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");
    assertThat(unscoped.getStatus().getDescription()).contains("'usage:report' scope");

    report(harness.channel(), harness.adminKey, count("scorer", "ops", "k2", 5, 0));
    assertThat(
            query(
                harness.adminKey,
                QueryUsageRequest.newBuilder().setModel("scorer").setConsumerTeam("ops")))
        .extracting(UsageRecord::getRequests)
        .containsExactly(7L);
  }

  @Test
  void badReportsAreRefusedNamingTheField() {
    record Case(ReportUsageRequest request, String field) {}
    UsageCount good = count("scorer", "growth", "k1", 1, 0);
    List<Case> cases =
        List.of(
            new Case(ReportUsageRequest.getDefaultInstance(), "counts"),
            new Case(
                request(good.toBuilder().setFailedRequests(2).build()),
                "counts[0].failed_requests"),
            new Case(request(good.toBuilder().setRequests(0).build()), "counts[0].requests"),
            new Case(request(good, good.toBuilder().setDay("2026-02-30").build()), "counts[1].day"),
            new Case(request(good.toBuilder().setDay("1 March").build()), "counts[0].day"),
            new Case(request(good.toBuilder().setModel("Scorer").build()), "counts[0].model"),
            new Case(request(good.toBuilder().setVersion("1.0/x").build()), "counts[0].version"),
            new Case(
                request(good.toBuilder().setConsumerTeam("").build()), "counts[0].consumer_team"),
            new Case(request(good.toBuilder().setKeyId("k/1").build()), "counts[0].key_id"),
            new Case(
                request(good.toBuilder().clearLastCallTime().build()), "counts[0].last_call_time"),
            new Case(request(good, good), "counts[1]"),
            new Case(request(manyCounts(51)), "counts"),
            new Case(request(good).toBuilder().setSequence(1).build(), "sequence"),
            new Case(
                request(good).toBuilder().setReporterId("server-a").setSequence(0).build(),
                "sequence"),
            new Case(
                request(good).toBuilder().setReporterId("server a").setSequence(1).build(),
                "reporter_id"),
            new Case(
                request(good).toBuilder().setReporterId("r".repeat(65)).setSequence(1).build(),
                "reporter_id"));
    for (Case bad : cases) {
      var refused =
          assertRefused(
              () -> usage(inferenceServer).reportUsage(bad.request()),
              Status.Code.INVALID_ARGUMENT,
              "INVALID_FIELD");
      assertThat(Refusals.violatedFields(refused)).as(bad.field()).containsExactly(bad.field());
    }
    assertThat(query(harness.adminKey, QueryUsageRequest.newBuilder().setModel("scorer")))
        .as("nothing of a refused report was recorded")
        .extracting(UsageRecord::getRequests)
        .containsExactly(3L, 2L);

    usage(inferenceServer).reportUsage(request(manyCounts(50)));
    assertThat(query(harness.adminKey, QueryUsageRequest.newBuilder().setModel("scorer")))
        .extracting(UsageRecord::getRequests)
        .containsExactly(53L, 2L);
  }

  @Test
  void aReportSentTwiceUnderItsReporterAndSequenceCountsOnce() {
    ReportUsageRequest report =
        request(count("scorer", "growth", "k1", 4, 1)).toBuilder()
            .setReporterId("0b5c7f7e-2f51-4c1e-9a1e-6d7f3b1a9c20")
            .setSequence(1)
            .build();

    assertThat(usage(inferenceServer).reportUsage(report).getDuplicate()).isFalse();
    assertThat(usage(inferenceServer).reportUsage(report).getDuplicate()).isTrue();

    assertThat(query(harness.adminKey, QueryUsageRequest.newBuilder().setModel("scorer")))
        .extracting(UsageRecord::getRequests)
        .containsExactly(3L + 4L, 2L);
  }

  @Test
  void badQueriesAreRefusedNamingTheFieldAndPagesWalkEveryRecord() {
    record Case(QueryUsageRequest.Builder request, String field) {}
    List<Case> cases =
        List.of(
            new Case(
                QueryUsageRequest.newBuilder().setStartDay("2026-03-02").setEndDay(DAY), "end_day"),
            new Case(
                QueryUsageRequest.newBuilder().setStartDay("2025-01-01").setEndDay(DAY), "end_day"),
            new Case(QueryUsageRequest.newBuilder().setStartDay("yesterday"), "start_day"),
            new Case(QueryUsageRequest.newBuilder().setModel("Not A Model"), "model"),
            new Case(QueryUsageRequest.newBuilder().setPageToken("garbage!"), "page_token"),
            new Case(QueryUsageRequest.newBuilder().setPageSize(-1), "page_size"));
    for (Case bad : cases) {
      var refused =
          assertRefused(
              () -> query(harness.adminKey, bad.request()),
              Status.Code.INVALID_ARGUMENT,
              "INVALID_FIELD");
      assertThat(Refusals.violatedFields(refused)).as(bad.field()).containsExactly(bad.field());
    }

    List<String> walked = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      QueryUsageResponse page =
          usage(harness.channel(), harness.adminKey)
              .queryUsage(
                  QueryUsageRequest.newBuilder()
                      .setStartDay("2026-02-01")
                      .setEndDay(DAY)
                      .setPageSize(1)
                      .setPageToken(token)
                      .build());
      page.getRecordsList().forEach(r -> walked.add(r.getModel() + "/" + r.getConsumerTeam()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertThat(walked)
        .containsExactly("ranker/growth", "ranker/ops", "scorer/growth", "scorer/ops");
    assertThat(pages).isBetween(4, 5);
  }

  private void createModel(String key, String name, String team) {
    harness
        .registry(key)
        .createModel(
            CreateModelRequest.newBuilder()
                .setModel(Model.newBuilder().setName(name).setOwnerTeam(team))
                .build());
  }

  private ManagedChannel serveAs(Caller caller) throws Exception {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    harness.registry.internalServices(caller).forEach(builder::addService);
    Server server = builder.build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    opened.add(() -> server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    opened.add(() -> channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return channel;
  }

  private static UsageServiceGrpc.UsageServiceBlockingStub usage(ManagedChannel channel) {
    return UsageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static UsageServiceGrpc.UsageServiceBlockingStub usage(
      ManagedChannel channel, String key) {
    return AccessHarness.withKey(UsageServiceGrpc.newBlockingStub(channel), key);
  }

  private static void report(ManagedChannel channel, UsageCount... counts) {
    usage(channel).reportUsage(request(counts));
  }

  private static void report(ManagedChannel channel, String key, UsageCount... counts) {
    usage(channel, key).reportUsage(request(counts));
  }

  private List<UsageRecord> query(String key, QueryUsageRequest.Builder request) {
    if (request.getStartDay().isEmpty() && request.getEndDay().isEmpty()) {
      request.setStartDay(DAY).setEndDay(DAY);
    }
    return usage(harness.channel(), key).queryUsage(request.build()).getRecordsList();
  }

  private static ReportUsageRequest request(UsageCount... counts) {
    return ReportUsageRequest.newBuilder().addAllCounts(List.of(counts)).build();
  }

  private static UsageCount[] manyCounts(int size) {
    UsageCount[] counts = new UsageCount[size];
    for (int i = 0; i < size; i++) {
      counts[i] = count("scorer", "growth", "key" + i, 1, 0);
    }
    return counts;
  }

  private static UsageCount count(
      String model, String team, String keyId, long requests, long failed) {
    return UsageCount.newBuilder()
        .setDay(DAY)
        .setModel(model)
        .setVersion("1.0.0")
        .setConsumerTeam(team)
        .setKeyId(keyId)
        .setRequests(requests)
        .setFailedRequests(failed)
        .setLastCallTime(Timestamp.newBuilder().setSeconds(1_772_366_400L))
        .build();
  }
}
