package dev.agora.registry.store.embedded;

import dev.agora.registry.store.WatchEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The binary form of one transaction's events in the history map. */
final class HistoryRecord {

  private HistoryRecord() {}

  static byte[] encode(List<WatchEvent> events) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(events.size());
      for (WatchEvent event : events) {
        out.writeByte(event.type().ordinal());
        writeBytes(out, event.key().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, event.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static List<WatchEvent> decode(long revision, byte[] stored) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(stored))) {
      int count = in.readInt();
      List<WatchEvent> events = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        WatchEvent.Type type = WatchEvent.Type.values()[in.readUnsignedByte()];
        String key = new String(readBytes(in), StandardCharsets.UTF_8);
        events.add(new WatchEvent(type, key, readBytes(in), revision));
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException("history record " + revision + " is unreadable", e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
