package app.getbodhi.session.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Searches a file of any size for a set of byte strings in one streaming pass, holding one buffer
 * at a time: for a database file of hundreds of megabytes, where reading it whole would take as
 * much heap as the file. Each position's next eight bytes, read as a {@code long}, go through a
 * small bitmap filter first, so the full comparison runs only where a pattern may start.
 */
final class BytesInFile {

  private static final int BUFFER_BYTES = 4 << 20;
  private static final int FILTER_BITS = 1 << 16;

  private final List<byte[]> patterns;
  private final long[] prefixes;
  private final boolean[] filter = new boolean[FILTER_BITS];
  private final int longest;

  /**
   * Prepares a search.
   *
   * @param patterns the strings to look for, as ASCII text, each at least eight characters
   */
  BytesInFile(List<String> patterns) {
    this.patterns = new ArrayList<>();
    this.prefixes = new long[patterns.size()];
    int max = 0;
    for (int i = 0; i < patterns.size(); i++) {
      byte[] pattern = patterns.get(i).getBytes(StandardCharsets.US_ASCII);
      if (pattern.length < Long.BYTES) {
        throw new IllegalArgumentException("a pattern needs at least 8 bytes");
      }
      this.patterns.add(pattern);
      prefixes[i] = ByteBuffer.wrap(pattern).getLong();
      filter[slot(prefixes[i])] = true;
      max = Math.max(max, pattern.length);
    }
    this.longest = max;
  }

  private static int slot(long prefix) {
    return (int) ((prefix * 0x9E37_79B9_7F4A_7C15L) >>> 48);
  }

  /**
   * Reads the file once and reports every pattern found.
   *
   * @param file the file
   * @return one line per hit: the pattern and its offset; empty when none occurs
   */
  List<String> find(Path file) throws IOException {
    List<String> hits = new ArrayList<>();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    long base = 0; // the file offset of buffer position 0
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      boolean end = false;
      while (!end) {
        end = channel.read(buffer) < 0;
        int filled = buffer.position();
        // a pattern must lie wholly in the buffer; the last bytes wait for the next read
        int last = end ? filled - Long.BYTES : filled - longest;
        for (int i = 0; i <= last; i++) {
          long window = buffer.getLong(i);
          if (filter[slot(window)]) {
            match(buffer, i, filled, window, base, hits);
          }
        }
        int keep = Math.max(0, Math.min(filled, filled - last - 1));
        if (!end) {
          byte[] tail = Arrays.copyOfRange(buffer.array(), filled - keep, filled);
          buffer.clear();
          buffer.put(tail);
          base += filled - keep;
        }
      }
    }
    return hits;
  }

  private void match(
      ByteBuffer buffer, int at, int filled, long window, long base, List<String> hits) {
    byte[] bytes = buffer.array();
    for (int p = 0; p < patterns.size(); p++) {
      byte[] pattern = patterns.get(p);
      if (prefixes[p] == window
          && at + pattern.length <= filled
          && Arrays.equals(bytes, at, at + pattern.length, pattern, 0, pattern.length)) {
        hits.add(new String(pattern, StandardCharsets.US_ASCII) + " at " + (base + at));
      }
    }
  }
}
