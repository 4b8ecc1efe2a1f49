# bodhi-sessions: the one place that says how to build and test.
# Everything here goes through the Maven wrapper, so a machine with only a JDK 17 can run it.

MVN ?= ./mvnw
MVN_FLAGS ?= -B -ntp
COMPOSE ?= docker compose -f docker-compose-test-deps.yml
# The docker-compose databases (see docker-compose-test-deps.yml).
COMPOSE_PG_URL ?= postgres://bodhi_test:bodhi_test@localhost:54320/bodhi_sessions
COMPOSE_MARIADB_URL ?= mariadb://bodhi_test:bodhi_test@localhost:33060/bodhi_sessions

# Where the browser test finds Chromium and its driver: Debian's chromium and chromium-driver put
# them here. Set both to run it with a Chromium installed elsewhere.
CHROMIUM ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: test test.browser.deps test.session test.deps.up test.deps.down test.session.all fmt build clean run run-spring-example run-webflux-example bench soak

## test: the whole build with every test and the format check (what CI runs); installs Chromium
##       and its driver first when missing (see test.browser.deps)
test: test.browser.deps
	$(MVN) $(MVN_FLAGS) verify -Dbodhi.chromium=$(CHROMIUM) -Dbodhi.chromedriver=$(CHROMEDRIVER)

## test.browser.deps: installs Debian's chromium and chromium-driver when missing (as root or with
##                    passwordless sudo), or says what to install
test.browser.deps:
	CHROMIUM=$(CHROMIUM) CHROMEDRIVER=$(CHROMEDRIVER) scripts/ensure-chromium

## test.session: the session tests (the store contract in each backend module, the cross-backend
##               suites); against $$BODHI_TEST_PG_URL and $$BODHI_TEST_MARIADB_URL when set, else
##               an embedded PostgreSQL and an embedded MariaDB. -am
##               builds (and tests) only what they depend on: the tool and the bench depend on
##               session-tests, not it on them, so their suites stay out
test.session:
	$(MVN) $(MVN_FLAGS) verify -pl session-sqlite,session-postgres,session-mariadb,session-tests -am

## test.deps.up: start the test PostgreSQL and MariaDB in Docker (needs a Docker engine)
test.deps.up:
	$(COMPOSE) up -d --wait

## test.deps.down: stop the test PostgreSQL and MariaDB and drop their data
test.deps.down:
	$(COMPOSE) down -v

## test.session.all: deps up, the session tests against them, deps down (even when tests fail)
test.session.all: test.deps.up
	BODHI_TEST_PG_URL=$(COMPOSE_PG_URL) BODHI_TEST_MARIADB_URL=$(COMPOSE_MARIADB_URL) \
	  $(MAKE) test.session; status=$$?; \
	  $(MAKE) test.deps.down; exit $$status

## fmt: format the Java sources (the build fails on unformatted code)
fmt:
	$(MVN) $(MVN_FLAGS) spotless:apply

## run: build the jar and serve the demo on http://127.0.0.1:8080 (sessions in $$BODHI_HOME/session.sqlite, default ~/.cache/bodhi);
##      RUN_ARGS picks the command and its options, e.g. make run RUN_ARGS="serve --port 9090"
RUN_ARGS ?= serve
run:
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dspotless.check.skip=true -pl session-cli -am
	java -jar session-cli/target/bodhi-sessions.jar $(RUN_ARGS)

## run-spring-example: build the Spring Boot example (session-spring-example) and serve it on
##                     http://127.0.0.1:8080: log in as alice, bob or carol, password bodhi; sessions
##                     in session.sqlite beside the jar (session-spring-example/target). Spring
##                     properties go in SPRING_EXAMPLE_ARGS, e.g. a second node in cluster mode,
##                     whose secret is read from a file (never put the secret itself on the
##                     command line, where every user sees it in ps):
##                     openssl rand -base64 32 > session.secret   # once; the same on every node
##                     make run-spring-example SPRING_EXAMPLE_ARGS="--server.port=8081
##                       --bodhi.session.db-url=postgres://USER:PASSWORD@HOST:5432/DB
##                       --bodhi.session.deployment=cluster
##                       --bodhi.session.secret-file=$PWD/session.secret
##                       --example.maximum-sessions=1"
SPRING_EXAMPLE_ARGS ?=
run-spring-example:
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dspotless.check.skip=true -pl session-spring-example -am
	java -jar session-spring-example/target/session-spring-example.jar $(SPRING_EXAMPLE_ARGS)

## run-webflux-example: build the Spring WebFlux example (session-webflux-example) and serve it on
##                      http://127.0.0.1:8080: the same users, password and properties as
##                      run-spring-example; sessions in session.sqlite beside the jar
##                      (session-webflux-example/target). Properties go in WEBFLUX_EXAMPLE_ARGS,
##                      e.g. a node in cluster mode on PostgreSQL, its secret read from a file:
##                      make run-webflux-example WEBFLUX_EXAMPLE_ARGS="--server.port=8081
##                       --bodhi.session.db-url=postgres://USER:PASSWORD@HOST:5432/DB
##                       --bodhi.session.deployment=cluster
##                       --bodhi.session.secret-file=$PWD/session.secret
##                       --example.maximum-sessions=1"
WEBFLUX_EXAMPLE_ARGS ?=
run-webflux-example:
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -Dspotless.check.skip=true -pl session-webflux-example -am
	java -jar session-webflux-example/target/session-webflux-example.jar $(WEBFLUX_EXAMPLE_ARGS)

## bench: JMH benchmarks on SQLite, PostgreSQL and MariaDB against raw JDBC and Spring Session JDBC
##        (quick profile, about a quarter of an hour); BENCH_PROFILE=full for the long run,
##        BENCH_PHASES / BENCH_BACKENDS for parts. Writes session-bench/target/bench/results.md and
##        the charts; a run of everything also refreshes docs/benchmarks.md's figures and charts
bench:
	$(MVN) $(MVN_FLAGS) -q install -DskipTests -Dspotless.check.skip=true -pl session-bench -am
	$(MVN) $(MVN_FLAGS) -q exec:exec -pl session-bench

## soak: the long load test on both backends, SOAK_SECONDS each (default 120)
SOAK_SECONDS ?= 120
soak:
	$(MVN) $(MVN_FLAGS) install -DskipTests -Dspotless.check.skip=true -pl session-reliability -am
	$(MVN) $(MVN_FLAGS) verify -pl session-reliability -Dbodhi.soak=true -Dbodhi.soak.seconds=$(SOAK_SECONDS) -Dgroups=soak -DexcludedGroups=none

## build: compile and package without running tests
build:
	$(MVN) $(MVN_FLAGS) install -DskipTests

clean:
	$(MVN) $(MVN_FLAGS) clean
