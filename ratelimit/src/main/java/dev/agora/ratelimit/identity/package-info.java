/**
 * Who is calling: the {@link dev.agora.ratelimit.identity.Caller} an authenticated call carries
 * (key, principal, team, roles, scopes), the {@link dev.agora.ratelimit.identity.Role}s and {@link
 * dev.agora.ratelimit.identity.Scope}s it is judged by, and {@link
 * dev.agora.ratelimit.identity.CallerContext}, the {@code io.grpc.Context} key through which
 * services read the caller of the call they are serving.
 */
package dev.agora.ratelimit.identity;
