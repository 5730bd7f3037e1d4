/**
 * Who is calling and how much they may. {@code keys} defines API keys, {@code identity} the
 * authenticated caller, {@code auth} the interceptor every server runs and the verifiers behind it.
 * Plans, quota buckets and usage metering arrive in packages of their own.
 */
package dev.agora.ratelimit;
