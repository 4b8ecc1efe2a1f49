package app.getbodhi.session;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ManagedSessionStore#migrate()} did.
 *
 * @param migrationsApplied how many schema migrations ran; 0 when the schema was current
 * @param sealedRows how many sessions stored before sealing were sealed in place by this run
 * @param advice what an operator should do next, one sentence each (such as running {@code VACUUM}
 *     after sealing on PostgreSQL); empty when nothing
 */
public record MigrationReport(int migrationsApplied, long sealedRows, List<String> advice) {

  /** Checks the values and copies the advice. */
  public MigrationReport {
    if (migrationsApplied < 0 || sealedRows < 0) {
      throw new IllegalArgumentException("counts cannot be negative");
    }
    advice = List.copyOf(Objects.requireNonNull(advice, "advice"));
  }

  /**
   * A report of a run that found the schema current.
   *
   * @return a report with nothing done
   */
  public static MigrationReport current() {
    return new MigrationReport(0, 0, List.of());
  }
}
