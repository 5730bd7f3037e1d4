/**
 * Content-addressed artifact storage. A blob is named by the lower-case hex SHA-256 of its bytes,
 * which the store computes while the bytes stream in; a {@link dev.agora.registry.blob.BlobWriter}
 * stages them out of sight, refuses them when too many arrive or when they hash to something other
 * than the client declared, lets the caller inspect the staged bytes, and only then moves them into
 * place atomically. A blob is never overwritten, and a write that fails or is abandoned leaves
 * nothing behind. {@link dev.agora.registry.blob.FileBlobStore} keeps blobs under a directory.
 */
package dev.agora.registry.blob;
