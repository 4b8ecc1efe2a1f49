package app.getbodhi.session.jooq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

  private static final SessionSecret OLD =
      SessionSecret.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final SessionSecret NEW =
      SessionSecret.of("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final SessionCodec rotating =
      new SessionCodec(
          SessionStoreConfig.defaults().withSecret(NEW).withPreviousSecret(Optional.of(OLD)));

  private static SessionRecord record(SessionId id, String version) {
    return new SessionRecord(id, Map.of("version", version), NOW.plusSeconds(60));
  }

  private RowBinding.Row row(SessionCodec codec, SessionId id, String version, long revision) {
    Sealing.Keys keys = codec.sealing().keys(id);
    return new RowBinding.Row(
        keys.current(),
        codec.seal(keys, record(id, version)),
        NOW.plusSeconds(60),
        NOW,
        NOW,
        Optional.empty(),
        revision);
  }

  @Test
  void ofTwoRowsForOneIdTheCurrentKeysIsOpenedInEitherOrder() {
    SessionId id = SessionId.generate();
    RowBinding.Row stale =
        row(new SessionCodec(SessionStoreConfig.defaults().withSecret(OLD)), id, "before", 7);
    RowBinding.Row current = row(rotating, id, "after", 3);
    Sealing.Keys keys = rotating.sealing().keys(id);

    for (List<RowBinding.Row> found : List.of(List.of(stale, current), List.of(current, stale))) {
      SessionRecord opened = rotating.open(keys, found).orElseThrow();
      assertThat(opened.data()).containsEntry("version", "after");
      assertThat(opened.revision()).isEqualTo(3);
    }
    assertThat(rotating.open(keys, List.of(stale)).orElseThrow().data())
        .as("alone, the previous key's row is the session")
        .containsEntry("version", "before");
  }
}
