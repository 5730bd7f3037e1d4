package dev.agora.registry.service;

import static dev.agora.registry.service.Responses.respond;

import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.AliasServiceGrpc;
import dev.agora.proto.registry.v1.DeleteAliasRequest;
import dev.agora.proto.registry.v1.DeleteAliasResponse;
import dev.agora.proto.registry.v1.GetAliasHistoryRequest;
import dev.agora.proto.registry.v1.GetAliasHistoryResponse;
import dev.agora.proto.registry.v1.GetAliasRequest;
import dev.agora.proto.registry.v1.ListAliasesRequest;
import dev.agora.proto.registry.v1.ListAliasesResponse;
import dev.agora.proto.registry.v1.SetAliasRequest;
import dev.agora.registry.aliases.AliasHistory;
import dev.agora.registry.aliases.ModelAliases;
import io.grpc.stub.StreamObserver;
import java.time.Instant;

/** {@code agora.registry.v1.AliasService}: aliases and their history. */
public final class AliasService extends AliasServiceGrpc.AliasServiceImplBase {
  private final ModelAliases aliases;
  private final AliasHistory history;
  private final ReadConsistency reads;

  AliasService(ModelAliases aliases, AliasHistory history, ReadConsistency reads) {
    this.aliases = aliases;
    this.history = history;
    this.reads = reads;
  }

  @Override
  public void setAlias(SetAliasRequest request, StreamObserver<Alias> responses) {
    respond(
        responses,
        () ->
            aliases.set(
                request.getModel(),
                request.getAlias(),
                request.getVersion(),
                request.getExpectedRevision()));
  }

  @Override
  public void getAlias(GetAliasRequest request, StreamObserver<Alias> responses) {
    respond(
        responses,
        () -> {
          reads.await(request.getMinRevision());
          return aliases.get(request.getModel(), request.getAlias());
        });
  }

  @Override
  public void listAliases(
      ListAliasesRequest request, StreamObserver<ListAliasesResponse> responses) {
    respond(
        responses,
        () -> {
          reads.await(request.getMinRevision());
          return aliases.list(request.getModel(), request.getPageSize(), request.getPageToken());
        });
  }

  @Override
  public void deleteAlias(
      DeleteAliasRequest request, StreamObserver<DeleteAliasResponse> responses) {
    respond(
        responses,
        () ->
            DeleteAliasResponse.newBuilder()
                .setEntry(
                    aliases.delete(
                        request.getModel(), request.getAlias(), request.getExpectedRevision()))
                .build());
  }

  @Override
  public void getAliasHistory(
      GetAliasHistoryRequest request, StreamObserver<GetAliasHistoryResponse> responses) {
    respond(
        responses,
        () -> {
          reads.await(request.getMinRevision());
          if (request.hasAtTime()) {
            return history.at(request.getModel(), request.getAlias(), instant(request.getAtTime()));
          }
          return history.list(
              request.getModel(),
              request.getAlias(),
              request.getPageSize(),
              request.getPageToken());
        });
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
