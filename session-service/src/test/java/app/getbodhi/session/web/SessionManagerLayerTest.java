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
