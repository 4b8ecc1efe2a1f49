package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionRecord;
import org.junit.jupiter.api.Test;

/**
 * The "the backend" group of {@link SessionStoreContract}, run per backend as its {@code Backend}
 * class: the store names the backend it runs on, and a store on a caller's data source works and
 * leaves that data source open.
 */
abstract class BackendGroup extends ContractGroup {

  @Test
  void the_store_names_the_backend_it_runs_on() {
    assertThat(kit().store().backendName()).isEqualTo(kit().database.backendName());
  }

  @Test
  void a_store_on_a_caller_data_source_works_and_leaves_it_open_when_closed() {
    ManagedSessionStore onCallerPool = kit().newStore(kit().database.dataSource(), kit().config());
    try {
      onCallerPool.migrate();
      SessionRecord saved = kit().userSession("alice");
      onCallerPool.save(saved);
      assertThat(content(onCallerPool.load(saved.id()))).contains(content(saved));
    } finally {
      onCallerPool.close();
    }

    assertThat(kit().database.sessionRowCount()).isEqualTo(1);
  }
}
