package dev.agora.registry.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.onnx.ModelProto;
import dev.agora.proto.onnx.TensorProto;
import dev.agora.testing.models.TestModels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Artifact bytes for the service tests, all built from the shared test models. */
final class Artifacts {

  private Artifacts() {}

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The MLP with a distinct doc string: a valid model with its own digest. */
  static byte[] mlpVariant(String tag) {
    return mlp().toBuilder().setDocString("variant " + tag).build().toByteArray();
  }

  /** The MLP with an unused initializer of {@code paddingBytes} random bytes. */
  static byte[] paddedMlp(int paddingBytes) {
    byte[] padding = new byte[paddingBytes];
    new SplittableRandom(paddingBytes).nextBytes(padding);
    ModelProto.Builder model = mlp().toBuilder();
    model
        .getGraphBuilder()
        .addInitializer(
            TensorProto.newBuilder()
                .setName("padding")
                .setDataType(TensorProto.DataType.UINT8_VALUE)
                .addDims(paddingBytes)
                .setRawData(ByteString.copyFrom(padding)));
    return model.build().toByteArray();
  }

  static byte[] noise(int size, long seed) {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  private static ModelProto mlp() {
    try {
      return ModelProto.parseFrom(TestModels.mlp());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
