package dev.agora.registry.service;

import static dev.agora.registry.service.Responses.respond;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.AuditServiceGrpc;
import dev.agora.proto.registry.v1.ListAuditEventsRequest;
import dev.agora.proto.registry.v1.ListAuditEventsResponse;
import dev.agora.registry.audit.AuditKeys;
import dev.agora.registry.audit.AuditLog;
import dev.agora.registry.catalog.CatalogNames;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.PageTokens;
import io.grpc.stub.StreamObserver;
import java.time.Instant;

/** {@code agora.registry.v1.AuditService}: the audit log, newest first. */
public final class AuditService extends AuditServiceGrpc.AuditServiceImplBase {
  private final AuditLog log;
  private final ReadConsistency reads;

  AuditService(AuditLog log, ReadConsistency reads) {
    this.log = log;
    this.reads = reads;
  }

  @Override
  public void listAuditEvents(
      ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> responses) {
    respond(
        responses,
        () -> {
          AuditLog.Query query = query(request);
          reads.await(request.getMinRevision());
          AuditLog.Page page = log.list(query);
          ListAuditEventsResponse.Builder response =
              ListAuditEventsResponse.newBuilder().addAllEvents(page.events());
          if (page.more()) {
            String lastId = page.events().get(page.events().size() - 1).getId();
            response.setNextPageToken(PageTokens.encode(lastId));
          }
          return response.build();
        });
  }

  private static AuditLog.Query query(ListAuditEventsRequest request) {
    String model =
        request.getModel().isEmpty()
            ? null
            : CatalogNames.requireModelName("model", request.getModel());
    String team =
        request.getTeam().isEmpty()
            ? null
            : CatalogNames.requireModelName("team", request.getTeam());
    Instant start = request.hasStartTime() ? time("start_time", request.getStartTime()) : null;
    Instant end = request.hasEndTime() ? time("end_time", request.getEndTime()) : null;
    if (start != null && end != null && !end.isAfter(start)) {
      throw AgoraException.invalidField("end_time", "must be after start_time");
    }
    int size =
        PageTokens.pageSize(
            request.getPageSize(), ModelCatalog.DEFAULT_PAGE_SIZE, ModelCatalog.MAX_PAGE_SIZE);
    String afterId = PageTokens.decode(request.getPageToken(), AuditKeys::isId);
    return new AuditLog.Query(model, team, start, end, afterId, size);
  }

  private static Instant time(String field, com.google.protobuf.Timestamp timestamp) {
    if (timestamp.getSeconds() < 0
        || timestamp.getNanos() < 0
        || timestamp.getNanos() > 999_999_999) {
      throw AgoraException.invalidField(field, "must be a valid time at or after 1970-01-01");
    }
    return AliasService.instant(timestamp);
  }
}
