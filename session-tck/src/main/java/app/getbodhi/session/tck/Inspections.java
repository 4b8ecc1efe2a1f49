package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import org.assertj.core.api.AbstractStringAssert;

/** Checks of what a backend's {@code inspect} reports, shared by the backends' tests. */
public final class Inspections {

  private Inspections() {}

  /**
   * Checks that the inspection could not read the database and names exactly one problem.
   *
   * @param inspection what the provider reported
   * @return an assertion on that one problem's text, for the checks of what it says
   */
  public static AbstractStringAssert<?> assertUnreadable(StoreInspection inspection) {
    assertThat(inspection.database()).isEqualTo(Database.UNREADABLE);
    return assertThat(inspection.problems()).singleElement().asString();
  }
}
