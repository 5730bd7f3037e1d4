/**
 * The audit log. Every registry mutation appends an {@code AuditEvent} (who, what, which model and
 * version, when, the revision before) to the same store transaction as the mutation itself, so an
 * acknowledged change always has its record and a failed one never does; the revision after is the
 * transaction's, read back from the record's mod revision. Events are stored three ways under
 * {@code /agora/v1/audit/}: in one log and in indexes per model and per owner team, each keyed so
 * that a forward range read returns the newest first. Who is calling comes from {@link
 * dev.agora.registry.audit.CallerIdentity}, the one place that reads the caller from the gRPC
 * context.
 */
package dev.agora.registry.audit;
