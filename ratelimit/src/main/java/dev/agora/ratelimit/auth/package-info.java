/**
 * Authentication on every Agora server. {@link dev.agora.ratelimit.auth.AuthenticationInterceptor}
 * reads {@code authorization: Bearer agora_...}, refuses malformed keys without a lookup, asks an
 * {@link dev.agora.ratelimit.auth.ApiKeyVerifier} who holds the key and puts that {@link
 * dev.agora.ratelimit.identity.Caller} into the call's context. The registry implements the
 * verifier on its store; other servers use {@link dev.agora.ratelimit.auth.RemoteKeyVerifier},
 * which asks the registry's {@code AccessService} and remembers answers for at most a second, so a
 * revoked key stops working everywhere within two. {@link
 * dev.agora.ratelimit.auth.RequiredScopeInterceptor} demands one scope of every call of a service;
 * {@link dev.agora.ratelimit.auth.TrustedCallerInterceptor} stands in for authentication on
 * in-process channels.
 */
package dev.agora.ratelimit.auth;
