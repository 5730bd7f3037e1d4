package dev.agora.sdk;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.AliasHistoryEntry;
import dev.agora.proto.registry.v1.AliasServiceGrpc;
import dev.agora.proto.registry.v1.ApproveVersionRequest;
import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.DeleteAliasRequest;
import dev.agora.proto.registry.v1.DeprecateVersionRequest;
import dev.agora.proto.registry.v1.GetAliasHistoryRequest;
import dev.agora.proto.registry.v1.GetAliasHistoryResponse;
import dev.agora.proto.registry.v1.GetAliasRequest;
import dev.agora.proto.registry.v1.ListAliasesRequest;
import dev.agora.proto.registry.v1.ListAliasesResponse;
import dev.agora.proto.registry.v1.ListCurationCandidatesRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.QueryUsageRequest;
import dev.agora.proto.registry.v1.QueryUsageResponse;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.RejectVersionRequest;
import dev.agora.proto.registry.v1.ReopenVersionRequest;
import dev.agora.proto.registry.v1.RetireVersionRequest;
import dev.agora.proto.registry.v1.SetAliasRequest;
import dev.agora.proto.registry.v1.SubmitForReviewRequest;
import dev.agora.proto.registry.v1.UpdateVersionMetadataRequest;
import dev.agora.proto.registry.v1.UsageRecord;
import dev.agora.proto.registry.v1.UsageServiceGrpc;
import io.grpc.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Governance through the registry: review (DRAFT → IN_REVIEW → PUBLISHED, or → REJECTED → DRAFT),
 * end of life (PUBLISHED → DEPRECATED → RETIRED), aliases, usage for cost allocation and curation
 * candidates. Obtained from {@link AgoraClient#governance()}, on its channel and key. Each call
 * returns the changed record; refusals throw {@link AgoraClientException} (a failed review gate is
 * {@code GOVERNANCE_GATE_FAILED} with one violation per failed gate). Listing calls read every
 * page.
 */
public final class GovernanceClient {
  private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;
  private final AliasServiceGrpc.AliasServiceBlockingStub aliases;
  private final UsageServiceGrpc.UsageServiceBlockingStub usage;

  GovernanceClient(Channel keyedChannel) {
    this.registry = RegistryServiceGrpc.newBlockingStub(keyedChannel);
    this.aliases = AliasServiceGrpc.newBlockingStub(keyedChannel);
    this.usage = UsageServiceGrpc.newBlockingStub(keyedChannel);
  }

  /**
   * Sets the review record of a DRAFT version: the fields of {@code values} named by {@code fields}
   * (e.g. {@code card}, {@code evaluations}, {@code fairness}), which must name the model and
   * version.
   */
  public ModelVersion updateVersionMetadata(ModelVersion values, String... fields) {
    return AgoraClient.call(
        () ->
            registry.updateVersionMetadata(
                UpdateVersionMetadataRequest.newBuilder()
                    .setVersion(values)
                    .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(fields)))
                    .build()));
  }

  /** DRAFT → IN_REVIEW (a publisher of the owning team). */
  public ModelVersion submitForReview(String model, String version) {
    return AgoraClient.call(
        () ->
            registry.submitForReview(
                SubmitForReviewRequest.newBuilder().setModel(model).setVersion(version).build()));
  }

  /**
   * IN_REVIEW → PUBLISHED when every gate passes (a reviewer of the owning team who did not publish
   * the version).
   */
  public ModelVersion approve(String model, String version, String comment) {
    return AgoraClient.call(
        () ->
            registry.approveVersion(
                ApproveVersionRequest.newBuilder()
                    .setModel(model)
                    .setVersion(version)
                    .setComment(comment)
                    .build()));
  }

  /** IN_REVIEW → REJECTED, with the reason the publisher will read. */
  public ModelVersion reject(String model, String version, String reason) {
    return AgoraClient.call(
        () ->
            registry.rejectVersion(
                RejectVersionRequest.newBuilder()
                    .setModel(model)
                    .setVersion(version)
                    .setReason(reason)
                    .build()));
  }

  /** REJECTED → DRAFT, to fix and submit again. */
  public ModelVersion reopen(String model, String version) {
    return AgoraClient.call(
        () ->
            registry.reopenVersion(
                ReopenVersionRequest.newBuilder().setModel(model).setVersion(version).build()));
  }

  /**
   * PUBLISHED → DEPRECATED. Callers of the version are warned until {@code sunset}, which must be
   * at least the registry's notice period (30 days by default) away; then it is retired.
   *
   * @param successorVersion the PUBLISHED version callers should move to, or empty
   */
  public ModelVersion deprecate(
      String model, String version, Instant sunset, String successorVersion) {
    return AgoraClient.call(
        () ->
            registry.deprecateVersion(
                DeprecateVersionRequest.newBuilder()
                    .setModel(model)
                    .setVersion(version)
                    .setSunsetTime(timestamp(sunset))
                    .setSuccessorVersion(successorVersion)
                    .build()));
  }

  /** PUBLISHED or DEPRECATED → RETIRED: never served again. */
  public ModelVersion retire(String model, String version) {
    return AgoraClient.call(
        () ->
            registry.retireVersion(
                RetireVersionRequest.newBuilder().setModel(model).setVersion(version).build()));
  }

  /** Points {@code alias} (e.g. {@code stable}) at {@code version}. */
  public Alias setAlias(String model, String alias, String version) {
    return setAlias(model, alias, version, 0);
  }

  /**
   * Points {@code alias} at {@code version} only if nobody moved it since {@code expectedRevision}
   * (compare-and-set promotion; {@code CONFLICT} otherwise). 0 moves it unconditionally.
   */
  public Alias setAlias(String model, String alias, String version, long expectedRevision) {
    return AgoraClient.call(
        () ->
            aliases.setAlias(
                SetAliasRequest.newBuilder()
                    .setModel(model)
                    .setAlias(alias)
                    .setVersion(version)
                    .setExpectedRevision(expectedRevision)
                    .build()));
  }

  /** The version {@code alias} points to, including the computed {@code latest}. */
  public Alias getAlias(String model, String alias) {
    return AgoraClient.call(
        () ->
            aliases.getAlias(GetAliasRequest.newBuilder().setModel(model).setAlias(alias).build()));
  }

  /** Every alias of {@code model}, the computed ones included. */
  public List<Alias> listAliases(String model) {
    return allPages(
        token ->
            aliases.listAliases(
                ListAliasesRequest.newBuilder().setModel(model).setPageToken(token).build()),
        ListAliasesResponse::getAliasesList,
        ListAliasesResponse::getNextPageToken);
  }

  /** Removes {@code alias}; its history stays. */
  public AliasHistoryEntry deleteAlias(String model, String alias) {
    return AgoraClient.call(
            () ->
                aliases.deleteAlias(
                    DeleteAliasRequest.newBuilder().setModel(model).setAlias(alias).build()))
        .getEntry();
  }

  /** Every move of {@code alias}, newest first. */
  public List<AliasHistoryEntry> aliasHistory(String model, String alias) {
    return allPages(
        token ->
            aliases.getAliasHistory(
                GetAliasHistoryRequest.newBuilder()
                    .setModel(model)
                    .setAlias(alias)
                    .setPageToken(token)
                    .build()),
        GetAliasHistoryResponse::getEntriesList,
        GetAliasHistoryResponse::getNextPageToken);
  }

  /** The move of {@code alias} in force at {@code at} ("what did stable point to then"). */
  public List<AliasHistoryEntry> aliasHistoryAt(String model, String alias, Instant at) {
    GetAliasHistoryRequest request =
        GetAliasHistoryRequest.newBuilder()
            .setModel(model)
            .setAlias(alias)
            .setAtTime(timestamp(at))
            .build();
    return AgoraClient.call(() -> aliases.getAliasHistory(request)).getEntriesList();
  }

  /**
   * Inference calls per UTC day, model version and consumer team, for cost allocation: every page
   * of {@code query} (its page token is ignored). An empty query covers the last 30 days of what
   * the caller may see: its own team's calls and the calls to the models its team owns.
   */
  public List<UsageRecord> usage(QueryUsageRequest query) {
    return allPages(
        token -> usage.queryUsage(query.toBuilder().setPageToken(token).build()),
        QueryUsageResponse::getRecordsList,
        QueryUsageResponse::getNextPageToken);
  }

  /** Models a curator may look at: not updated, or not called, for {@code days} days. */
  public List<Model> curationCandidates(CurationKind kind, int days) {
    return AgoraClient.call(
            () ->
                registry.listCurationCandidates(
                    ListCurationCandidatesRequest.newBuilder().setKind(kind).setDays(days).build()))
        .getModelsList();
  }

  /** Every item of every page, asking for pages by token until one names no next page. */
  private static <P, T> List<T> allPages(
      Function<String, P> page, Function<P, List<T>> items, Function<P, String> nextToken) {
    List<T> found = new ArrayList<>();
    String token = "";
    do {
      String current = token;
      P answer = AgoraClient.call(() -> page.apply(current));
      found.addAll(items.apply(answer));
      token = nextToken.apply(answer);
    } while (!token.isEmpty());
    return found;
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
