/**
 * Which model versions this server holds and in what state. {@link
 * dev.agora.inference.repository.ModelRepository} resolves versions through the catalog, loads each
 * (model, version) once, on demand or at start, into a reference-counted {@link
 * dev.agora.inference.repository.ServableVersion} with its scheduler, keeps them in a Caffeine
 * cache bounded by a memory budget (weighted by {@link
 * dev.agora.inference.repository.ModelFootprint}, W-TinyLFU eviction, sessions closed only when
 * their last request is done), and reports LOADING / READY / UNAVAILABLE (with the reason,
 * evictions included) per version for the repository and readiness RPCs. Artifacts are cached on
 * disk by content digest and verified before a runtime ever opens them.
 */
package dev.agora.inference.repository;
