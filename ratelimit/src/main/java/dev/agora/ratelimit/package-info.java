/**
 * Who is calling and how much they may. {@code keys} defines API keys, {@code identity} the
 * authenticated caller, {@code auth} the interceptor every server runs and the verifiers behind it,
 * {@code usage} the usage meter of inference servers. Plans and quota buckets arrive in packages of
 * their own.
 */
package dev.agora.ratelimit;
