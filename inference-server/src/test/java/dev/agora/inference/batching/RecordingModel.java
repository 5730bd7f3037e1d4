package dev.agora.inference.batching;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.runtime.LoadedModel;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.ModelSignature;
import dev.agora.inference.tensor.OutputTensor;
import dev.agora.inference.tensor.TensorSignature;
import dev.agora.proto.errors.v1.ErrorReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fake model at the runtime SPI: FP32 {@code x} [-1, n] to {@code y} = 2·x, same shape. It
 * records the rows of every run and fails any run whose input holds {@link #POISON}; it can also be
 * made to drop a row from its output, like a model that does not batch along dimension 0.
 */
final class RecordingModel implements LoadedModel {
  static final float POISON = -999f;

  static final ModelSignature SIGNATURE =
      new ModelSignature(
          List.of(new TensorSignature("x", Datatype.FP32, new long[] {-1, -1})),
          List.of(new TensorSignature("y", Datatype.FP32, new long[] {-1, -1})));

  final List<Long> runRows = new ArrayList<>();
  final AtomicBoolean closed = new AtomicBoolean();
  volatile boolean dropARow;

  @Override
  public ModelSignature signature() {
    return SIGNATURE;
  }

  @Override
  public synchronized List<OutputTensor> run(List<InputTensor> inputs, List<String> outputNames) {
    InputTensor x = inputs.get(0);
    runRows.add(x.dim(0));
    ByteBuffer in = x.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int count = in.remaining() / 4;
    long rows = x.dim(0);
    if (dropARow && rows > 1) {
      count -= (int) (count / rows);
      rows -= 1;
    }
    ByteBuffer out = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      float value = in.getFloat(in.position() + i * 4);
      if (value == POISON) {
        throw AgoraException.of(ErrorReason.INFERENCE_FAILED, "poisoned input");
      }
      out.putFloat(value * 2);
    }
    out.flip();
    return List.of(new OutputTensor("y", Datatype.FP32, new long[] {rows, x.dim(1)}, out));
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
