package dev.agora.registry.access;

import com.google.protobuf.Message;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.RegistryServiceGrpc;
import dev.agora.proto.registry.v1.UsageServiceGrpc;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.registry.catalog.CatalogNames;
import io.grpc.MethodDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's access table: for each method, what the caller must hold. Methods not in the table
 * follow the naming conventions of {@code agora.registry.v1}, so a new RPC is never left open:
 * methods whose name starts with a read verb ({@link #READ_VERBS}) need the {@code registry:read}
 * scope; {@code Approve*}, {@code Reject*} and {@code Review*} need the reviewer role on the owning
 * team of the model the request names; every other method needs the publisher role there (and a
 * request that names no model needs a global administrator).
 */
final class MethodRules {
  /** Method name prefixes that only read. */
  static final List<String> READ_VERBS =
      List.of(
          "Get",
          "List",
          "Download",
          "Search",
          "Watch",
          "Query",
          "Lookup",
          "Find",
          "Resolve",
          "Compare",
          "Describe",
          "Similar",
          "Recommend");

  private static final List<String> REVIEW_VERBS = List.of("Approve", "Reject", "Review");

  private final Map<String, MethodRule> table = new HashMap<>();
  private final MethodRule read =
      MethodRule.onCaller(caller -> AccessRules.requireScope(caller, Scope.REGISTRY_READ));
  private final ModelOwners owners;
  private final TeamDirectory teams;

  MethodRules(ModelOwners owners, TeamDirectory teams) {
    this.owners = owners;
    this.teams = teams;
    MethodRule authenticated = MethodRule.onCaller(caller -> {});
    put(RegistryServiceGrpc.getCreateModelMethod(), MethodRule.onRequest(this::checkCreateModel));
    put(RegistryServiceGrpc.getGetModelMethod(), read);
    put(RegistryServiceGrpc.getListModelsMethod(), read);
    put(RegistryServiceGrpc.getGetVersionMethod(), read);
    put(RegistryServiceGrpc.getListVersionsMethod(), read);
    put(RegistryServiceGrpc.getDownloadArtifactMethod(), read);
    put(RegistryServiceGrpc.getUploadVersionMethod(), onModel(Role.PUBLISHER));
    put(RegistryServiceGrpc.getPublishVersionMethod(), onModel(Role.PUBLISHER));
    // Usage: inference servers report (usage:report, decision 0021); readers see what
    // UsageService's visibility rules allow.
    put(
        UsageServiceGrpc.getReportUsageMethod(),
        MethodRule.onCaller(MethodRules::checkReportUsage));
    put(UsageServiceGrpc.getQueryUsageMethod(), read);
    // AccessService decides per request (the team or key it names): here only a caller is needed.
    for (var method : AccessServiceGrpc.getServiceDescriptor().getMethods()) {
      put(method, authenticated);
    }
  }

  /** The rule for {@code method}: its table entry, or the one its name implies. */
  MethodRule ruleFor(MethodDescriptor<?, ?> method) {
    MethodRule listed = table.get(method.getFullMethodName());
    if (listed != null) {
      return listed;
    }
    String name = method.getBareMethodName() == null ? "" : method.getBareMethodName();
    if (READ_VERBS.stream().anyMatch(name::startsWith)) {
      return read;
    }
    if (REVIEW_VERBS.stream().anyMatch(name::startsWith)) {
      return onModel(Role.REVIEWER);
    }
    return onModel(Role.PUBLISHER);
  }

  private void put(MethodDescriptor<?, ?> method, MethodRule rule) {
    table.put(method.getFullMethodName(), rule);
  }

  /** The caller must hold {@code role} on the owning team of the model the request names. */
  private MethodRule onModel(Role role) {
    return MethodRule.onRequest((caller, request) -> checkModel(caller, (Message) request, role));
  }

  private void checkModel(Caller caller, Message request, Role role) {
    String action = request.getDescriptorForType().getName().replace("Request", "");
    Optional<RequestModels.ModelReference> reference = RequestModels.find(request);
    if (reference.isEmpty()) {
      AccessRules.requireRole(caller, Scope.REGISTRY_WRITE, Caller.ADMINS_TEAM, Role.ADMIN, action);
      return;
    }
    String model = CatalogNames.requireModelName(reference.get().field(), reference.get().name());
    String owner = owners.ownerTeam(model);
    String team = owner.isEmpty() ? Caller.ADMINS_TEAM : owner;
    Role needed = owner.isEmpty() ? Role.ADMIN : role;
    AccessRules.requireRole(
        caller, Scope.REGISTRY_WRITE, team, needed, action + " on model '" + model + "'");
    Optional<String> movingTo =
        RequestModels.requestedOwnerTeam(request).filter(t -> !t.equals(owner));
    if (movingTo.isPresent()) {
      teams.get(movingTo.get());
      AccessRules.requireRole(
          caller,
          Scope.REGISTRY_WRITE,
          movingTo.get(),
          Role.PUBLISHER,
          "Moving model '" + model + "' to team '" + movingTo.get() + "'");
    }
  }

  /**
   * The {@code usage:report} scope; a caller with a key must also be a global administrator (a
   * report may name any team), the trusted in-process inference server needs only the scope.
   */
  private static void checkReportUsage(Caller caller) {
    if (caller.keyId().isEmpty()) {
      AccessRules.requireScope(caller, Scope.USAGE_REPORT);
    } else {
      AccessRules.requireRole(
          caller, Scope.USAGE_REPORT, Caller.ADMINS_TEAM, Role.ADMIN, "Reporting usage");
    }
  }

  private void checkCreateModel(Caller caller, Object message) {
    CreateModelRequest request = (CreateModelRequest) message;
    if (!request.hasModel()) {
      throw AgoraException.invalidField("model", "is required");
    }
    String name = CatalogNames.requireModelName("model.name", request.getModel().getName());
    String team = request.getModel().getOwnerTeam();
    if (team.isEmpty()) {
      throw AgoraException.invalidField(
          "model.owner_team", "is required: name the team that owns the model");
    }
    AccessNames.requireTeamName("model.owner_team", team);
    teams.get(team);
    AccessRules.requireRole(
        caller, Scope.REGISTRY_WRITE, team, Role.PUBLISHER, "Registering model '" + name + "'");
  }
}
