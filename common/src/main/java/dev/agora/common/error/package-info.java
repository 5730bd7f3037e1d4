/**
 * The one error mapping shared by every Agora server. Domain code throws {@link
 * dev.agora.common.error.AgoraException} carrying a closed {@link
 * dev.agora.proto.errors.v1.ErrorReason}; {@link dev.agora.common.error.ErrorStatus} turns it into
 * a gRPC status with {@code google.rpc} details, and {@link
 * dev.agora.common.error.ErrorMappingInterceptor} applies that mapping to anything a service
 * throws. Unknown exceptions become {@code INTERNAL} with a correlation id that is also logged.
 */
package dev.agora.common.error;
