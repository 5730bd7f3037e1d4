/**
 * Signature compatibility between model versions: which differences between two signatures exist
 * and which of them break callers. Inputs must keep accepting every request that worked before (so
 * a dynamic dimension may not become fixed, while a fixed one may become dynamic); outputs must
 * keep producing what callers read (so the reverse holds). Each difference is named by a {@code
 * SignatureRule}, the same name a refusal carries in its {@code PreconditionFailure}. Pure
 * functions over the wire messages; nothing here reads the store.
 */
package dev.agora.registry.compatibility;
