package app.getbodhi.session.bench;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionSecret;
import app.getbodhi.session.jooq.StoreProbe;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sealing benchmark times the store's own work: what its steps compute through {@link
 * StoreProbe} is what the store writes and reads, and the per-call variant computes the same.
 */
class SealingBenchmarkTest {

  @ParameterizedTest
  @ValueSource(strings = {"point", "730"})
  void everyStepOpensWhatTheStoreSealedUnderTheStoresRowKey(String session) throws Exception {
    SealingBenchmark bench = new SealingBenchmark();
    bench.session = session;

    bench.setup();

    assertThat(bench.keys().rowKey())
        .isEqualTo(Fixtures.rowKey(bench.id))
        .isEqualTo(new StoreProbe(SessionSecret.none()).rowKey(bench.id));
    assertThat(bench.open()).hasValueSatisfying(plain -> assertThat(plain).isEqualTo(bench.plain));
    assertThat(bench.keysAndOpen())
        .hasValueSatisfying(plain -> assertThat(plain).isEqualTo(bench.plain));
    assertThat(bench.keysAndOpenPerCallInstances()).isEqualTo(bench.plain);
    assertThat(bench.parseJson()).containsEntry("user_id", "user-0");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 20, -1})
  void whatFailsToAuthenticateDoesNotOpen(int flipped) throws Exception {
    SealingBenchmark bench = new SealingBenchmark();
    bench.session = "point";
    bench.setup();
    byte[] tampered = Arrays.copyOf(bench.sealed, bench.sealed.length);
    int at = flipped < 0 ? tampered.length - 1 : flipped;
    tampered[at] ^= 1;

    assertThat(bench.sealing.open(bench.keys, tampered)).isEmpty();
  }
}
