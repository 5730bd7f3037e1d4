/**
 * Who may do what in the registry. Teams with their members' roles live under {@code
 * /agora/v1/teams/{team}} ({@link dev.agora.registry.access.TeamDirectory}), API keys under {@code
 * /agora/v1/keys/{id}} as a SHA-256 of the key, never the key ({@link
 * dev.agora.registry.access.KeyDirectory}). {@link dev.agora.registry.access.StoreKeyVerifier}
 * verifies keys on the store for the authentication interceptor and the {@code VerifyApiKey} RPC;
 * {@link dev.agora.registry.access.AccessPolicyInterceptor} decides, from a table of methods, what
 * role on which team every registry call needs, so the services themselves stay free of access
 * checks. {@link dev.agora.registry.access.AccessControl} wires it all, including the first-start
 * bootstrap of the administrators' team and key.
 */
package dev.agora.registry.access;
