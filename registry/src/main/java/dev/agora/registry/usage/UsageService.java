package dev.agora.registry.usage;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.registry.v1.QueryUsageRequest;
import dev.agora.proto.registry.v1.QueryUsageResponse;
import dev.agora.proto.registry.v1.ReportUsageRequest;
import dev.agora.proto.registry.v1.ReportUsageResponse;
import dev.agora.proto.registry.v1.UsageCount;
import dev.agora.proto.registry.v1.UsageServiceGrpc;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import dev.agora.registry.catalog.CatalogNames;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.PageTokens;
import dev.agora.registry.catalog.RevisionBarrier;
import dev.agora.registry.store.MetadataStore;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code agora.registry.v1.UsageService}: inference servers report usage, teams and administrators
 * read the cost-allocation report. Who may report is decided by the access policy (the {@code
 * usage:report} scope); which records a reader sees, by {@link UsageVisibility}.
 */
public final class UsageService extends UsageServiceGrpc.UsageServiceImplBase {
  /** The longest time range one query may cover, in days. */
  static final int MAX_DAYS = 366;

  /** The days a query covers when it names no start. */
  static final int DEFAULT_DAYS = 30;

  private static final Duration MAX_READ_WAIT = Duration.ofSeconds(2);

  private final UsageLedger ledger;
  private final UsageVisibility visibility;
  private final RevisionBarrier reads;
  private final InstantSource clock;

  private UsageService(MetadataStore store, InstantSource clock) {
    this.ledger = new UsageLedger(store);
    this.visibility = new UsageVisibility(store);
    this.reads = new RevisionBarrier(store, MAX_READ_WAIT);
    this.clock = clock;
  }

  /**
   * The service on {@code store}.
   *
   * @param clock tells which day is today, the default end of a query
   */
  public static UsageService create(MetadataStore store, InstantSource clock) {
    return new UsageService(store, clock);
  }

  @Override
  public void reportUsage(
      ReportUsageRequest request, StreamObserver<ReportUsageResponse> responses) {
    respond(
        responses,
        () -> {
          List<UsageCount> counts = ReportedCounts.check(request);
          UsageLedger.ReportId id = ReportedCounts.reportId(request);
          UsageLedger.Outcome outcome = ledger.add(counts, id, clock.instant());
          return ReportUsageResponse.newBuilder()
              .setRevision(outcome.revision())
              .setDuplicate(outcome.duplicate())
              .build();
        });
  }

  @Override
  public void queryUsage(QueryUsageRequest request, StreamObserver<QueryUsageResponse> responses) {
    respond(
        responses,
        () -> {
          UsageLedger.Query query = query(request);
          Caller caller = CallerContext.require();
          var visible = visibility.forCaller(caller, query.team(), query.model());
          reads.await(request.getMinRevision(), reads.maxWait());
          UsageLedger.Page page = ledger.query(query, visible);
          QueryUsageResponse.Builder response =
              QueryUsageResponse.newBuilder().addAllRecords(page.records());
          if (page.lastKey() != null) {
            response.setNextPageToken(PageTokens.encode(page.lastKey()));
          }
          return response.build();
        });
  }

  private UsageLedger.Query query(QueryUsageRequest request) {
    String model =
        request.getModel().isEmpty()
            ? null
            : CatalogNames.requireModelName("model", request.getModel());
    String team =
        request.getConsumerTeam().isEmpty()
            ? null
            : CatalogNames.requireModelName("consumer_team", request.getConsumerTeam());
    LocalDate end =
        request.getEndDay().isEmpty()
            ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
            : ReportedCounts.day("end_day", request.getEndDay());
    LocalDate start =
        request.getStartDay().isEmpty()
            ? end.minusDays(DEFAULT_DAYS - 1)
            : ReportedCounts.day("start_day", request.getStartDay());
    if (start.isAfter(end)) {
      throw AgoraException.invalidField("end_day", "must not be before start_day");
    }
    if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
      throw AgoraException.invalidField(
          "end_day", "must be at most " + MAX_DAYS + " days after start_day");
    }
    int size =
        PageTokens.pageSize(
            request.getPageSize(), ModelCatalog.DEFAULT_PAGE_SIZE, ModelCatalog.MAX_PAGE_SIZE);
    String after = PageTokens.decode(request.getPageToken(), UsageKeys::isRecordKey);
    return new UsageLedger.Query(start, end, model, team, after, size);
  }

  private static <T> void respond(StreamObserver<T> responses, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      responses.onError(ErrorStatus.toStatusException(e));
      return;
    }
    responses.onNext(result);
    responses.onCompleted();
  }
}
