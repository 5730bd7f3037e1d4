/**
 * Who is calling and how much they may: API keys, principals, plans and quota buckets. The
 * authentication interceptor and the Bucket4j-backed quotas arrive with the registry issue; this
 * module already sits in the dependency graph so both servers can adopt them without rewiring.
 */
package dev.agora.ratelimit;
