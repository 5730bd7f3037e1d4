package dev.agora.ratelimit.identity;

/** Whether a principal is a person or a program. */
public enum PrincipalKind {
  USER,
  SERVICE_ACCOUNT
}
