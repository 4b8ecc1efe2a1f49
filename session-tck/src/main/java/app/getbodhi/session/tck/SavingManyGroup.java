package app.getbodhi.session.tck;

import static app.getbodhi.session.tck.Records.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "saving many at once" group of {@link SessionStoreContract}, run per backend as its {@code
 * SavingMany} class: {@code saveAll} is all or nothing: a record over the size limit, a database
 * error on one record or too many records write none of the batch.
 */
abstract class SavingManyGroup extends ContractGroup {

  @Test
  void save_all_stores_every_record_and_overwrites_those_already_stored() {
    SessionRecord existing = kit().saveUserSession("alice");
    SessionRecord replaced =
        new SessionRecord(
            existing.id(), Map.of(SessionRecord.USER_ID_KEY, "bob"), existing.expiryDate());
    List<SessionRecord> batch = new ArrayList<>(List.of(replaced));
    for (int i = 0; i < 300; i++) {
      batch.add(kit().userSession("user-" + i));
    }

    kit().store().saveAll(batch);

    assertThat(kit().database.sessionRowCount()).isEqualTo(301);
    for (SessionRecord record : batch) {
      assertThat(content(kit().store().load(record.id()))).contains(content(record));
    }
    assertThat(kit().store().countSessionsForUser("alice")).isZero();
    assertThat(kit().database.userIdColumn(kit().ref(existing))).isEqualTo("bob");
  }

  @Test
  void of_two_records_with_one_id_the_later_one_is_stored() {
    SessionRecord first = kit().userSession("alice");
    SessionRecord later =
        new SessionRecord(first.id(), Map.of("step", 2L), first.expiryDate().plusSeconds(60));

    kit().store().saveAll(List.of(first, later));

    assertThat(content(kit().store().load(first.id()))).contains(content(later));
  }

  @Test
  void an_empty_list_writes_nothing() {
    kit().store().saveAll(List.of());

    assertThat(kit().database.sessionRowCount()).isZero();
  }

  @Test
  void one_record_over_the_size_limit_refuses_the_whole_call_and_nothing_changes() {
    try (ManagedSessionStore small =
        kit()
            .openMigrated(kit().config().withMaxDataBytes(SessionStoreConfig.MIN_MAX_DATA_BYTES))) {
      SessionRecord kept = kit().userSession("alice");
      small.save(kept);
      SessionRecord changed = new SessionRecord(kept.id(), Map.of("step", 2L), kept.expiryDate());
      SessionRecord tooLarge =
          kit().session(Map.of("blob", "x".repeat(SessionStoreConfig.MIN_MAX_DATA_BYTES)));

      assertThatThrownBy(() -> small.saveAll(List.of(changed, kit().userSession("bob"), tooLarge)))
          .isInstanceOfSatisfying(
              SessionServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.SERIALIZATION));

      assertThat(content(small.load(kept.id()))).contains(content(kept));
      assertThat(kit().database.sessionRowCount()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"its own pool", "a caller's data source"})
  void a_database_error_on_one_record_writes_none_of_them_and_the_store_works_on(String where)
      throws Exception {
    ManagedSessionStore target =
        where.equals("its own pool")
            ? kit().store()
            : kit().newStore(kit().database.dataSource(), kit().config());
    try {
      SessionRecord kept = kit().saveUserSession("alice");
      SessionRecord changed = new SessionRecord(kept.id(), Map.of("step", 2L), kept.expiryDate());
      List<SessionRecord> batch =
          List.of(
              changed,
              kit().userSession("bob"),
              kit().userSession("poison"),
              kit().userSession("carol"));

      try (AutoCloseable refusal = kit().database.refuseWritesOfUser("poison")) {
        assertThatThrownBy(() -> target.saveAll(batch))
            .isInstanceOfSatisfying(
                SessionServiceException.class,
                e -> assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.DATABASE))
            .hasMessageStartingWith(
                "Could not save sessions in the " + kit().database.backendName())
            .satisfies(
                e -> {
                  // a batch failure may not quote the batch: ids and data are secrets
                  String trace = printed(e);
                  for (SessionRecord record : batch) {
                    assertThat(trace).doesNotContain(record.id().value());
                  }
                  // the role value of every session in the batch, as text and as bytea hex
                  assertThat(trace).doesNotContain("member").doesNotContain("6d656d626572");
                });
      }

      assertThat(content(target.load(kept.id()))).contains(content(kept));
      assertThat(kit().database.sessionRowCount()).isEqualTo(1);
      // the failed connection went back in auto-commit, with no statement left half-bound
      target.saveAll(batch);
      assertThat(kit().database.sessionRowCount()).isEqualTo(4);
      target.save(kit().userSession("dave"));
      assertThat(kit().database.sessionRowCount()).isEqualTo(5);
      assertThat(content(target.load(kept.id()))).contains(content(changed));
    } finally {
      if (target != kit().store()) {
        target.close();
      }
    }
  }

  @Test
  void more_records_than_the_limit_are_refused_before_anything_is_written() {
    List<SessionRecord> tooMany = new ArrayList<>();
    SessionRecord one = kit().userSession("alice");
    for (int i = 0; i <= ManagedSessionStore.MAX_SAVE_ALL; i++) {
      tooMany.add(one);
    }

    assertThatThrownBy(() -> kit().store().saveAll(tooMany))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAX_SAVE_ALL")
        .hasMessageContaining(String.valueOf(ManagedSessionStore.MAX_SAVE_ALL));
    assertThat(kit().database.sessionRowCount()).isZero();
  }

  /** An exception as a log line would show it: its whole trace, causes and suppressed ones too. */
  private static String printed(Throwable e) {
    java.io.StringWriter text = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }
}
