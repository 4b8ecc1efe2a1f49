package app.getbodhi.session.reliability;

import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.tck.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load of {@link ConcurrentLoadTest}, for minutes instead of seconds, on each backend. Off in
 * {@code make test}; {@code make soak} turns it on with {@code -Dbodhi.soak=true}, and {@code
 * -Dbodhi.soak.seconds=N} sets its length per backend (default 120).
 */
@Tag("soak")
@EnabledIfSystemProperty(named = "bodhi.soak", matches = "true")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SoakTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void sixteen_threads_for_minutes_see_no_error_and_lose_or_corrupt_no_session(Backend backend)
      throws Exception {
    Duration length = Duration.ofSeconds(Long.getLong("bodhi.soak.seconds", 120));
    try (TestDatabase db = backend.freshDatabase();
        SessionStoreBackend store =
            SessionStoreBackend.connect(db.url(), SessionStoreConfig.defaults())) {
      StoreLoad.Result result =
          new StoreLoad(store, ConcurrentLoadTest.THREADS, System.nanoTime())
              .run(0, Optional.of(Instant.now().plus(length)));

      ConcurrentLoadTest.assertClean(result);
    }
  }
}
