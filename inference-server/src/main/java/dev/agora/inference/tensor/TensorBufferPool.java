package dev.agora.inference.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Direct little-endian buffers for input tensors, recycled by power-of-two size class so that the
 * hot path does not allocate native memory (and the {@code Cleaner} that frees it) per request.
 *
 * <p>A buffer handed out by {@link #acquire} has position 0 and limit equal to the requested size;
 * its capacity is the size class and may be larger. Buffers above {@link #maxPooledBufferBytes()}
 * are allocated exactly and left to the garbage collector. Each class keeps a bounded number of
 * idle buffers in an {@link ArrayBlockingQueue}, whose offer and poll allocate nothing. Safe for
 * concurrent use.
 */
public final class TensorBufferPool {
  private static final int SMALLEST_CLASS_SHIFT = 6;
  private static final int MAX_IDLE_PER_CLASS = 1024;

  private final int maxPooledBufferBytes;
  private final ArrayBlockingQueue<ByteBuffer>[] idle;
  private final LongAdder allocations = new LongAdder();
  private final LongAdder allocatedBytes = new LongAdder();

  /**
   * A pool that recycles buffers up to {@code maxPooledBufferBytes} (rounded up to a power of two)
   * and keeps roughly {@code maxIdleBytes} of idle buffers in all.
   */
  @SuppressWarnings("unchecked")
  public TensorBufferPool(int maxPooledBufferBytes, long maxIdleBytes) {
    if (maxPooledBufferBytes < 1 << SMALLEST_CLASS_SHIFT || maxPooledBufferBytes > 1 << 30) {
      throw new IllegalArgumentException("maxPooledBufferBytes must be in [64, 2^30]");
    }
    if (maxIdleBytes < 0) {
      throw new IllegalArgumentException("maxIdleBytes must not be negative");
    }
    int classes = classIndex(maxPooledBufferBytes) + 1;
    this.maxPooledBufferBytes = classSize(classes - 1);
    this.idle = new ArrayBlockingQueue[classes];
    long perClassBytes = maxIdleBytes / classes;
    for (int i = 0; i < classes; i++) {
      long fits = perClassBytes / classSize(i);
      idle[i] = new ArrayBlockingQueue<>((int) Math.max(1, Math.min(MAX_IDLE_PER_CLASS, fits)));
    }
  }

  /** The largest buffer this pool recycles. */
  public int maxPooledBufferBytes() {
    return maxPooledBufferBytes;
  }

  /** A direct little-endian buffer with {@code bytes} remaining. */
  public ByteBuffer acquire(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative");
    }
    if (bytes > maxPooledBufferBytes) {
      return allocate(bytes, bytes);
    }
    int index = classIndex(bytes);
    ByteBuffer buffer = idle[index].poll();
    if (buffer == null) {
      return allocate(classSize(index), bytes);
    }
    buffer.clear().limit(bytes);
    return buffer;
  }

  /**
   * Returns {@code buffer} for reuse. Buffers this pool did not size (heap buffers, slices, odd
   * capacities) are ignored, so callers may release whatever they acquired without checking.
   */
  public void release(ByteBuffer buffer) {
    if (buffer == null || !buffer.isDirect() || buffer.isReadOnly()) {
      return;
    }
    int capacity = buffer.capacity();
    if (capacity > maxPooledBufferBytes || Integer.bitCount(capacity) != 1) {
      return;
    }
    int index = classIndex(capacity);
    if (classSize(index) == capacity) {
      idle[index].offer(buffer);
    }
  }

  /** How many buffers this pool had to allocate so far (not reused ones). */
  public long allocations() {
    return allocations.sum();
  }

  /** The total capacity of the buffers this pool allocated so far. */
  public long allocatedBytes() {
    return allocatedBytes.sum();
  }

  private ByteBuffer allocate(int capacity, int bytes) {
    allocations.increment();
    allocatedBytes.add(capacity);
    ByteBuffer buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    buffer.limit(bytes);
    return buffer;
  }

  private static int classIndex(int bytes) {
    int shift = bytes <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(bytes - 1);
    return Math.max(0, shift - SMALLEST_CLASS_SHIFT);
  }

  private static int classSize(int index) {
    return 1 << (index + SMALLEST_CLASS_SHIFT);
  }
}
