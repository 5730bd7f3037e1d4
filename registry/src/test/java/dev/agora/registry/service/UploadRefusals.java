package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryHarness.chunk;
import static dev.agora.registry.service.RegistryHarness.header;
import static dev.agora.registry.service.RegistryHarness.uploadMessages;

import dev.agora.proto.registry.v1.UploadHeader;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The table of refused uploads that {@link UploadRefusalTest} runs: every upload targets {@value
 * #MODEL} {@value #VERSION} on a registry limited to {@value #MAX_ARTIFACT}-byte artifacts and
 * {@value #MAX_CHUNK}-byte chunks.
 */
final class UploadRefusals {
  static final int MAX_ARTIFACT = 64 * 1024;
  static final int MAX_CHUNK = 4096;
  static final String MODEL = "target";
  static final String VERSION = "1.0.0";

  private UploadRefusals() {}

  /**
   * One refused upload.
   *
   * @param attempted the artifact bytes the upload carried, whose blob must not remain
   * @param field the field a BadRequest must name, or null
   */
  record Refusal(
      String name,
      byte[] attempted,
      List<UploadVersionRequest> messages,
      Status.Code code,
      String reason,
      String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static List<UploadVersionRequest> upload(byte[] bytes) {
    return uploadMessages(MODEL, VERSION, bytes, MAX_CHUNK);
  }

  private static List<UploadVersionRequest> withHeader(
      byte[] bytes, UnaryOperator<UploadHeader.Builder> change) {
    List<UploadVersionRequest> messages = new ArrayList<>(upload(bytes));
    UploadHeader.Builder header = messages.get(0).getHeader().toBuilder();
    messages.set(0, UploadVersionRequest.newBuilder().setHeader(change.apply(header)).build());
    return messages;
  }

  private static Refusal invalidField(
      String name, byte[] bytes, List<UploadVersionRequest> messages, String field) {
    return new Refusal(name, bytes, messages, Status.Code.INVALID_ARGUMENT, "INVALID_FIELD", field);
  }

  static Stream<Refusal> all() {
    byte[] noise = Artifacts.noise(20_000, 7);
    byte[] external = TestModels.withExternalData();
    byte[] custom = TestModels.withCustomOpDomain();
    byte[] truncated = Artifacts.mlpVariant("truncated");
    byte[] longer = Artifacts.mlpVariant("longer than declared");
    byte[] mismatched = Artifacts.mlpVariant("mismatched");
    byte[] oversized = Artifacts.paddedMlp(100_000);
    byte[] bigChunk = Artifacts.mlpVariant("big chunk");
    byte[] headless = Artifacts.mlpVariant("headless");
    byte[] twice = Artifacts.mlpVariant("two headers");
    byte[] other = Artifacts.mlpVariant("other");

    List<UploadVersionRequest> truncatedMessages = upload(truncated);
    List<UploadVersionRequest> twoHeaders = new ArrayList<>(upload(twice));
    twoHeaders.add(2, header(MODEL, VERSION, twice));
    List<UploadVersionRequest> withEmptyMessage = new ArrayList<>(upload(other));
    withEmptyMessage.add(1, UploadVersionRequest.getDefaultInstance());

    return Stream.of(
        new Refusal(
            "non-ONNX bytes",
            noise,
            upload(noise),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_ARTIFACT",
            null),
        new Refusal(
            "external data",
            external,
            upload(external),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_ARTIFACT",
            null),
        new Refusal(
            "custom operator domain",
            custom,
            upload(custom),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_ARTIFACT",
            null),
        new Refusal(
            "truncated upload",
            truncated,
            truncatedMessages.subList(0, truncatedMessages.size() - 1),
            Status.Code.INVALID_ARGUMENT,
            "TRUNCATED_UPLOAD",
            null),
        invalidField(
            "more bytes than declared",
            longer,
            withHeader(longer, h -> h.setSizeBytes(longer.length - 10)),
            "header.size_bytes"),
        invalidField(
            "negative declared size",
            other,
            withHeader(other, h -> h.setSizeBytes(-1)),
            "header.size_bytes"),
        new Refusal(
            "digest mismatch",
            mismatched,
            withHeader(mismatched, h -> h.setSha256(Artifacts.sha256(other))),
            Status.Code.INVALID_ARGUMENT,
            "DIGEST_MISMATCH",
            null),
        new Refusal(
            "oversized stream",
            oversized,
            withHeader(oversized, UploadHeader.Builder::clearSizeBytes),
            Status.Code.RESOURCE_EXHAUSTED,
            "ARTIFACT_TOO_LARGE",
            null),
        new Refusal(
            "oversized declaration",
            oversized,
            upload(oversized),
            Status.Code.RESOURCE_EXHAUSTED,
            "ARTIFACT_TOO_LARGE",
            null),
        new Refusal(
            "chunk too large",
            bigChunk,
            List.of(
                header(MODEL, VERSION, bigChunk),
                chunk(bigChunk, 0, MAX_CHUNK + 1),
                chunk(bigChunk, MAX_CHUNK + 1, bigChunk.length)),
            Status.Code.RESOURCE_EXHAUSTED,
            "LIMIT_EXCEEDED",
            null),
        invalidField("missing header", headless, upload(headless).subList(1, 3), "header"),
        // The access policy needs a message to decide on, so it answers an empty stream itself.
        invalidField("empty stream", null, List.of(), "request"),
        invalidField("second header", twice, twoHeaders, "header"),
        invalidField("message without content", other, withEmptyMessage, "content"),
        invalidField(
            "short version", other, withHeader(other, h -> h.setVersion("1.0")), "header.version"),
        invalidField(
            "prefixed version",
            other,
            withHeader(other, h -> h.setVersion("v1.0.0")),
            "header.version"),
        invalidField(
            "version with build metadata",
            other,
            withHeader(other, h -> h.setVersion("1.0.0+build.5")),
            "header.version"),
        invalidField(
            "version with leading zero",
            other,
            withHeader(other, h -> h.setVersion("01.0.0")),
            "header.version"),
        invalidField(
            "missing version",
            other,
            withHeader(other, UploadHeader.Builder::clearVersion),
            "header.version"),
        invalidField(
            "upper-case sha256",
            other,
            withHeader(other, h -> h.setSha256(Artifacts.sha256(other).toUpperCase())),
            "header.sha256"),
        invalidField(
            "short sha256",
            other,
            withHeader(other, h -> h.setSha256(Artifacts.sha256(other).substring(1))),
            "header.sha256"),
        invalidField(
            "non-hex sha256",
            other,
            withHeader(other, h -> h.setSha256("z".repeat(64))),
            "header.sha256"),
        invalidField(
            "malformed model name",
            other,
            withHeader(other, h -> h.setModel("Target")),
            "header.model"),
        new Refusal(
            "unknown model",
            other,
            withHeader(other, h -> h.setModel("ghost")),
            Status.Code.NOT_FOUND,
            "MODEL_NOT_FOUND",
            null));
  }
}
