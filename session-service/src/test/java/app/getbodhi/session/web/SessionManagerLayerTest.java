package app.getbodhi.session.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionStore;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SessionManagerLayerTest {

  private final SessionStore store =
      new SessionStore() {
        @Override
        public SessionRecord create(SessionRecord record) {
          return record;
        }

        @Override
        public void save(SessionRecord record) {}

        @Override
        public Optional<SessionRecord> load(SessionId id) {
          return Optional.empty();
        }

        @Override
        public boolean updateIfUnchanged(SessionRecord record) {
          return false;
        }

        @Override
        public Optional<SessionRecord> modify(
            SessionId id, Function<SessionRecord, Optional<SessionRecord>> change) {
          return Optional.empty();
        }

        @Override
        public Optional<SessionRecord> rotate(SessionId from, SessionRecord to) {
          return Optional.empty();
        }

        @Override
        public void delete(SessionId id) {}
      };

  @Test
  void theDefaultsAreStrictHttpOnlyBrowserSessionCookiesAndFourteenDayExpiry() {
    SessionManagerLayer layer = SessionManagerLayer.of(store);

    assertThat(layer.cookieName()).isEqualTo("bodhiapp_session_id");
    assertThat(layer.sameSite()).isEqualTo(SessionManagerLayer.SameSite.STRICT);
    assertThat(layer.httpOnly()).isTrue();
    assertThat(layer.secure()).isFalse();
    assertThat(layer.path()).isEqualTo("/");
    assertThat(layer.domain()).isEmpty();
    assertThat(layer.maxAge()).isEmpty();
    assertThat(layer.expiry()).isEqualTo(Duration.ofDays(14));
    assertThat(layer.accessGranularity()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aSessionsGranularityIsATenthOfItsTimeoutAtMostTheLayersSetting() {
    SessionManagerLayer layer = SessionManagerLayer.of(store);

    assertThat(layer.granularityFor(Duration.ofDays(14))).isEqualTo(Duration.ofMinutes(5));
    assertThat(layer.granularityFor(Duration.ofMinutes(50))).isEqualTo(Duration.ofMinutes(5));
    assertThat(layer.granularityFor(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(3));
    assertThat(layer.granularityFor(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(6));
    assertThat(layer.granularityFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(100));
    // never times out: the layer's setting
    assertThat(layer.granularityFor(Duration.ofSeconds(-1))).isEqualTo(Duration.ofMinutes(5));

    SessionManagerLayer precise = layer.toBuilder().accessGranularity(Duration.ZERO).build();
    assertThat(precise.granularityFor(Duration.ofDays(14))).isZero();
    SessionManagerLayer coarse = layer.toBuilder().accessGranularity(Duration.ofHours(1)).build();
    assertThat(coarse.granularityFor(Duration.ofDays(14))).isEqualTo(Duration.ofHours(1));
    assertThat(coarse.granularityFor(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void anAccessGranularityOutsideZeroToAnHourIsRefusedNamingTheSettingAndItsLimits() {
    SessionManagerLayer.Builder builder = SessionManagerLayer.builder(store);

    for (Duration bad : new Duration[] {Duration.ofMillis(-1), Duration.ofMinutes(61), null}) {
      assertThatThrownBy(() -> builder.accessGranularity(bad))
          .isInstanceOf(app.getbodhi.session.SessionServiceException.class)
          .hasMessage(
              "SessionManagerLayer.accessGranularity must be a duration between 0 and 1 hour.");
    }
    assertThat(builder.build().accessGranularity()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void toBuilderKeepsEverySettingAndChangesOnlyWhatIsSet() {
    SessionManagerLayer layer =
        SessionManagerLayer.builder(store)
            .cookieName("sid")
            .secure(true)
            .sameSite(SessionManagerLayer.SameSite.LAX)
            .maxAge(Duration.ofHours(1))
            .build();

    SessionManagerLayer changed = layer.toBuilder().path("/app").build();

    assertThat(changed.cookieName()).isEqualTo("sid");
    assertThat(changed.secure()).isTrue();
    assertThat(changed.sameSite()).isEqualTo(SessionManagerLayer.SameSite.LAX);
    assertThat(changed.maxAge()).contains(Duration.ofHours(1));
    assertThat(changed.path()).isEqualTo("/app");
    assertThat(layer.path()).isEqualTo("/");
  }

  @Test
  void cookieAttributesThatCouldInjectHeaderTextAreRefused() {
    SessionManagerLayer.Builder builder = SessionManagerLayer.builder(store);

    assertThatThrownBy(() -> builder.cookieName("a=b")).hasMessageContaining("cookieName");
    assertThatThrownBy(() -> builder.path("/x; Domain=evil")).hasMessageContaining("path");
    assertThatThrownBy(() -> builder.domain("a\r\nb")).hasMessageContaining("domain");
    assertThatThrownBy(() -> builder.expiry(Duration.ZERO)).hasMessageContaining("expiry");
  }
}
