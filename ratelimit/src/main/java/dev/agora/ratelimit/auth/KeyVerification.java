package dev.agora.ratelimit.auth;

import dev.agora.ratelimit.identity.Caller;
import java.util.Objects;

/** The verdict of an {@link ApiKeyVerifier}: who holds the key, or why it is refused. */
public sealed interface KeyVerification {

  /** The key is valid and held by {@code caller}. */
  record Accepted(Caller caller) implements KeyVerification {
    /** Checks the field. */
    public Accepted {
      Objects.requireNonNull(caller, "caller");
    }
  }

  /** The key is refused, with a sentence for the caller saying why. */
  record Rejected(Outcome outcome, String message) implements KeyVerification {
    /** Checks the fields. */
    public Rejected {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Why a key is refused. */
  enum Outcome {
    /** No such key, or the secret does not match: indistinguishable on purpose. */
    UNKNOWN,
    /** The key was revoked, or its principal is no longer a member of its team. */
    REVOKED,
    /** The key's expiry time has passed. */
    EXPIRED
  }

  /** The refusal of a key nobody holds. */
  static Rejected unknown() {
    return new Rejected(
        Outcome.UNKNOWN,
        "The API key is not valid: no key with this id and secret exists. Check that it was"
            + " copied completely, or create a new one.");
  }
}
