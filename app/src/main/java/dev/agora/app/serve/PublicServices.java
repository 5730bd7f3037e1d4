package dev.agora.app.serve;

import dev.agora.inference.InferenceServer;
import dev.agora.ratelimit.auth.ApiKeyVerifier;
import dev.agora.ratelimit.auth.AuthenticationInterceptor;
import dev.agora.ratelimit.auth.RequiredScopeInterceptor;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.ratelimit.usage.UsageMeter;
import dev.agora.registry.RegistryServer;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * What the public gRPC port serves, with access control on every service but health and reflection:
 * the registry's services authenticate keys on the registry's store; the inference services
 * authenticate them through the registry's {@code VerifyApiKey} (as a separate inference server
 * would), require the {@code inference} scope and are metered for usage.
 */
final class PublicServices {
  /**
   * Who the inference server is when it calls the registry over the in-process channel: it may read
   * the catalog, verify keys and report usage, nothing else.
   */
  static final Caller INFERENCE_SERVER =
      Caller.trusted(
          "agora-inference-server",
          EnumSet.of(Scope.REGISTRY_READ, Scope.KEYS_VERIFY, Scope.USAGE_REPORT));

  private PublicServices() {}

  static List<ServerServiceDefinition> of(
      RegistryServer registry,
      InferenceServer inference,
      ApiKeyVerifier inferenceKeys,
      HealthStatusManager health,
      UsageMeter usage,
      InstantSource clock) {
    List<ServerServiceDefinition> services = new ArrayList<>();
    services.add(health.getHealthService().bindService());
    services.add(ProtoReflectionServiceV1.newInstance().bindService());
    services.addAll(registry.services());
    services.addAll(inference(inference, inferenceKeys, usage, clock));
    return services;
  }

  /**
   * The inference services behind authentication and the {@code inference} scope, metered by {@code
   * usage} (inside both, so only calls let through are counted): what the public gRPC port serves
   * and what the REST gateway calls in-process, so both enforce the same access and count the same
   * usage.
   */
  static List<ServerServiceDefinition> inference(
      InferenceServer inference,
      ApiKeyVerifier inferenceKeys,
      UsageMeter usage,
      InstantSource clock) {
    AuthenticationInterceptor authentication = new AuthenticationInterceptor(inferenceKeys, clock);
    RequiredScopeInterceptor inferenceScope = new RequiredScopeInterceptor(Scope.INFERENCE);
    ServerInterceptor meter = usage.interceptor();
    List<ServerServiceDefinition> services = new ArrayList<>();
    for (ServerServiceDefinition service : inference.services()) {
      // the last interceptor runs first: authenticate, check the scope, then meter
      services.add(ServerInterceptors.intercept(service, meter, inferenceScope, authentication));
    }
    return services;
  }
}
