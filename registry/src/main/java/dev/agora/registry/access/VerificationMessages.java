package dev.agora.registry.access;

import dev.agora.proto.access.v1.VerifyApiKeyResponse;
import dev.agora.proto.access.v1.VerifyApiKeyResponse.Outcome;
import dev.agora.ratelimit.auth.KeyVerification;
import dev.agora.ratelimit.identity.CallerProtos;

/** Verdicts as {@code VerifyApiKeyResponse} messages. */
final class VerificationMessages {

  private VerificationMessages() {}

  static VerifyApiKeyResponse toProto(KeyVerification verdict) {
    if (verdict instanceof KeyVerification.Accepted accepted) {
      return VerifyApiKeyResponse.newBuilder()
          .setOutcome(Outcome.OUTCOME_VALID)
          .setCaller(CallerProtos.toProto(accepted.caller()))
          .build();
    }
    KeyVerification.Rejected rejected = (KeyVerification.Rejected) verdict;
    Outcome outcome =
        switch (rejected.outcome()) {
          case UNKNOWN -> Outcome.OUTCOME_UNKNOWN;
          case REVOKED -> Outcome.OUTCOME_REVOKED;
          case EXPIRED -> Outcome.OUTCOME_EXPIRED;
        };
    return VerifyApiKeyResponse.newBuilder()
        .setOutcome(outcome)
        .setMessage(rejected.message())
        .build();
  }

  static VerifyApiKeyResponse malformed() {
    return toProto(KeyVerification.unknown());
  }
}
