/**
 * Which model versions this server holds and in what state. {@link
 * dev.agora.inference.repository.ModelRepository} resolves versions through the catalog, loads each
 * (model, version) once, on demand or at start, into a {@link
 * dev.agora.inference.repository.ServableVersion}, and reports LOADING / READY / UNAVAILABLE per
 * version for the repository and readiness RPCs. Artifacts are cached by content digest and
 * verified before a runtime ever opens them.
 */
package dev.agora.inference.repository;
