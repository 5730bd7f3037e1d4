package dev.agora.app.http;

/** A REST request the gateway refuses before reaching the gRPC service: status and sentence. */
final class RestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  RestException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
